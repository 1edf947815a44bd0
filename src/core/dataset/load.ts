/**
 * Loading FashionMNIST: locate (the chosen folder alone; without one cache → system → download), read and validate the
 * four IDX files, and name the data by the SHA-256 of its decompressed bytes. The result is cached
 * per process because the trainer may be asked to train several runs in a row.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DATASET_FILES, type DatasetFile, type DatasetIdentity } from '../../shared/training';
import { downloadFashionMnist, type DownloadProgress } from './download';
import { DatasetError, formatCount } from './errors';
import { readIdxImages, readIdxLabels } from './idx';
import {
  candidateFolders,
  chosenFolderProblem,
  locateDatasetFiles,
  type DatasetLocationOptions,
  type LocatedDataset,
} from './locate';
import { OFFICIAL_SHA256, TEST_COUNT, TRAIN_COUNT } from './official';
import type { FashionMnist, ImageSet } from './types';

export interface LoadFashionMnistOptions extends DatasetLocationOptions {
  /** Download into `cacheDir` when no folder has the files. Default true. */
  allowDownload?: boolean;
  /** Download source; default the official bucket. */
  baseUrl?: string;
  /** Injectable transport for the download (tests). */
  fetch?: typeof fetch;
  /**
   * Default true: require 60,000 training and 10,000 test images. false accepts any valid IDX
   * counts (small synthetic datasets in tests).
   */
  strictCounts?: boolean;
  /** Human-readable progress ("Reading …", "Downloading …", warnings about skipped folders). */
  onStatus?: (message: string) => void;
  onProgress?: DownloadProgress;
  signal?: AbortSignal;
}

/** Below the cache folder: decompressed copies of gzip files (see decoded-cache.ts). */
export const DECODED_SUBDIR = 'decoded';

/** Loaded datasets by folder and file stamps: loading the same files twice is free. */
const loaded = new Map<string, Promise<FashionMnist>>();

/** Forget every cached dataset (tests; or to release ~55 MB once training is over). */
export function clearFashionMnistCache(): void {
  loaded.clear();
}

/** Where the dataset would be loaded from, or (`found: false`) why not. */
export interface FashionMnistLocation {
  found: boolean;
  /** The folder found; when not found, the chosen folder (null when none was chosen). */
  dir: string | null;
  source: DatasetIdentity['source'] | null;
  /** Why the chosen folder cannot be used, naming the folder and the files; null otherwise. */
  problem: string | null;
}

/**
 * Where the dataset would be loaded from, without reading or hashing anything (cheap; the status
 * bar polls it). Does not consider downloading: not found means "not on this machine yet", or,
 * with a chosen folder, that folder's `problem`.
 */
export async function locateFashionMnist(opts: DatasetLocationOptions = {}): Promise<FashionMnistLocation> {
  if (opts.dataDir) {
    const problem = await chosenFolderProblem(opts.dataDir);
    return {
      found: problem === null,
      dir: opts.dataDir,
      source: 'user',
      problem: problem && `${opts.dataDir}: ${problem}`,
    };
  }
  const located = await locateDatasetFiles(opts);
  return located
    ? { found: true, dir: located.dir, source: located.source, problem: null }
    : { found: false, dir: null, source: null, problem: null };
}

/**
 * Locate, validate and identify FashionMNIST. The returned object is shared by every caller in
 * this process (cached): treat its arrays as read-only.
 * @throws DatasetError when no folder has the files and downloading is off or fails, or when a
 *   file is not valid IDX (the message names the file and the problem)
 */
