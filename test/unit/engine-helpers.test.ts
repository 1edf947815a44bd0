/** Schedules, optimizers and per-class metrics: the small pure helpers of the training loop. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { classMetrics, confusionMatrix, evaluateModel } from '../../src/core/engine/evaluate';
import { createOptimizer, getLearningRate, setLearningRate } from '../../src/core/engine/optimizer';
import { learningRateAt } from '../../src/core/engine/schedule';
import { PRESETS } from '../../src/shared/hyperparams';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('learningRateAt', () => {
  const base = { ...PRESETS.seed, learningRate: 0.1, epochs: 4, lrStepEpochs: 2, lrGamma: 0.1 };
  it('constant', () => {
    expect([1, 2, 3, 4].map((e) => learningRateAt({ ...base, lrSchedule: 'constant' }, e))).toEqual([
      0.1, 0.1, 0.1, 0.1,
    ]);
  });
  it('step: × gamma every lrStepEpochs', () => {
    const rates = [1, 2, 3, 4, 5].map((e) => learningRateAt({ ...base, lrSchedule: 'step' }, e));
    expect(rates[0]).toBe(0.1);
    expect(rates[1]).toBe(0.1);
    expect(rates[2]).toBeCloseTo(0.01, 12);
    expect(rates[3]).toBeCloseTo(0.01, 12);
    expect(rates[4]).toBeCloseTo(0.001, 12);
  });
  it('cosine: full rate first, half at the middle, above 0 at the last epoch', () => {
    const rates = [1, 2, 3, 4].map((e) => learningRateAt({ ...base, lrSchedule: 'cosine' }, e));
    expect(rates[0]).toBe(0.1);
    expect(rates[2]).toBeCloseTo(0.05, 12);
    expect(rates[3]).toBeGreaterThan(0);
    expect(rates[3]).toBeLessThan(rates[2]);
  });
});

describe('optimizers', () => {
  it.each(['sgd', 'momentum', 'adam', 'rmsprop'] as const)('%s: setLearningRate changes the next step', (name) => {
    const optimizer = createOptimizer({ optimizer: name, learningRate: 0.1, momentum: 0.9 });
    const v = tf.variable(tf.scalar(1));
    const stepSize = (): number => {
      const before = v.dataSync()[0];
      optimizer.minimize(() => tf.mul(v, 2) as tf.Scalar); // constant gradient 2
      return before - v.dataSync()[0];
    };
    const first = stepSize();
    expect(first).toBeGreaterThan(0);
    setLearningRate(optimizer, 0);
    expect(getLearningRate(optimizer)).toBe(0);
    expect(stepSize()).toBe(0);
    optimizer.dispose();
    v.dispose();
  });
});

describe('metrics', () => {
  it('confusion rows are true classes, columns predictions; precision/recall/F1 per class', () => {
    const labels = [0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 1, 1, 0, 3];
    const confusion = confusionMatrix(labels, predicted);
    expect(confusion[0 * 10 + 0]).toBe(2);
    expect(confusion[0 * 10 + 1]).toBe(1);
    expect(confusion[1 * 10 + 0]).toBe(1);
    expect(confusion[2 * 10 + 3]).toBe(1);
    const m = classMetrics(confusion);
    expect(m.precision[0]).toBeCloseTo(2 / 3, 12);
    expect(m.recall[0]).toBeCloseTo(2 / 3, 12);
    expect(m.f1[0]).toBeCloseTo(2 / 3, 12);
    expect(m.precision[1]).toBeCloseTo(1 / 2, 12);
    expect(m.recall[1]).toBeCloseTo(1 / 2, 12);
    expect(m.recall[2]).toBe(0); // never predicted correctly
    expect(m.precision[3]).toBe(0); // predicted once, never right
    expect(m.recall[3]).toBe(0); // never present: zero_division = 0
    expect(m.f1[3]).toBe(0);
  });

  it('evaluateModel: loss, accuracy, argmax predictions and softmax probabilities', () => {
    // A "model" whose logits are the first 10 pixels: predictions are known in advance.
    const input = tf.input({ shape: [28, 28, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 10, useBias: false, kernelInitializer: 'zeros' });
    const model = tf.model({ inputs: input, outputs: dense.apply(flat) as tf.SymbolicTensor });
    const kernel = new Float32Array(784 * 10);
    for (let c = 0; c < 10; c++) kernel[c * 10 + c] = 10;
    dense.setWeights([tf.tensor2d(kernel, [784, 10])]);
    const count = 25;
    const pixels = new Float32Array(count * 784);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      pixels[i * 784 + (i % 10)] = 1;
      labels[i] = i % 3 === 0 ? (i + 1) % 10 : i % 10; // every third one wrong
    }
    const images = tf.tensor4d(pixels, [count, 28, 28, 1]);
    const result = evaluateModel(model, images, labels, 8);
    expect(Array.from(result.predicted)).toEqual(Array.from({ length: count }, (_, i) => i % 10));
    expect(result.accuracy).toBeCloseTo(16 / 25, 12);
    const p = 1 / (1 + 9 * Math.exp(-10)); // softmax of one 10 among zeros
    expect(result.probabilities[0]).toBeCloseTo(p, 5);
    const expectedLoss = (16 * -Math.log(p) + 9 * -Math.log((1 - p) / 9)) / 25;
    expect(result.loss).toBeCloseTo(expectedLoss, 4);
    images.dispose();
    model.dispose();
  });

  it('evaluateModel: each chunk runs as one batch (predict would split it into 32s)', async () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor });
    const images = tf.zeros([150, 28, 28, 1]) as tf.Tensor4D;
    const profile = await tf.profile(() => {
      evaluateModel(model, images, new Uint8Array(150), 100);
    });
    const matMulRows = profile.kernels
      .filter((k) => k.name.includes('MatMul') && !k.name.endsWith('__op')) // kernels, not the ops around them
      .map((k) => k.inputShapes[0]?.at(-2));
    expect(matMulRows).toEqual([100, 50]);
    images.dispose();
    model.dispose();
  });
});
