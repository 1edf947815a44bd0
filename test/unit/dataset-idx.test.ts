import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadFashionMnist, readIdxImages, readIdxLabels } from '../../src/core/dataset';
import { cyclicLabels, idxImages, idxLabels, writeSyntheticDataset } from './dataset-fixtures';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lenet-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** The error thrown by `promise`, checked to be a DatasetError. */
async function datasetError(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('IDX reader: valid files', () => {
  it('reads raw and gzip files alike, whatever their name', async () => {
    const raw = await readIdxImages(await put('train-images-idx3-ubyte', idxImages(3)));
    // gzip is detected by its magic bytes, not by the .gz suffix.
    const gz = await readIdxImages(await put('images-gzip-without-suffix', gzipSync(idxImages(3))));
    expect(raw.count).toBe(3);
    expect(raw.images.length).toBe(3 * 784);
    expect(raw.images[784 * 2]).toBe(2);
    expect(gz.images).toEqual(raw.images);
    // Identity is the hash of the decompressed bytes, so both forms have the same one.
    expect(gz.sha256).toBe(raw.sha256);
    expect(raw.images.byteOffset).toBe(0);
    expect(raw.images.buffer.byteLength).toBe(3 * 784);
    expect(Buffer.isBuffer(raw.images)).toBe(false);
  });

  it('reads labels', async () => {
    const labels = await readIdxLabels(await put('labels.gz', gzipSync(idxLabels([0, 9, 5]))), 3);
    expect([...labels.labels]).toEqual([0, 9, 5]);
  });
});

describe('IDX reader: every violation names the file and the problem', () => {
  const cases: {
    name: string;
    file: string;
    bytes: () => Uint8Array;
    kind: 'images' | 'labels';
    count?: number;
    message: RegExp;
  }[] = [
    {
      name: 'wrong magic (a label file where images belong)',
      file: 'train-images-idx3-ubyte',
      bytes: () => idxLabels([1, 2]),
      kind: 'images',
      message:
        /^train-images-idx3-ubyte: not an IDX image file: magic number is 2049 \(that is a label file\), expected 2051$/,
    },
    {
      name: 'wrong magic (garbage)',
      file: 'train-labels-idx1-ubyte',
      bytes: () => Buffer.from('<html>not found</html>'),
      kind: 'labels',
      message: /^train-labels-idx1-ubyte: not an IDX label file: magic number is \d+, expected 2049$/,
    },
    {
      name: 'wrong image dimensions',
      file: 't10k-images-idx3-ubyte',
      bytes: () => idxImages(2, { rows: 32, cols: 32 }),
      kind: 'images',
      message: /^t10k-images-idx3-ubyte: images are 32×32, expected 28×28$/,
    },
    {
      name: 'unexpected image count',
      file: 't10k-images-idx3-ubyte.gz',
      bytes: () => gzipSync(idxImages(5)),
      kind: 'images',
      count: 10_000,
      message: /^t10k-images-idx3-ubyte\.gz: header says 5 images, expected 10,000$/,
    },
    {
      name: 'unexpected label count',
      file: 'train-labels-idx1-ubyte',
      bytes: () => idxLabels([1, 2, 3]),
      kind: 'labels',
      count: 60_000,
      message: /^train-labels-idx1-ubyte: header says 3 labels, expected 60,000$/,
    },
    {
      name: 'label out of range',
      file: 't10k-labels-idx1-ubyte',
      bytes: () => idxLabels([0, 3, 12, 1]),
      kind: 'labels',
      message: /^t10k-labels-idx1-ubyte: label 12 at index 2 is outside 0–9$/,
    },
    {
      name: 'truncated labels (header promises more than the file has)',
      file: 't10k-labels-idx1-ubyte.gz',
      bytes: () => gzipSync(idxLabels(cyclicLabels(4_992), { headerCount: 10_000 })),
      kind: 'labels',
      message:
        /^t10k-labels-idx1-ubyte\.gz: truncated: header promises 10,000 labels \(10,008 bytes\) but the file has 5,000 bytes$/,
    },
    {
      name: 'truncated images',
      file: 'train-images-idx3-ubyte',
      bytes: () => idxImages(3).subarray(0, 16 + 784 * 2 + 10),
      kind: 'images',
      message:
        /^train-images-idx3-ubyte: truncated: header promises 3 images \(2,368 bytes\) but the file has 1,594 bytes$/,
    },
    {
      name: 'shorter than the header',
      file: 'train-images-idx3-ubyte',
      bytes: () => idxImages(1).subarray(0, 10),
      kind: 'images',
      message: /^train-images-idx3-ubyte: truncated: 10 bytes is shorter than the 16-byte IDX image header$/,
    },
    {
      name: 'trailing bytes after the promised items',
      file: 'train-labels-idx1-ubyte',
      bytes: () => Buffer.concat([idxLabels([1, 2]), Buffer.from([0, 0, 0])]),
      kind: 'labels',
      message: /^train-labels-idx1-ubyte: 3 unexpected bytes after the 2 labels the header promises/,
    },
    {
      name: 'truncated gzip stream',
      file: 'train-images-idx3-ubyte.gz',
      bytes: () => {
        const gz = gzipSync(idxImages(20));
        return gz.subarray(0, Math.floor(gz.length / 2));
      },
      kind: 'images',
      message: /^train-images-idx3-ubyte\.gz: corrupt or truncated gzip data \(unexpected end of file\)/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const path = await put(c.file, c.bytes());
      const read = c.kind === 'images' ? readIdxImages(path, c.count) : readIdxLabels(path, c.count);
      const error = await datasetError(read);
      expect(error.message).toMatch(c.message);
    });
  }

  it('a missing file is a DatasetError too', async () => {
    const error = await datasetError(readIdxLabels(join(dir, 'no-such-file')));
    expect(error.message).toMatch(/^no-such-file: cannot be read \(ENOENT/);
  });
});

describe('loader: whole-dataset checks', () => {
  it('image and label counts must agree, and the message names both files', async () => {
    const folder = join(dir, 'mismatch');
    await writeSyntheticDataset(folder, { train: 30, test: 10, gzip: true });
    await writeFile(join(folder, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels(cyclicLabels(29))));
    const error = await datasetError(
      loadFashionMnist({ dataDir: folder, systemDir: join(dir, 'none'), allowDownload: false, strictCounts: false }),
    );
    expect(error.message).toBe('train-images-idx3-ubyte.gz + train-labels-idx1-ubyte.gz: 30 images but 29 labels');
  });

  it('by default requires the official 60,000/10,000 counts', async () => {
    const folder = join(dir, 'small');
    await writeSyntheticDataset(folder, { train: 30, test: 10 });
    const error = await datasetError(
      loadFashionMnist({ dataDir: folder, systemDir: join(dir, 'none'), allowDownload: false }),
    );
    expect(error.message).toMatch(
      /^(train|t10k)-(images|labels)-idx\d-ubyte: header says (30|10) (images|labels), expected (60,000|10,000)$/,
    );
  });
});
