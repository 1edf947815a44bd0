/**
 * A float32 tensor whose values a callback writes, in place on the wasm backend.
 *
 * `tf.tensor(values)` needs the values in a JS array first, and the wasm backend then copies them
 * into its heap: for the 54,000 training images that is a 169 MB Float32Array alive beside its
 * 169 MB copy, and the heap never gives memory back, so the trainer's peak RSS carries both. On
 * wasm the tensor is made first (zeroed on the heap) and `fill` writes straight into its memory;
 * elsewhere the usual array and copy.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function filledFloat32Tensor(shape: number[], fill: (values: Float32Array) => void): tf.Tensor {
  if (tf.getBackend() === 'wasm') {
    const tensor = tf.zeros(shape, 'float32');
    // A view of the tensor's own memory: nothing allocates between taking it and filling it.
    fill((tf.backend() as BackendWasm).typedArrayFromHeap(tensor) as Float32Array);
    return tensor;
  }
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  fill(values);
  return tf.tensor(values, shape, 'float32');
}
