/**
 * Batch normalisation and dropout as options of the configurable LeNet-5's builder, on tfjs's
 * `cpu` backend (the reference): where the spec puts them and what they cost in parameters
 * (counted by hand), that the tfjs model follows the spec, and that training and evaluation
 * differ as they must: batch statistics and random masks while training, the moving statistics
 * and no dropout at evaluation. References are computed in plain JS from the layers' inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, kernelsOf, makeTrainStep, stageMap } from '../../src/core/engine';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { PRESETS, parseHyperparams, type ModelOptions } from '../../src/shared/hyperparams';
import { layerSpec, parameterCount } from '../../src/shared/lenet';
import { RELU_MAX, RELU_MAX_RECIPE } from '../support/networks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modern = RELU_MAX;
const BN_EPSILON = 1e-5;

/** The spec's rows as `torchName:params`, the input left out. */
const rowsOf = (options: ModelOptions) =>
  layerSpec(options)
    .slice(1)
    .map((l) => `${l.torchName}:${l.params}`);

/** The modern network's rows up to S4 with batch norm after C1 and C3. */
const CONV_WITH_NORM = [
  'Conv2d:156',
  'BatchNorm2d:12',
  'ReLU:0',
  'MaxPool2d:0',
  'Conv2d:2416',
  'BatchNorm2d:32',
  'ReLU:0',
  'MaxPool2d:0',
];

describe('the layer spec with batch norm and dropout', () => {
  it('puts batch norm between C1, C3 (and C5, F6 with "all") and their activations, 2 parameters per map or unit', () => {
    expect(rowsOf({ ...modern, batchNorm: 'conv' })).toEqual([
      ...CONV_WITH_NORM,
      'Flatten:0',
      'Linear:48120',
      'ReLU:0',
      'Linear:10164',
      'ReLU:0',
      'Linear:850',
    ]);
    expect(rowsOf({ ...modern, batchNorm: 'all', dropout: 0.25 })).toEqual([
      ...CONV_WITH_NORM,
      'Flatten:0',
      'Linear:48120',
      'BatchNorm1d:240',
      'ReLU:0',
      'Dropout:0',
      'Linear:10164',
      'BatchNorm1d:168',
      'ReLU:0',
      'Dropout:0',
      'Linear:850',
    ]);
    // 61,706 + 2·(6 + 16) and + 2·(6 + 16 + 120 + 84): all well under the 100,000 of issue 28.
    expect(parameterCount({ ...modern, batchNorm: 'conv' })).toBe(61_750);
    expect(parameterCount({ ...modern, batchNorm: 'all', dropout: 0.5 })).toBe(62_158);
    const dropout = layerSpec({ ...modern, dropout: 0.25 }).filter((l) => l.kind === 'dropout');
    expect(dropout.map((l) => [l.rate, l.label])).toEqual([
      [0.25, 'Dropout: 0.25'],
      [0.25, 'Dropout: 0.25'],
    ]);
  });

  it('with C5 as a convolution and no dense activation, still after C5 and F6', () => {
    const rows = rowsOf({ ...PRESETS.seed.model, c5: 'conv', batchNorm: 'all', dropout: 0.1 });
    expect(rows.slice(8)).toEqual([
      'Conv2d:48120',
      'BatchNorm2d:240',
      'Flatten:0',
      'Dropout:0',
      'Linear:10164',
      'BatchNorm1d:168',
      'Dropout:0',
      'Linear:850',
    ]);
  });

  it('reads a configuration stored before the options existed as both off, the same network as before', () => {
    const { batchNorm: _b, dropout: _d, ...older } = RELU_MAX;
    const parsed = parseHyperparams({ ...RELU_MAX_RECIPE, model: older });
    expect(parsed.ok && parsed.data.model).toMatchObject({ batchNorm: 'none', dropout: 0 });
    if (parsed.ok)
      expect(layerSpec(parsed.data.model).some((l) => l.kind === 'norm' || l.kind === 'dropout')).toBe(false);
  });

  it('leaves the 1998 network as the paper built it', () => {
    const plain = layerSpec(PRESETS.lecun1998.model);
    expect(layerSpec({ ...PRESETS.lecun1998.model, batchNorm: 'all', dropout: 0.5 })).toEqual(plain);
  });
});

