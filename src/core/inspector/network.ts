/**
 * What one image does inside a loaded LeNet5: every stage's activation, the gradient of a class
 * score with respect to the input (SmoothGrad) and Grad-CAM on C3. Where each stage is and the
 * learned kernels are the engine's (engine/model/stages.ts, kernels.ts).
 * tfjs API only (the inspector process picked the backend); every tensor is disposed here.
 *
 * The model is walked layer by layer (`layer.apply`) rather than through a multi-output model, so
 * one pass yields every stage and a gradient can start from any layer's output.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerActivation, StageId } from '../../shared/inspect';
import { IMAGE_PIXELS, IMAGE_SIDE } from '../dataset';
import type { StageMap } from '../engine';

export const STAGE_LABELS: Record<StageId, string> = {
  C1: 'C1 convolution',
  S2: 'S2 pooling',
  C3: 'C3 convolution',
  S4: 'S4 pooling',
  C5: 'C5',
  F6: 'F6',
  Output: 'Output',
};

/** One image (784 bytes, 0–255) as the model's input [1, 28, 28, 1] in [0, 1]. */
export function imageTensor(pixels: Uint8Array): tf.Tensor4D {
  if (pixels.length !== IMAGE_PIXELS) throw new Error(`expected ${IMAGE_PIXELS} pixels, got ${pixels.length}`);
  return tf.tidy(() => tf.div(tf.tensor4d(pixels, [1, IMAGE_SIDE, IMAGE_SIDE, 1], 'float32'), 255) as tf.Tensor4D);
}

/** Apply `layers[from … to]` (inclusive) to `x`, as inference. */
function applyLayers(layers: tf.layers.Layer[], x: tf.Tensor, from: number, to: number): tf.Tensor {
  let y = x;
  for (let i = from; i <= to; i++) y = layers[i].apply(y, { training: false }) as tf.Tensor;
  return y;
}

/** A [1, …] NHWC or [1, N] tensor as channel-major values and its [C, H, W] or [N] shape. */
function channelMajor(t: tf.Tensor): { shape: number[]; values: Float32Array } {
  if (t.rank === 4) {
    const [, h, w, c] = t.shape as number[];
    const values = tf.tidy(() => tf.transpose(t, [0, 3, 1, 2]).dataSync() as Float32Array);
    return { shape: [c, h, w], values: Float32Array.from(values) };
  }
  return { shape: [t.shape[t.rank - 1]], values: Float32Array.from(t.dataSync() as Float32Array) };
}

