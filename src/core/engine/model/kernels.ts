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

/** The convolution nearest before layer `i`: C1's and C3's activation, with a batch norm between or not. */
function convBefore(model: tf.LayersModel, i: number): tf.layers.Layer {
  for (let j = i - 1; j >= 0; j--) if (isConv(model.layers[j])) return model.layers[j];
  throw new Error(`no convolution before layer ${i}`);
}

/** A layer whose first weight is a 4-D kernel (Conv2D, and the 1998 network's partial C3). */
const isConv = (layer: tf.layers.Layer) => layer.weights[0]?.shape.length === 4;

/** C1's and C3's kernels and biases (the convolutions before the activations the stages show). */
export function kernelsOf(model: tf.LayersModel, stages: StageMap): KernelSet {
  const c1 = convWeights(convBefore(model, stages.C1));
  const c3 = convWeights(convBefore(model, stages.C3));
  return { c1: c1.kernel, c1Bias: c1.bias, c3: c3.kernel, c3Bias: c3.bias };
}