describe('the tfjs model with batch norm and dropout', () => {
  const variants: ModelOptions[] = [
    { ...modern, batchNorm: 'conv' },
    { ...modern, batchNorm: 'all', dropout: 0.3 },
    { ...modern, c5: 'conv', inputSize: 32, batchNorm: 'all', dropout: 0.5 },
    { ...PRESETS.seed.model, dropout: 0.2 },
  ];

  it.each(variants.map((v) => [JSON.stringify(v), v] as const))('follows the spec: %s', (_, options) => {
    const model = buildLeNet5(options, 1);
    try {
      const spec = layerSpec(options).slice(1);
      expect(model.layers.map((l) => l.name)).toEqual(spec.map((l) => `${l.torchName}-${l.index}`));
      // Trainable numbers as the spec counts them; a BN layer also holds its moving mean and variance.
      const sizes = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
      model.layers.forEach((layer, i) => expect(sizes(layer.trainableWeights), layer.name).toBe(spec[i].params));
      expect(sizes(model.trainableWeights)).toBe(parameterCount(options));
      expect(model.outputs[0].shape).toEqual([null, 10]);
    } finally {
      model.dispose();
    }
  });
});

describe('the inspector’s view of a network with batch norm', () => {
  it('shows C1 and C3 after their activation (past the batch norm), and C1’s and C3’s kernels', () => {
    const options: ModelOptions = { ...modern, batchNorm: 'all', dropout: 0.3 };
    const model = buildLeNet5(options, 5);
    try {
      const stages = stageMap(options);
      const names = Object.fromEntries(Object.entries(stages).map(([id, i]) => [id, model.layers[i]!.name]));
      expect(names).toEqual({
        C1: 'ReLU-3',
        S2: 'MaxPool2d-4',
        C3: 'ReLU-7',
        S4: 'MaxPool2d-8',
        C5: 'Dropout-13',
        F6: 'Dropout-17',
        Output: 'Linear-18',
      });
      const kernels = kernelsOf(model, stages);
      const c1 = model.getLayer('Conv2d-1').getWeights()[0]!;
      expect(kernels.c1.length).toBe(150);
      expect(kernels.c3.length).toBe(2400);
      // [out][in][kh][kw] from tfjs's [kh][kw][in][out]: the first number is the same one.
      expect(kernels.c1[0]).toBe(c1.dataSync()[0]);
    } finally {
      model.dispose();
    }
  });
});

/** Per-channel mean and biased variance of channels-last values with `c` channels. */
function channelMoments(values: Float32Array, c: number): { mean: number[]; variance: number[] } {
  const n = values.length / c;
  const mean = Array.from({ length: c }, (_, k) => {
    let s = 0;
    for (let i = k; i < values.length; i += c) s += values[i];
    return s / n;
  });
  const variance = mean.map((m, k) => {
    let s = 0;
    for (let i = k; i < values.length; i += c) s += (values[i] - m) ** 2;
    return s / n;
  });
  return { mean, variance };
}