function range(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

export interface Forward {
  layers: LayerActivation[];
  logits: number[];
  probabilities: number[];
  predicted: number;
}

/** Every stage's activation for one input, and the output's logits and probabilities. */
export function forward(model: tf.LayersModel, stages: StageMap, x: tf.Tensor4D): Forward {
  const order = Object.entries(stages) as [StageId, number][];
  const wanted = new Map(order.map(([id, index]) => [index, id]));
  const layers: LayerActivation[] = [];
  let logits: number[] = [];
  tf.tidy(() => {
    let y: tf.Tensor = x;
    model.layers.forEach((layer, i) => {
      y = layer.apply(y, { training: false }) as tf.Tensor;
      const id = wanted.get(i);
      if (id === undefined) return;
      const { shape, values } = channelMajor(y);
      if (id === 'Output') logits = Array.from(values);
      layers.push({ id, label: STAGE_LABELS[id], shape, values, ...range(values) });
    });
  });
  layers.sort((a, b) => stages[a.id] - stages[b.id]);
  const probabilities = softmax(logits);
  return { layers, logits, probabilities, predicted: argmax(probabilities) };
}

export function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the gradient of the class's logit with respect to the input,
 * averaged over `samples` copies of the input with Gaussian noise of σ = 15% of the input's range.
 * `samples` = 1 is the plain gradient (Simonyan et al. 2014), with no noise. The noisy copies go
 * through the model as one batch: each row's gradient depends on that row only.
 * Works for any model mapping [n, …] to [n, classes]; the result has the input's shape.
 */
export function smoothGrad(
  model: tf.LayersModel,
  x: tf.Tensor,
  targetClass: number,
  samples: number,
  seed = 1,
): Float32Array {
  return tf.tidy(() => {
    let batch: tf.Tensor = x;
    if (samples > 1) {
      const spread = tf.sub(tf.max(x), tf.min(x)).dataSync()[0] || 1;
      const shape = [samples, ...x.shape.slice(1)];
      batch = tf.add(
        tf.tile(x, [samples, ...x.shape.slice(1).map(() => 1)]),
        tf.randomNormal(shape, 0, 0.15 * spread, 'float32', seed),
      );
    }
    const layers = model.layers;
    const score = (input: tf.Tensor): tf.Scalar => {
      const logits = applyLayers(layers, input, 0, layers.length - 1) as tf.Tensor2D;
      return tf.sum(logits.slice([0, targetClass], [-1, 1])) as tf.Scalar;
    };
    const grads = tf.grad(score)(batch);
    return Float32Array.from(tf.mean(grads, 0).dataSync() as Float32Array);
  });
}

/** Grad-CAM's and LayerCAM's maps of one layer, [H × W] row-major each. */
export interface ClassActivationMaps {
  gradCam: Float32Array;
  layerCam: Float32Array;
}

/**
 * Class activation maps at the output of `model.layers[at]` (NHWC), from one gradient of the
 * class's logit y_c: Grad-CAM (Selvaraju et al. 2017) and LayerCAM (Jiang et al. 2021).
 */
export function classActivationMaps(
  model: tf.LayersModel,
  at: number,
  x: tf.Tensor4D,
  targetClass: number,
): ClassActivationMaps {
  return tf.tidy(() => {
    const layers = model.layers;
    const activation = applyLayers(layers, x, 0, at) as tf.Tensor4D;
    const score = (a: tf.Tensor): tf.Scalar => {
      const logits = applyLayers(layers, a, at + 1, layers.length - 1) as tf.Tensor2D;
      return tf.sum(logits.slice([0, targetClass], [-1, 1])) as tf.Scalar;
    };
    const grads = tf.grad(score)(activation);
    const [, h, w, k] = activation.shape;
    const values = { a: activation.dataSync() as Float32Array, g: grads.dataSync() as Float32Array, h, w, k };
    return { gradCam: gradCamFromValues(values), layerCam: layerCamFromValues(values) };
  });
}

/**
 * Grad-CAM at the output of `model.layers[at]`: α_k = mean over positions of ∂y_c/∂A_k,
 * map = ReLU(Σ_k α_k · A_k), y_c the class's logit. Answers the [H × W] map row-major.
 */
export function gradCam(model: tf.LayersModel, at: number, x: tf.Tensor4D, targetClass: number): Float32Array {
  return classActivationMaps(model, at, x, targetClass).gradCam;
}

/** One image's activation A at a layer and the gradient G of a class's logit there, NHWC [H, W, K]. */
export interface LayerValues {
  a: ArrayLike<number>;
  g: ArrayLike<number>;
  h: number;
  w: number;
  k: number;
}

/** map_p = ReLU(Σ_k weight(p, k) · A_pk): the shape both class activation maps share. */
function reluWeightedSum(v: LayerValues, weight: (p: number, c: number) => number): Float32Array {
  const map = new Float32Array(v.h * v.w);
  for (let p = 0; p < v.h * v.w; p++) {
    let s = 0;
    for (let c = 0; c < v.k; c++) s += weight(p, c) * v.a[p * v.k + c];
    map[p] = Math.max(0, s);
  }
  return map;
}

/** The Grad-CAM formula: each channel weighted by its gradient's mean over the positions. */
export function gradCamFromValues(v: LayerValues): Float32Array {
  const alpha = new Float64Array(v.k);
  for (let p = 0; p < v.h * v.w; p++) for (let c = 0; c < v.k; c++) alpha[c] += v.g[p * v.k + c];
  for (let c = 0; c < v.k; c++) alpha[c] /= v.h * v.w;
  return reluWeightedSum(v, (_, c) => alpha[c]);
}

/**
 * The LayerCAM formula: map_p = ReLU(Σ_k ReLU(G_pk) · A_pk), each position weighted by its own
 * positive gradients rather than by a map-wide mean. Grad-CAM's mean weights can make the sum
 * negative at every position — on a sigmoid network, whose C3 outputs are all positive, for about
 * half the classes of an image — and its map is then zero everywhere; LayerCAM is zero only where
 * no channel both responds and raises the score.
 */
export function layerCamFromValues(v: LayerValues): Float32Array {
  return reluWeightedSum(v, (p, c) => Math.max(0, v.g[p * v.k + c]));
}
