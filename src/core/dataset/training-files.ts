/**
 * A run's training images are named by the SHA-256 of its two training files: a folder holds
 * them when both hashes match (its files may have changed since the run read them).
 */
import type { DatasetIdentity } from '../../shared/training';
import type { FashionMnist } from './types';

export const TRAIN_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'] as const;

export type TrainingFileHashes = Pick<DatasetIdentity['sha256'], (typeof TRAIN_FILES)[number]>;

/** Whether `data` was read from the training files `sha256` names. */
export function holdsTrainingFiles(data: FashionMnist, sha256: TrainingFileHashes): boolean {
  return TRAIN_FILES.every((file) => data.identity.sha256[file] === sha256[file]);
}
