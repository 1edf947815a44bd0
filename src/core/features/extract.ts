/**
 * A checkpoint's features for many images: the activation at one stage (C5 or F6) for every
 * image, and the predicted class, in batches so memory stays bounded (10,000 test images at once
 * would be a 31 MB input tensor plus every layer's output). tfjs API only; every tensor disposed.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIDE } from '../dataset';

const BATCH = 500;

export interface Features {
  /** count × width, row-major. */
  values: Float32Array;
  width: number;
  predicted: Uint8Array;
}

/** `images`: count × 784 bytes (0–255). `stage`: the layer index whose output is the feature. */
export function extractFeatures(model: tf.LayersModel, stage: number, images: Uint8Array, count: number): Features {
  if (images.length !== count * IMAGE_PIXELS) throw new Error(`expected ${count} images of ${IMAGE_PIXELS} bytes`);
  const layers = model.layers;
  const width = (layers[stage].outputShape as number[]).slice(1).reduce((a, b) => a * b, 1);
  const values = new Float32Array(count * width);
  const predicted = new Uint8Array(count);
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    tf.tidy(() => {
      const bytes = images.subarray(start * IMAGE_PIXELS, (start + size) * IMAGE_PIXELS);
      let y: tf.Tensor = tf.div(tf.tensor4d(bytes, [size, IMAGE_SIDE, IMAGE_SIDE, 1], 'float32'), 255);
      for (let i = 0; i < layers.length; i++) {
        y = layers[i].apply(y, { training: false }) as tf.Tensor;
        if (i === stage) values.set(tf.reshape(y, [size, width]).dataSync() as Float32Array, start * width);
      }
      predicted.set(tf.argMax(y, 1).dataSync() as Int32Array, start);
    });
  }
  return { values, width, predicted };
}
