import type { DatasetIdentity } from '../../shared/training';

/** `count` images of 28×28 bytes (0–255), row-major, each followed in `labels` by its class 0–9. */
export interface ImageSet {
  /** count × 784 bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** The loaded dataset: the test set is for evaluation only and is never split into training. */
export interface FashionMnist {
  identity: DatasetIdentity;
  train: ImageSet;
  test: ImageSet;
}
