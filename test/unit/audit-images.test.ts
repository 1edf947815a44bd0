/**
 * The label audit's gallery images (DatasetService.trainImagesOf): read from the training file a
 * run trained on, checked by its hashes, and refused with the reason when that file is gone
 * (the folder's files changed since). Uses the real FashionMNIST of the Debian package
 * dataset-fashion-mnist, which the test machines have (test-prerequisites checks it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetService, loadFashionMnist, SYSTEM_DATASET_DIR } from '../../src/core/dataset';

const scratch = mkdtempSync(join(tmpdir(), 'audit-images-'));
const service = new DatasetService({
  cacheDir: join(scratch, 'cache'),
  dataDir: () => undefined,
  systemDir: SYSTEM_DATASET_DIR,
});

describe('the audit gallery’s training images', () => {
  it('are the training file’s images at the asked indices, in the order asked', async () => {
    const data = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, allowDownload: false });
    const { samples, note } = await service.trainImagesOf(data.identity, [59_999, 0, 1234]);
    expect(note).toBeNull();
    expect(samples!.count).toBe(3);
    [59_999, 0, 1234].forEach((index, k) => {
      expect(samples!.images.subarray(k * 784, (k + 1) * 784)).toEqual(
        data.train.images.subarray(index * 784, (index + 1) * 784),
      );
      expect(samples!.labels[k]).toBe(data.train.labels[index]);
    });
  }, 60_000);

  it('say so, and show nothing, when the run’s training file is no longer there', async () => {
    const data = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, allowDownload: false });
    const changed = structuredClone(data.identity);
    changed.sha256['train-labels-idx1-ubyte'] = 'a'.repeat(64);
    changed.dir = join(scratch, 'moved-away');
    const { samples, note } = await service.trainImagesOf(changed, [0]);
    expect(samples).toBeNull();
    expect(note).toMatch(/no longer in .*moved-away or the dataset folder in use \(their contents changed since\)/);
    expect(note).toMatch(/Marks on them are kept/);
  }, 60_000);
});
