/** Builders for small synthetic IDX files (valid or deliberately broken) used by the dataset tests. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

function header(words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => b.writeUInt32BE(w, i * 4));
  return b;
}

/** An IDX image file of `count` images whose pixels encode their index (image i is filled with i % 256). */
export function idxImages(
  count: number,
  opts: { magic?: number; rows?: number; cols?: number; headerCount?: number } = {},
): Buffer {
  const rows = opts.rows ?? 28;
  const cols = opts.cols ?? 28;
  const body = Buffer.alloc(count * rows * cols);
  for (let i = 0; i < count; i++) body.fill(i % 256, i * rows * cols, (i + 1) * rows * cols);
  return Buffer.concat([header([opts.magic ?? 2051, opts.headerCount ?? count, rows, cols]), body]);
}

/** An IDX label file holding `labels`. */
export function idxLabels(labels: number[], opts: { magic?: number; headerCount?: number } = {}): Buffer {
  return Buffer.concat([header([opts.magic ?? 2049, opts.headerCount ?? labels.length]), Buffer.from(labels)]);
}

/** Labels 0,1,…,9,0,1,… */
export function cyclicLabels(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i % 10);
}

/** The four files of a valid small dataset in `dir` (gzip or raw). */
export async function writeSyntheticDataset(
  dir: string,
  opts: { train?: number; test?: number; gzip?: boolean } = {},
): Promise<Record<string, Buffer>> {
  const train = opts.train ?? 50;
  const test = opts.test ?? 20;
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte': idxImages(train),
    'train-labels-idx1-ubyte': idxLabels(cyclicLabels(train)),
    't10k-images-idx3-ubyte': idxImages(test),
    't10k-labels-idx1-ubyte': idxLabels(cyclicLabels(test)),
  };
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    await writeFile(join(dir, opts.gzip ? `${name}.gz` : name), opts.gzip ? gzipSync(bytes) : bytes);
  }
  return files;
}
