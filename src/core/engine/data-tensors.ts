/** Moving ImageSets onto the tfjs backend once, as the model consumes them. */
import * as tf from '@tensorflow/tfjs';
import { filledFloat32Tensor } from './backend';
import type { ImageSet } from '../dataset';

const SIDE = 28;

/**
 * All images as one float32 tensor [count, 28, 28, 1] scaled to [0, 1] — the model's input
 * convention. Built once per run so each batch is a `gather` on the backend instead of a JS copy.
 * One allocation on the backend, written in place (no chunks + concat, no JS copy first: the wasm
 * heap never shrinks, so a transient double would stay in the trainer's RSS for good).
 */
export function imagesToTensor(set: ImageSet): tf.Tensor4D {
  const bytes = set.images;
  return filledFloat32Tensor([set.count, SIDE, SIDE, 1], (values) => {
    for (let i = 0; i < values.length; i++) values[i] = bytes[i] / 255;
  }) as tf.Tensor4D;
}

/** Class labels as an int32 tensor [count]. */
export function labelsToTensor(set: ImageSet): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from(set.labels), 'int32');
}
