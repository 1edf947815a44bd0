/**
 * Seeded train/validation split. The same seed always holds out the same images, so runs that
 * differ only in hyperparameters are compared on the same validation set.
 */
import { mulberry32 } from '../../shared/random';
import { IMAGE_PIXELS } from './official';
import type { ImageSet } from './types';

/** Fisher–Yates shuffle in place, driven by `random` (e.g. `mulberry32(seed)`). */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(array: T, random: () => number): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** A new ImageSet holding the images at `indices`, in that order. */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const images = new Uint8Array(indices.length * IMAGE_PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(set.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), k * IMAGE_PIXELS);
    labels[k] = set.labels[i];
  }
  return { images, labels, count: indices.length };
}

/**
 * Split the training set with a seeded shuffle: the validation images are carved first
 * (`round(count × validationFraction)`, none when that is 0), then `trainSubset` images (0 = all
 * that remain; more than remain = all that remain) are taken from the rest. Because both are
 * prefixes of one permutation, a smaller subset is contained in a larger one for the same seed,
 * and the validation set does not depend on `trainSubset`.
 * `leaveOut` (indices into `train`, e.g. images marked mislabeled) are then dropped from the
 * training part only: the run trains on exactly the images it would have trained on without them
 * (the subset is not topped up), and its validation set is the one it would have had.
 * Both results are in shuffled order and are copies (the input is not modified).
 * @throws RangeError when the fraction is outside [0, 1), the subset is negative or not an integer,
 *   or nothing would be left to train on
 */
export function splitTrainValidation(
  train: ImageSet,
  opts: { validationFraction: number; trainSubset: number; seed: number; leaveOut?: ArrayLike<number> },
): { train: ImageSet; validation: ImageSet | null; trainIndices: Uint32Array; leftOut: Uint32Array } {
  const { validationFraction, trainSubset, seed } = opts;
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`validationFraction must be from 0 to below 1, got ${validationFraction}`);
  }
  if (!Number.isInteger(trainSubset) || trainSubset < 0) {
    throw new RangeError(`trainSubset must be a non-negative integer, got ${trainSubset}`);
  }
  const order = new Uint32Array(train.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  shuffleInPlace(order, mulberry32(seed));

  const validationCount = Math.round(train.count * validationFraction);
  const remaining = train.count - validationCount;
  const trainCount = trainSubset === 0 ? remaining : Math.min(trainSubset, remaining);
  if (trainCount <= 0) {
    throw new RangeError(
      `no training images left after holding out ${validationCount} of ${train.count} for validation`,
    );
  }
  const portion = order.subarray(validationCount, validationCount + trainCount);
  const leaveOut = new Set(Array.from(opts.leaveOut ?? []));
  const trainIndices = portion.filter((i) => !leaveOut.has(i));
  const leftOut = portion.filter((i) => leaveOut.has(i)).sort();
  if (trainIndices.length === 0) {
    throw new RangeError(`no training images left after leaving out the ${leftOut.length} marked ones`);
  }
  return {
    train: selectImages(train, trainIndices),
    validation: validationCount > 0 ? selectImages(train, order.subarray(0, validationCount)) : null,
    // Which image of `train` each training image is: per-image signals are kept by this index.
    trainIndices,
    // Those of `leaveOut` this split would have trained on, ascending: what the run left out.
    leftOut,
  };
}
