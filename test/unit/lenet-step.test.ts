/**
 * The fused LeNet-5 step (src/core/engine/fused/) against tfjs's `cpu` backend running the model
 * build.ts makes, on the same weights and batch: every parameter's gradient, the loss and the
 * count of correct predictions, for the configurations it trains; then Adam (with weight decay)
 * over a few steps against the trainer's tfjs path (optimizer.ts). And the committed module is
 * what scripts/lenet-step.mjs compiles from the C source.
 *
 * Tolerance: float32 sums in a different order, and our exp (Cephes, ≈1 ulp) against Math.exp:
 * max |Δ| ≤ 1e-5 × the largest |gradient| of that tensor (measured ≤ 4e-7 of it).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { compileLenetStep } from '../../scripts/lenet-step.mjs';
import { selectBackend } from '../../src/core/engine/backend';
import { LENET_STEP_WASM_BASE64 } from '../../src/core/engine/fused/lenet-step.wasm';
import { LeNetStep, FUSED_PARAMETER_SHAPES, fusedStepRefusal } from '../../src/core/engine/fused/lenet-step';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { applyGradients, createOptimizer } from '../../src/core/engine/optimizer';
import { PRESETS, type ModelOptions } from '../../src/shared/hyperparams';
import { mulberry32 } from '../../src/shared/random';
import { RELU_MAX, RELU_MAX_RECIPE } from '../support/networks';

beforeAll(async () => {
  await selectBackend('cpu');
});

const BATCH = 16;
const IMAGES = 40;

/** Bytes like FashionMNIST's: many zeros, the rest anywhere in 0–255. */
function images(seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: IMAGES * 784 }, () => (random() < 0.4 ? 0 : Math.floor(random() * 256)));
}
const labelsOf = (seed: number) => {
  const random = mulberry32(seed);
  return Int32Array.from({ length: IMAGES }, () => Math.floor(random() * 10));
};
const order = Int32Array.from({ length: IMAGES }, (_, i) => (i * 7) % IMAGES);

/**
 * The trainer's tfjs step (train.ts makeTrainStep) up to the gradients. With `smoothing`, the
 * gradients are of tfjs's own label-smoothed loss (tf.losses.softmaxCrossEntropy's labelSmoothing:
 * targets (1 − ε)·one-hot + ε/10) and the loss reported is the plain cross-entropy, as the trainer reports it.
 */
function tfjsGradients(
  model: tf.LayersModel,
  bytes: Uint8Array,
  labels: Int32Array,
  start: number,
  size: number,
  smoothing = 0,
) {
  return tf.tidy(() => {
    const index = Array.from(order.subarray(start, start + size));
    const x = tf.tensor4d(
      Float32Array.from(index.flatMap((i) => Array.from(bytes.subarray(i * 784, i * 784 + 784), (b) => b / 255))),
      [size, 28, 28, 1],
    );
    const batchLabels = tf.tensor1d(
      index.map((i) => labels[i]),
      'int32',
    );
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let correct = 0;
    let logitValues: Float32Array<ArrayBufferLike> = new Float32Array(0);
    let plainLoss = 0;
    const { grads } = tf.variableGrads(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      logitValues = logits.dataSync() as Float32Array;
      correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), batchLabels), 'int32')).dataSync()[0];
      const oneHot = tf.oneHot(batchLabels, 10);
      plainLoss = tf.losses.softmaxCrossEntropy(oneHot, logits).dataSync()[0];
      return tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, smoothing) as tf.Scalar;
    }, variables);
    return {
      loss: plainLoss,
      correct,
      ...marginsOf(
        logitValues,
        index.map((i) => labels[i]),
      ),
      grads: variables.map((v) => grads[v.name].dataSync() as Float32Array),
    };
  });
}

/** The label audit's figures, by hand: the label's logit minus the largest other, and that other's class (first on ties). */
function marginsOf(logits: Float32Array, labels: number[]): { margins: number[]; believed: number[] } {
  const margins: number[] = [];
  const believed: number[] = [];
  labels.forEach((label, row) => {
    const z = logits.subarray(row * 10, row * 10 + 10);
    let other = -1;
    for (let j = 0; j < 10; j++) if (j !== label && (other < 0 || z[j] > z[other])) other = j;
    margins.push(z[label] - z[other]);
    believed.push(other);
  });
  return { margins, believed };
}

function loadWeights(step: LeNetStep, model: tf.LayersModel): void {
  const ranges = LeNetStep.ranges();
  model.getWeights().forEach((w, i) => step.params.set(w.dataSync() as Float32Array, ranges[i].offset));
}

const CONFIGS: { name: string; model: ModelOptions; smoothing?: number }[] = [
  { name: 'seed (sigmoid, average pooling, no dense activation)', model: PRESETS.seed.model },
  { name: 'seed with label smoothing 0.1', model: PRESETS.seed.model, smoothing: 0.1 },
  { name: 'modern with label smoothing 0.5', model: RELU_MAX, smoothing: 0.5 },
  { name: 'modern (relu, max pooling, relu dense)', model: RELU_MAX },
  {
    name: 'tanh, max pooling, sigmoid dense',
    model: { ...PRESETS.seed.model, convActivation: 'tanh', pooling: 'max', denseActivation: 'sigmoid' },
  },
  {
    name: 'relu, average pooling, tanh dense',
    model: { ...PRESETS.seed.model, convActivation: 'relu', denseActivation: 'tanh' },
  },
];