export async function loadFashionMnist(opts: LoadFashionMnistOptions = {}): Promise<FashionMnist> {
  const status = opts.onStatus ?? (() => {});
  if (opts.dataDir) {
    // The chosen folder or nothing: never another copy, never a download in its place.
    const problem = await chosenFolderProblem(opts.dataDir);
    if (problem) throw new DatasetError(opts.dataDir, problem);
  }
  let located = await locateDatasetFiles(opts, (dir, source, missing) => {
    // A partly filled folder deserves a word; an empty cache is normal.
    if (missing.length < DATASET_FILES.length) {
      status(`${dir}: skipped (${source} folder lacks ${missing.join(', ')})`);
    }
  });
  if (!located) located = await download(opts, status);

  const strict = opts.strictCounts ?? true;
  const key = await cacheKey(located, strict);
  let pending = loaded.get(key);
  if (!pending) {
    const decodedDir = opts.cacheDir ? join(opts.cacheDir, DECODED_SUBDIR) : undefined;
    pending = readDataset(located, strict, status, decodedDir);
    loaded.set(key, pending);
    // A failed load must not be remembered: the user may fix the files and try again.
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}

async function download(opts: LoadFashionMnistOptions, status: (m: string) => void): Promise<LocatedDataset> {
  const searched = candidateFolders(opts)
    .map((c) => c.dir)
    .join(', ');
  if (opts.allowDownload === false) {
    throw new DatasetError(searched, 'FashionMNIST not found (downloading is turned off)');
  }
  if (!opts.cacheDir) {
    throw new DatasetError(searched, 'FashionMNIST not found, and there is no cache folder to download it into');
  }
  status(`Downloading FashionMNIST into ${opts.cacheDir}`);
  const files = await downloadFashionMnist({
    cacheDir: opts.cacheDir,
    baseUrl: opts.baseUrl,
    fetch: opts.fetch,
    strictCounts: opts.strictCounts,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  return { dir: opts.cacheDir, source: 'download', files };
}

/** Same folder, same files (size and mtime), same rules → same dataset. */
async function cacheKey(located: LocatedDataset, strict: boolean): Promise<string> {
  const stamps = await Promise.all(
    DATASET_FILES.map(async (name) => {
      const s = await stat(located.files[name]);
      return `${located.files[name]}:${s.size}:${s.mtimeMs}`;
    }),
  );
  return [located.source, strict, ...stamps].join('|');
}

async function readDataset(
  located: LocatedDataset,
  strict: boolean,
  status: (m: string) => void,
  decodedDir: string | undefined,
): Promise<FashionMnist> {
  status(`Reading FashionMNIST from ${located.dir}`);
  const f = located.files;
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdxImages(f['train-images-idx3-ubyte'], strict ? TRAIN_COUNT : undefined, decodedDir),
    readIdxLabels(f['train-labels-idx1-ubyte'], strict ? TRAIN_COUNT : undefined, decodedDir),
    readIdxImages(f['t10k-images-idx3-ubyte'], strict ? TEST_COUNT : undefined, decodedDir),
    readIdxLabels(f['t10k-labels-idx1-ubyte'], strict ? TEST_COUNT : undefined, decodedDir),
  ]);
  const train = pairUp(f['train-images-idx3-ubyte'], trainImages, f['train-labels-idx1-ubyte'], trainLabels);
  const test = pairUp(f['t10k-images-idx3-ubyte'], testImages, f['t10k-labels-idx1-ubyte'], testLabels);

  const sha256: Record<DatasetFile, string> = {
    'train-images-idx3-ubyte': trainImages.sha256,
    'train-labels-idx1-ubyte': trainLabels.sha256,
    't10k-images-idx3-ubyte': testImages.sha256,
    't10k-labels-idx1-ubyte': testLabels.sha256,
  };
  const differing = DATASET_FILES.filter((name) => sha256[name] !== OFFICIAL_SHA256[name]);
  if (differing.length > 0) {
    status(
      `${located.dir}: valid IDX but not the official FashionMNIST (${differing.join(', ')} differ); runs will be flagged`,
    );
  }
  return {
    identity: { source: located.source, dir: located.dir, sha256, official: differing.length === 0 },
    train,
    test,
  };
}

function pairUp(
  imagesPath: string,
  images: { images: Uint8Array; count: number },
  labelsPath: string,
  labels: { labels: Uint8Array; count: number },
): ImageSet {
  if (images.count !== labels.count) {
    throw new DatasetError(
      `${basename(imagesPath)} + ${basename(labelsPath)}`,
      `${formatCount(images.count)} images but ${formatCount(labels.count)} labels`,
    );
  }
  return { images: images.images, labels: labels.labels, count: images.count };
}
