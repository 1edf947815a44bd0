import { existsSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetError,
  clearFashionMnistCache,
  loadFashionMnist,
  locateFashionMnist,
  splitTrainValidation,
  SYSTEM_DATASET_DIR,
  type ImageSet,
} from '../../src/core/dataset';
import { mulberry32 } from '../../src/shared/random';
import { idxImages, writeSyntheticDataset } from './dataset-fixtures';

let root: string;
let noSystem: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lenet-load-'));
  noSystem = join(root, 'no-system-copy');
});
afterAll(async () => {
  clearFashionMnistCache();
  await rm(root, { recursive: true, force: true });
});

describe('locating the files', () => {
  it('uses a chosen folder alone; without one, the cache, then the system folder', async () => {
    const user = join(root, 'order-user');
    const cache = join(root, 'order-cache');
    const system = join(root, 'order-system');
    await writeSyntheticDataset(user, { gzip: true });
    await writeSyntheticDataset(cache);
    await writeSyntheticDataset(system, { gzip: true });
    const found = (dir: string, source: string) => ({ found: true, dir, source, problem: null });
    expect(await locateFashionMnist({ dataDir: user, cacheDir: cache, systemDir: system })).toEqual(
      found(user, 'user'),
    );
    expect(await locateFashionMnist({ cacheDir: cache, systemDir: system })).toEqual(found(cache, 'cache'));
    expect(await locateFashionMnist({ systemDir: system })).toEqual(found(system, 'system'));
    expect(await locateFashionMnist({ systemDir: noSystem })).toEqual({
      found: false,
      dir: null,
      source: null,
      problem: null,
    });
  });

  it('refuses an incomplete chosen folder, naming the missing file, instead of using another copy', async () => {
    const user = join(root, 'incomplete-user');
    const system = join(root, 'complete-system');
    await writeSyntheticDataset(user);
    await unlink(join(user, 't10k-labels-idx1-ubyte'));
    await writeSyntheticDataset(system);
    const problem =
      'the chosen dataset folder lacks t10k-labels-idx1-ubyte (raw or .gz); add the missing file(s) or choose another folder';
    expect(await locateFashionMnist({ dataDir: user, systemDir: system })).toEqual({
      found: false,
      dir: user,
      source: 'user',
      problem: `${user}: ${problem}`,
    });
    const error = await loadFashionMnist({ dataDir: user, systemDir: system, strictCounts: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(`${user}: ${problem}`);
  });

  it('refuses a chosen folder that does not exist or is a file, and never downloads in its place', async () => {
    const nowhere = join(root, 'no-such-folder');
    let fetched = 0;
    const fetchSpy = (async () => {
      fetched += 1;
      throw new Error('no network in this test');
    }) as unknown as typeof fetch;
    const error = await loadFashionMnist({ dataDir: nowhere, cacheDir: join(root, 'dl-cache'), fetch: fetchSpy }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(`${nowhere}: the chosen dataset folder does not exist`);
    expect(fetched).toBe(0);
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    expect((await locateFashionMnist({ dataDir: file })).problem).toBe(
      `${file}: the chosen dataset folder is a file, not a folder`,
    );
  });

  it('accepts a mix of raw and .gz files in one folder', async () => {
    const mixed = join(root, 'mixed');
    const files = await writeSyntheticDataset(mixed, { gzip: true, train: 40, test: 10 });
    await unlink(join(mixed, 'train-labels-idx1-ubyte.gz'));
    await writeFile(join(mixed, 'train-labels-idx1-ubyte'), files['train-labels-idx1-ubyte']);
    const data = await loadFashionMnist({ dataDir: mixed, systemDir: noSystem, strictCounts: false });
    expect(data.train.count).toBe(40);
    expect(data.test.count).toBe(10);
  });

  it('without files and without download, names the folders searched', async () => {
    const cache = join(root, 'empty-cache');
    const error = await loadFashionMnist({ cacheDir: cache, systemDir: noSystem, allowDownload: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(`${cache}, ${noSystem}: FashionMNIST not found (downloading is turned off)`);
  });
});

describe('loading', () => {
  it('valid IDX that is not FashionMNIST is usable but flagged official: false', async () => {
    const dir = join(root, 'synthetic');
    await writeSyntheticDataset(dir, { train: 50, test: 20 });
    const data = await loadFashionMnist({ dataDir: dir, systemDir: noSystem, strictCounts: false });
    expect(data.identity.official).toBe(false);
    expect(data.identity.source).toBe('user');
    expect(data.identity.dir).toBe(dir);
    expect(Object.values(data.identity.sha256).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(data.train.images.length).toBe(50 * 784);
    expect(data.train.labels[13]).toBe(3);
  });

  it('caches a loaded dataset, and reloads when a file changes', async () => {
    const dir = join(root, 'cached');
    await writeSyntheticDataset(dir, { train: 30, test: 10 });
    const opts = { dataDir: dir, systemDir: noSystem, strictCounts: false };
    const first = await loadFashionMnist(opts);
    expect(await loadFashionMnist(opts)).toBe(first);
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), idxImages(10).fill(7, 16));
    const changed = await loadFashionMnist(opts);
    expect(changed).not.toBe(first);
    expect(changed.identity.sha256['t10k-images-idx3-ubyte']).not.toBe(first.identity.sha256['t10k-images-idx3-ubyte']);
  });
});

function syntheticSet(count: number): ImageSet {
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) images.fill(i % 256, i * 784, (i + 1) * 784);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** Recover each image's original index (pixels encode it; counts stay under 256 here). */
const ids = (set: ImageSet) => Array.from({ length: set.count }, (_, k) => set.images[k * 784]);

describe('splitTrainValidation', () => {
  const base = syntheticSet(200);

  it('carves validation first, then the subset from the rest, disjoint and seeded', () => {
    const a = splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 7 });
    expect(a.validation!.count).toBe(20);
    expect(a.train.count).toBe(50);
    const trainIds = ids(a.train);
    const validationIds = ids(a.validation!);
    expect(new Set([...trainIds, ...validationIds]).size).toBe(70);
    // Labels travel with their images.
    expect(a.train.labels.every((l, k) => l === trainIds[k] % 10)).toBe(true);
    // Same seed → same split; another seed → another.
    const again = splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 7 });
    expect(ids(again.train)).toEqual(trainIds);
    const other = splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 8 });
    expect(ids(other.validation!)).not.toEqual(validationIds);
  });

  it('keeps the validation set whatever the subset, and nests subsets', () => {
    const small = splitTrainValidation(base, { validationFraction: 0.25, trainSubset: 10, seed: 3 });
    const all = splitTrainValidation(base, { validationFraction: 0.25, trainSubset: 0, seed: 3 });
    expect(ids(small.validation!)).toEqual(ids(all.validation!));
    expect(all.train.count).toBe(150);
    expect(ids(all.train).slice(0, 10)).toEqual(ids(small.train));
  });

  it('no validation at fraction 0; a subset larger than what remains takes all of it', () => {
    const r = splitTrainValidation(base, { validationFraction: 0, trainSubset: 60_000, seed: 1 });
    expect(r.validation).toBeNull();
    expect(r.train.count).toBe(200);
    expect(new Set(ids(r.train)).size).toBe(200);
  });

  it('leaves out marked images from the training part only, without topping the subset up', () => {
    const plain = splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 7 });
    const trained = ids(plain.train);
    const validation = ids(plain.validation!);
    // Two images it trained on, one of its validation images, one it never used.
    const unused = Array.from({ length: 200 }, (_, i) => i).find(
      (i) => !trained.includes(i) && !validation.includes(i),
    )!;
    const marked = [trained[3], trained[40], validation[0], unused];
    const r = splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 7, leaveOut: marked });
    expect(ids(r.train)).toEqual(trained.filter((i) => i !== trained[3] && i !== trained[40]));
    expect(Array.from(r.trainIndices)).toEqual(ids(r.train));
    expect(ids(r.validation!)).toEqual(validation);
    expect(Array.from(r.leftOut)).toEqual([trained[3], trained[40]].sort((a, b) => a - b));
    expect(Array.from(plain.leftOut)).toEqual([]);
    // Leaving out every image it would train on leaves nothing: refused with the reason.
    expect(() =>
      splitTrainValidation(base, { validationFraction: 0.1, trainSubset: 50, seed: 7, leaveOut: trained }),
    ).toThrow(/no training images left after leaving out the 50 marked ones/);
  });

  it('rejects fractions that leave nothing to train on', () => {
    expect(() => splitTrainValidation(syntheticSet(1), { validationFraction: 0.5, trainSubset: 0, seed: 1 })).toThrow(
      RangeError,
    );
    expect(() => splitTrainValidation(base, { validationFraction: 1, trainSubset: 0, seed: 1 })).toThrow(RangeError);
  });

  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});