describe('the fused LeNet-5 step against tfjs cpu', () => {
  it.each(CONFIGS)(
    '$name: every gradient, the loss, the correct count and the margins',
    ({ model: options, smoothing }) => {
      const model = buildLeNet5(options, 5);
      expect(model.trainableWeights.map((w) => w.shape)).toEqual(FUSED_PARAMETER_SHAPES);
      const bytes = images(1);
      const labels = labelsOf(2);
      const step = new LeNetStep(options, smoothing);
      loadWeights(step, model);
      const ours = step.gradients(bytes, labels, order, 3, BATCH);
      const reference = tfjsGradients(model, bytes, labels, 3, BATCH, smoothing);
      expect(ours.loss).toBeCloseTo(reference.loss, 5);
      expect(ours.correct).toBe(reference.correct);
      // The label audit's margins (margins.ts): float32 logits summed in another order, ≤ 1e-4.
      Array.from(ours.margins.subarray(0, BATCH)).forEach((m, i) => expect(m).toBeCloseTo(reference.margins[i], 4));
      expect(Array.from(ours.margins.subarray(BATCH))).toEqual(reference.believed);
      LeNetStep.ranges().forEach(({ offset, size }, i) => {
        const want = reference.grads[i];
        const got = step.grads.subarray(offset, offset + size);
        const scale = Math.max(...want.map(Math.abs));
        expect(scale, `tensor ${i} has a gradient to compare`).toBeGreaterThan(0);
        let worst = 0;
        for (let j = 0; j < size; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
        expect(worst / scale, `tensor ${i} [${FUSED_PARAMETER_SHAPES[i]}]`).toBeLessThanOrEqual(1e-5);
      });
      model.dispose();
    },
  );

  it('three Adam steps with weight decay land where the trainer’s tfjs path does', () => {
    const config = { ...RELU_MAX_RECIPE, learningRate: 0.01, weightDecay: 0.01 };
    const model = buildLeNet5(config.model, 9);
    const bytes = images(3);
    const labels = labelsOf(4);
    const step = new LeNetStep(config.model);
    loadWeights(step, model);
    const optimizer = createOptimizer(config);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernels = variables.filter((v) => v.rank >= 2);
    let accBeta1 = 1;
    let accBeta2 = 1;
    for (let s = 0; s < 3; s++) {
      const reference = tfjsGradients(model, bytes, labels, s * 12, BATCH);
      applyGradients(
        optimizer,
        Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(reference.grads[i], v.shape)])),
        kernels,
        config.weightDecay,
      );
      step.gradients(bytes, labels, order, s * 12, BATCH);
      accBeta1 = Math.fround(accBeta1 * Math.fround(0.9));
      accBeta2 = Math.fround(accBeta2 * Math.fround(0.999));
      step.adam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, learningRate: 0.01, accBeta1, accBeta2, weightDecay: 0.01 });
    }
    // Adam's first steps move every weight by ≈ lr whatever the gradient's size, so a gradient
    // near zero may differ in sign: compare the weights against lr, 1% of it at most.
    let worst = 0;
    const ranges = LeNetStep.ranges();
    model.getWeights().forEach((w, i) => {
      const want = w.dataSync();
      const got = step.params.subarray(ranges[i].offset, ranges[i].offset + ranges[i].size);
      for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
    });
    expect(worst).toBeLessThan(0.01 * 0.01);
    optimizer.dispose();
    model.dispose();
  });

  it('refuses the networks it does not have, naming what', () => {
    const seed = PRESETS.seed;
    expect(fusedStepRefusal(seed)).toBeNull();
    expect(fusedStepRefusal({ ...seed, model: { ...seed.model, inputSize: 32 } })).toMatch(/input size 32/);
    expect(fusedStepRefusal({ ...seed, model: { ...seed.model, c5: 'conv' } })).toMatch(/C5 as a convolution/);
    expect(fusedStepRefusal({ ...seed, optimizer: 'rmsprop' })).toMatch(/the rmsprop optimizer/);
    expect(fusedStepRefusal({ ...seed, augmentShift: 2 })).toMatch(/augmentation/);
    expect(fusedStepRefusal({ ...seed, augmentFlip: 'horizontal' })).toMatch(/augmentation/);
    expect(fusedStepRefusal({ ...seed, model: { ...seed.model, c3Maps: 32 } })).toMatch(/widths 6, 32, 120, 84/);
    expect(fusedStepRefusal(PRESETS.lecun1998)).toMatch(/1998/);
    // The module checks the smoothing itself too: a caller past the schema gets an error, not NaN.
    expect(() => new LeNetStep(seed.model, 0.7)).toThrow(/refused its configuration \(label smoothing 0.7\)/);
    for (const batchNorm of ['conv', 'all'] as const)
      expect(fusedStepRefusal({ ...seed, model: { ...seed.model, batchNorm } })).toBe(
        'batch normalisation (the fused step has none)',
      );
    expect(fusedStepRefusal({ ...seed, model: { ...seed.model, dropout: 0.2 } })).toBe(
      'dropout (the fused step has none)',
    );
    expect(() => new LeNetStep({ ...PRESETS.seed.model, dropout: 0.5 })).toThrow(/cannot train this network: dropout/);
    expect(() => new LeNetStep({ ...PRESETS.seed.model, c5: 'conv' })).toThrow(/cannot train this network: C5/);
    const step = new LeNetStep(PRESETS.seed.model);
    expect(() => step.gradients(images(1), labelsOf(2), order, 0, 0)).toThrow(/1 to 4096 images, not 0/);
  });

  it('is the module scripts/lenet-step.mjs compiles from lenet-step.c', () => {
    expect(compileLenetStep().equals(Buffer.from(LENET_STEP_WASM_BASE64, 'base64'))).toBe(true);
  });
});
