/**
 * The decoded-bytes cache: a second load of a gzip file reads the cached bytes (no gunzip), gives
 * the same bytes and the same SHA-256 (the dataset identity), and never serves a stale or torn
 * entry: a replaced source or a truncated cache file is decompressed again.
 */
import { mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedDecode, type DecodedIdx } from '../../src/core/dataset/decoded-cache';
import { clearFashionMnistCache, loadFashionMnist } from '../../src/core/dataset';
import { readIdxBytes } from '../../src/core/dataset/idx';
import { idxImages, writeSyntheticDataset } from './dataset-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'lenet-decoded-'));

/** readIdxBytes through the cache, counting real decompressions. */
function counted(path: string, cacheDir: string) {
  let decodes = 0;
  const load = (): Promise<DecodedIdx> =>
    cachedDecode(path, cacheDir, () => {
      decodes++;
      return readIdxBytes(path);
    });
  return { load, decodes: () => decodes };
}

describe('decoded IDX cache', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decompresses once, then serves the same bytes and hash from the cache', async () => {
    const source = join(dir, 'a', 'train-images-idx3-ubyte.gz');
    const cache = join(dir, 'a-cache');
    rmSync(join(dir, 'a'), { recursive: true, force: true });
    await writeSyntheticDataset(join(dir, 'a'), { train: 30, gzip: true });
    const c = counted(source, cache);
    const first = await c.load();
    const second = await c.load();
    expect(c.decodes()).toBe(1);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes.length).toBe(16 + 30 * 784);
  });

  it('decompresses again when the source is replaced, and keeps only the new entry', async () => {
    const source = join(dir, 'b.gz');
    const cache = join(dir, 'b-cache');
    writeFileSync(source, gzipSync(idxImages(5)));
    const c = counted(source, cache);
    await c.load();
    writeFileSync(source, gzipSync(idxImages(7)));
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    const replaced = await c.load();
    expect(c.decodes()).toBe(2);
    expect(replaced.bytes.length).toBe(16 + 7 * 784);
    expect(readdirSync(cache).sort()).toHaveLength(2); // one .idx and its .json
  });

  it('ignores a truncated cache entry and decompresses again', async () => {
    const source = join(dir, 'c.gz');
    const cache = join(dir, 'c-cache');
    writeFileSync(source, gzipSync(idxImages(4)));
    const c = counted(source, cache);
    await c.load();
    const idx = readdirSync(cache).find((f) => f.endsWith('.idx'))!;
    truncateSync(join(cache, idx), 100);
    const again = await c.load();
    expect(c.decodes()).toBe(2);
    expect(again.bytes.length).toBe(16 + 4 * 784);
  });

  it('still decodes when the cache folder cannot be written', async () => {
    const source = join(dir, 'd.gz');
    writeFileSync(source, gzipSync(idxImages(3)));
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const c = counted(source, join(blocker, 'cache'));
    expect((await c.load()).bytes.length).toBe(16 + 3 * 784);
  });

  it('loadFashionMnist fills <cacheDir>/decoded and gives the same dataset identity from it', async () => {
    const data = join(dir, 'e');
    const cacheDir = join(dir, 'e-cache');
    await writeSyntheticDataset(data, { train: 40, test: 10, gzip: true });
    const first = await loadFashionMnist({ dataDir: data, cacheDir, strictCounts: false });
    clearFashionMnistCache();
    expect(readdirSync(join(cacheDir, 'decoded')).filter((f) => f.endsWith('.idx'))).toHaveLength(4);
    const second = await loadFashionMnist({ dataDir: data, cacheDir, strictCounts: false });
    expect(second.identity).toEqual(first.identity);
    expect(Buffer.from(second.train.images).equals(Buffer.from(first.train.images))).toBe(true);
    clearFashionMnistCache();
  });
});