/** (x − mean)/√(var + ε)·γ + β per channel, in plain JS. */
function normalised(x: Float32Array, mean: number[], variance: number[], gamma: number[], beta: number[]): number[] {
  const c = mean.length;
  return Array.from(x, (v, i) => {
    const k = i % c;
    return ((v - mean[k]) / Math.sqrt(variance[k] + BN_EPSILON)) * gamma[k] + beta[k];
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('batch norm: batch statistics in training, moving statistics at evaluation', () => {
  it('normalises by the moving mean and variance at evaluation and by the batch’s while training (to 1e-4)', () => {
    const model = buildLeNet5({ ...modern, batchNorm: 'conv' }, 2);
    const bn = model.layers.find((l) => l.name.startsWith('BatchNorm2d'))!;
    // γ, β, moving mean, moving variance: set to values far from the initial 1, 0, 0, 1.
    const gamma = [1.5, 0.5, 2, 1, 0.8, 1.2];
    const beta = [0.1, -0.2, 0.3, 0, 0.5, -0.4];
    const movingMean = [0.3, -0.1, 0.2, 0.05, -0.3, 0.4];
    const movingVar = [2, 0.5, 1.5, 0.8, 3, 0.25];
    bn.setWeights([gamma, beta, movingMean, movingVar].map((v) => tf.tensor1d(v)));
    const x = tf.randomNormal([4, 28, 28, 6], 0, 1.3, 'float32', 9);
    const values = x.dataSync() as Float32Array;
    const atEvaluation = tf.tidy(() => (bn.apply(x, { training: false }) as tf.Tensor).dataSync());
    expect(maxDiff(atEvaluation, normalised(values, movingMean, movingVar, gamma, beta))).toBeLessThan(1e-4);
    const inTraining = tf.tidy(() => (bn.apply(x, { training: true }) as tf.Tensor).dataSync());
    const batch = channelMoments(values, 6);
    expect(maxDiff(inTraining, normalised(values, batch.mean, batch.variance, gamma, beta))).toBeLessThan(1e-4);
    x.dispose();
    model.dispose();
  });

  it('a training step moves the moving mean by 1 − momentum toward the batch’s; predicting moves nothing', () => {
    const config = { ...RELU_MAX_RECIPE, model: { ...modern, batchNorm: 'conv' as const } };
    const model = buildLeNet5(config.model, 4);
    const optimizer = createOptimizer(config);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = makeTrainStep(model, optimizer, variables, [], 0);
    const images = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    const order = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    // C1's output on the batch, before the step changes C1: what the first BN sees.
    const c1 = tf.model({ inputs: model.inputs, outputs: model.layers[0].output as tf.SymbolicTensor });
    const c1Out = tf.tidy(() => (c1.predict(images) as tf.Tensor).dataSync() as Float32Array);
    const bn = model.layers[1];
    expect(bn.name).toMatch(/^BatchNorm2d/);
    const momentsOf = () => bn.getWeights().map((w) => Array.from(w.dataSync()));

    tf.tidy(() => model.predict(images));
    expect(momentsOf()[2]).toEqual([0, 0, 0, 0, 0, 0]);
    step(images, labels, order, 0, 8);
    const expected = channelMoments(c1Out, 6).mean.map((m) => 0.1 * m);
    expect(maxDiff(momentsOf()[2], expected)).toBeLessThan(1e-5);
    expect(expected.some((m) => Math.abs(m) > 1e-3)).toBe(true);

    const after = momentsOf();
    const first = tf.tidy(() => (model.predict(images) as tf.Tensor).dataSync());
    const second = tf.tidy(() => (model.predict(images) as tf.Tensor).dataSync());
    expect(Array.from(second)).toEqual(Array.from(first));
    expect(momentsOf()).toEqual(after);
    tf.dispose([images, labels, order]);
    optimizer.dispose();
    model.dispose();
  });
});

describe('dropout: random masks while training, the identity at evaluation', () => {
  it('zeroes about `rate` of the units while training and scales the rest by 1/(1 − rate); none at evaluation', () => {
    const model = buildLeNet5({ ...modern, dropout: 0.5 }, 6);
    const dropout = model.layers.find((l) => l.name.startsWith('Dropout'))!;
    const x = tf.ones([100, 120]);
    const masks = [0, 1].map(() =>
      tf.tidy(() => Array.from((dropout.apply(x, { training: true }) as tf.Tensor).dataSync())),
    );
    for (const m of masks) {
      const zeros = m.filter((v) => v === 0).length / m.length;
      // 12,000 fair draws: the share's standard deviation is 0.0046; ±0.03 is 6.5 of them.
      expect(Math.abs(zeros - 0.5)).toBeLessThan(0.03);
      expect(m.every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
    }
    expect(masks[1]).not.toEqual(masks[0]);
    const atEvaluation = tf.tidy(() => Array.from((dropout.apply(x, { training: false }) as tf.Tensor).dataSync()));
    expect(atEvaluation.every((v) => v === 1)).toBe(true);
    x.dispose();
    model.dispose();
  });

  it('draws the same masks for the same seed (a repeated run drops the same units)', () => {
    const masksOf = (seed: number) => {
      const model = buildLeNet5({ ...modern, dropout: 0.3 }, seed);
      const dropout = model.layers.find((l) => l.name.startsWith('Dropout'))!;
      const x = tf.ones([10, 120]);
      const masks = [0, 1].map(() =>
        tf.tidy(() => Array.from((dropout.apply(x, { training: true }) as tf.Tensor).dataSync())),
      );
      x.dispose();
      model.dispose();
      return masks;
    };
    expect(masksOf(11)).toEqual(masksOf(11));
    expect(masksOf(11)).not.toEqual(masksOf(12));
  });

  it('predicts exactly as the same weights without dropout do', () => {
    const withDropout = buildLeNet5({ ...modern, batchNorm: 'all', dropout: 0.5 }, 8);
    const without = buildLeNet5({ ...modern, batchNorm: 'all' }, 8);
    // Dropout holds no weights: the two models' weight lists line up.
    without.setWeights(withDropout.getWeights());
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 2);
    const a = tf.tidy(() => (withDropout.predict(x) as tf.Tensor).dataSync());
    const b = tf.tidy(() => (without.predict(x) as tf.Tensor).dataSync());
    expect(maxDiff(a, b)).toBe(0);
    const trained = tf.tidy(() => (withDropout.apply(x, { training: true }) as tf.Tensor).dataSync());
    expect(maxDiff(trained, b)).toBeGreaterThan(1e-3);
    x.dispose();
    withDropout.dispose();
    without.dispose();
  });
});
