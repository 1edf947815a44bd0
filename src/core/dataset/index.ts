/**
 * The dataset room's front door: FashionMNIST on disk, found, downloaded, validated, identified
 * and split, and the service main asks about it (DatasetService). No tfjs here: main's side reads
 * the dataset without loading the engine, and the engine imports this door for its data.
 */
export type { FashionMnist, ImageSet } from './types';
export { DatasetError } from './errors';
export { loadFashionMnist, locateFashionMnist, clearFashionMnistCache, type LoadFashionMnistOptions } from './load';
export { splitTrainValidation, shuffleInPlace, selectImages } from './split';
export { randomDataset } from './random';
export { DatasetService } from './service';
export { holdsTrainingFiles, type TrainingFileHashes } from './training-files';
export { downloadFashionMnist, type DownloadOptions, type DownloadProgress } from './download';
export {
  readIdxImages,
  readIdxLabels,
  decodeIdxImages,
  decodeIdxLabels,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  sha256Hex,
} from './idx';
export type { DatasetLocationOptions } from './locate';
export {
  OFFICIAL_SHA256,
  OFFICIAL_BASE_URL,
  SYSTEM_DATASET_DIR,
  TRAIN_COUNT,
  TEST_COUNT,
  IMAGE_SIDE,
  IMAGE_PIXELS,
  CLASS_COUNT,
} from './official';
