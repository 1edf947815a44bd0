/**
 * The Dataset place's view of FashionMNIST from main: where it is, whether it is the official
 * data, sample images, test images by index (for the misclassified gallery), and the download.
 * main reads the files only when a page asks; the trainer process loads its own copy.
 */
import type { DatasetInfo, DatasetSamples, DownloadProgress } from '../../shared/api';
import { CLASS_NAMES, type DatasetIdentity } from '../../shared/training';
import { DatasetError } from './errors';
import { loadFashionMnist, locateFashionMnist } from './load';
import type { FashionMnist } from './types';
import { holdsTrainingFiles } from './training-files';
import { StudioError } from '../errors';

export interface DatasetServiceOptions {
  cacheDir: string;
  /** The folder the user chose, if any (read on every call: the user may change it). */
  dataDir(): string | undefined;
  onProgress?(progress: DownloadProgress): void;
  /** Overrides the official download source (tests serve the files locally). */
  baseUrl?: string;
  /** Overrides the system-wide copy's folder (tests hide it to exercise the download). */
  systemDir?: string;
}

const PIXELS = 28 * 28;

export class DatasetService {
  constructor(private readonly options: DatasetServiceOptions) {}

  /** Where this service looks for the files: handed to processes that load their own copy (the inspector). */
  locationOptions() {
    return { dataDir: this.options.dataDir(), cacheDir: this.options.cacheDir, systemDir: this.options.systemDir };
  }

  location(): Promise<DatasetInfo['location']> {
    return locateFashionMnist(this.locationOptions());
  }

  /** Reads and hashes the files when present; never downloads. */
  async info(): Promise<DatasetInfo> {
    const location = await this.location();
    if (!location.found) return { location, identity: null, error: location.problem };
    try {
      const data = await loadFashionMnist({ ...this.locationOptions(), allowDownload: false });
      return { location, identity: data.identity, error: null };
    } catch (err) {
      return { location, identity: null, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * Before a run is recorded: a folder the user chose must hold four valid files (read and
   * checked here, once per change of the files), so a run is refused rather than trained on
   * another copy or recorded as failed. Without a chosen folder the trainer finds or downloads
   * the data itself.
   * @throws StudioError 'dataset' naming the folder or file and what is wrong
   */
  async checkChosenFolder(): Promise<void> {
    if (this.options.dataDir()) await this.loaded();
  }

  async download(): Promise<DatasetInfo> {
    try {
      await loadFashionMnist({
        ...this.locationOptions(),
        allowDownload: true,
        baseUrl: this.options.baseUrl,
        onProgress: (file, received, total) => this.options.onProgress?.({ file, received, total }),
      });
    } catch (err) {
      throw new StudioError('dataset', err instanceof Error ? err.message : String(err));
    }
    return this.info();
  }

  private async loaded(): Promise<FashionMnist> {
    try {
      return await loadFashionMnist({ ...this.locationOptions(), allowDownload: false });
    } catch (err) {
      if (err instanceof DatasetError) throw new StudioError('dataset', err.message);
      throw err;
    }
  }

  /** The first `perClass` test images of each class, in class order. */
  async samples(perClass: number): Promise<DatasetSamples> {
    const { test } = await this.loaded();
    const picked: number[][] = CLASS_NAMES.map(() => []);
    for (let i = 0; i < test.count && picked.some((p) => p.length < perClass); i++) {
      const bucket = picked[test.labels[i]!]!;
      if (bucket.length < perClass) bucket.push(i);
    }
    return this.pack(test, picked.flat());
  }

  /** Test-set images by index, for galleries of predictions. */
  async testImages(indices: number[]): Promise<DatasetSamples> {
    const { test } = await this.loaded();
    const bad = indices.find((i) => i >= test.count);
    if (bad !== undefined)
      throw new StudioError('invalid-input', `test image index ${bad} is out of range (0–${test.count - 1})`);
    return this.pack(test, indices);
  }

  /**
   * Training images by index from the training file `identity` names (the one a run trained on):
   * the folder in use when it holds that file, else the folder the run read it from. Null, with
   * the reason, when neither does any more (the folder's files changed since the run).
   */
  async trainImagesOf(
    identity: DatasetIdentity,
    indices: number[],
  ): Promise<{ samples: DatasetSamples | null; note: string | null }> {
    const wanted = (data: FashionMnist) => holdsTrainingFiles(data, identity.sha256);
    const current = await this.loaded().catch(() => null);
    const found =
      current && wanted(current)
        ? current
        : await loadFashionMnist({ dataDir: identity.dir, allowDownload: false })
            .then((data) => (wanted(data) ? data : null))
            .catch(() => null);
    if (!found)
      return {
        samples: null,
        note: `The training files this run trained on are no longer in ${identity.dir}${current ? ' or the dataset folder in use' : ''} (their contents changed since): their images cannot be shown. Marks on them are kept.`,
      };
    const bad = indices.find((i) => i >= found.train.count);
    if (bad !== undefined)
      throw new StudioError(
        'invalid-input',
        `training image index ${bad} is out of range (0–${found.train.count - 1})`,
      );
    return { samples: this.pack(found.train, indices), note: null };
  }

  private pack(set: FashionMnist['test'], indices: number[]): DatasetSamples {
    const images = new Uint8Array(indices.length * PIXELS);
    indices.forEach((src, dst) => images.set(set.images.subarray(src * PIXELS, (src + 1) * PIXELS), dst * PIXELS));
    return { images, labels: indices.map((i) => set.labels[i]!), count: indices.length };
  }
}