const hasSystemCopy = existsSync(SYSTEM_DATASET_DIR);

describe('the real FashionMNIST', () => {
  // The Debian package dataset-fashion-mnist provides it; without it there is nothing to check.
  it.skipIf(!hasSystemCopy)(
    `loads ${SYSTEM_DATASET_DIR} as the official dataset (skipped when the Debian package dataset-fashion-mnist is not installed)`,
    async () => {
      const data = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, allowDownload: false });
      expect(data.identity.source).toBe('system');
      expect(data.identity.official).toBe(true);
      expect(data.train.count).toBe(60_000);
      expect(data.test.count).toBe(10_000);
      expect(data.train.images.length).toBe(60_000 * 784);
      const perClass = (labels: Uint8Array) =>
        labels.reduce((counts, l) => (counts[l]++, counts), new Array(10).fill(0));
      expect(perClass(data.train.labels)).toEqual(new Array(10).fill(6_000));
      expect(perClass(data.test.labels)).toEqual(new Array(10).fill(1_000));

      const split = splitTrainValidation(data.train, { validationFraction: 0.1, trainSubset: 0, seed: 42 });
      expect(split.train.count).toBe(54_000);
      expect(split.validation!.count).toBe(6_000);
      // Loading again in the same process is free: the very same object, not a re-read (a re-read
      // builds new arrays). The files' size and mtime are the cache key (load.ts), nothing is hashed.
      const again = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, allowDownload: false });
      expect(again).toBe(data);
      expect(again.train.images).toBe(data.train.images);
    },
  );
});
