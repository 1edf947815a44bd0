/**
 * FashionMNIST for the engine: locate, download, validate, identify, split.
 * The trainer codes against exactly these names.
 */
export type { FashionMnist, ImageSet } from './types';
export { DatasetError } from './errors';
export { loadFashionMnist, locateFashionMnist, clearFashionMnistCache, type LoadFashionMnistOptions } from './load';
export { splitTrainValidation, mulberry32, shuffleInPlace, selectImages } from './split';
export { downloadFashionMnist, type DownloadOptions, type DownloadProgress } from './download';
export {
  readIdxImages,
  readIdxLabels,
  decodeIdxImages,
  decodeIdxLabels,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
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
