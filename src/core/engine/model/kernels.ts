/** The learned C1 and C3 kernels of a LeNet5, as the inspector shows them and snapshots keep them. */
import * as tf from '@tensorflow/tfjs';
import type { KernelSet } from '../../../shared/inspect';
import type { StageMap } from './stages';

/** A conv layer's kernel [kh, kw, in, out] as [out][in][kh][kw], and its bias. */
function convWeights(layer: tf.layers.Layer): { kernel: Float32Array; bias: Float32Array } {
  const [kernel, bias] = layer.getWeights();
  const values = tf.tidy(() => tf.transpose(kernel, [3, 2, 0, 1]).dataSync() as Float32Array);
  return { kernel: Float32Array.from(values), bias: Float32Array.from(bias.dataSync() as Float32Array) };
}

/** C1's and C3's kernels and biases (their layers are the activations' predecessors). */
export function kernelsOf(model: tf.LayersModel, stages: StageMap): KernelSet {
  const c1 = convWeights(model.layers[stages.C1 - 1]);
  const c3 = convWeights(model.layers[stages.C3 - 1]);
  return { c1: c1.kernel, c1Bias: c1.bias, c3: c3.kernel, c3Bias: c3.bias };
}
