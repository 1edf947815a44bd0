/**
 * The inspector's numbers on tfjs's `cpu` backend (the reference): activations against the model's
 * own intermediate outputs, the saliency against finite differences, Grad-CAM against its
 * definition on a case worked by hand, kernels against the layers' weights.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { kernelsOf, stageMap } from '../../src/core/engine';
import { classActivationMaps, forward, gradCam, imageTensor, smoothGrad } from '../../src/core/inspector/network';
import { PRESETS, type ModelOptions } from '../../src/shared/hyperparams';
import { mulberry32 } from '../../src/shared/random';
import { RELU_MAX } from '../support/networks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomImage(seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: 784 }, () => Math.floor(random() * 256));
}

const VARIANTS: ModelOptions[] = [
  PRESETS.seed.model,
  {
    architecture: 'lenet5',
    output: 'softmax',
    convActivation: 'relu',
    denseActivation: 'relu',
    pooling: 'max',
    c5: 'conv',
    inputSize: 32,
    c1Maps: 6,
    c3Maps: 16,
    c5Units: 120,
    f6Units: 84,
    batchNorm: 'none',
    dropout: 0,
  },
  // Batch norm between each conv and its activation, dropout after C5 and F6: the stages still
  // show the activations, the kernels are still C1's and C3's (evaluation: dropout is the identity).
  { ...RELU_MAX, batchNorm: 'all', dropout: 0.3 },
];

describe('activations', () => {
  for (const options of VARIANTS) {
    it(`equal the tfjs model's own intermediate outputs (${JSON.stringify(options)}), to 1e-5`, () => {
      const model = buildLeNet5(options, 7);
      const x = imageTensor(randomImage(3));
      try {
        const stages = stageMap(options);
        const result = forward(model, stages, x);
        expect(result.layers.map((l) => l.id)).toEqual(['C1', 'S2', 'C3', 'S4', 'C5', 'F6', 'Output']);
        expect(result.layers.map((l) => l.shape)).toEqual([
          [6, 28, 28],
          [6, 14, 14],
          [16, 10, 10],
          [16, 5, 5],
          [120],
          [84],
          [10],
        ]);
        for (const layer of result.layers) {
          // The model's own output at that layer, through tfjs's functional API.
          const probe = tf.model({
            inputs: model.inputs,
            outputs: model.layers[stages[layer.id]].output as tf.SymbolicTensor,
          });
          const own = tf.tidy(() => {
            const y = probe.predict(x) as tf.Tensor;
            return (y.rank === 4 ? tf.transpose(y, [0, 3, 1, 2]) : y).dataSync() as Float32Array;
          });
          expect(layer.values.length).toBe(own.length);
          let worst = 0;
          for (let i = 0; i < own.length; i++) worst = Math.max(worst, Math.abs(own[i] - layer.values[i]));
          expect(worst, layer.id).toBeLessThan(1e-5);
        }
        const logits = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
        const expected = tf.tidy(() => Array.from(tf.softmax(tf.tensor1d(logits)).dataSync()));
        result.probabilities.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
        expect(result.predicted).toBe(expected.indexOf(Math.max(...expected)));
      } finally {
        x.dispose();
        model.dispose();
      }
    });
  }

  it('leaves no tensors behind', () => {
    const model = buildLeNet5(PRESETS.seed.model, 1);
    const x = imageTensor(randomImage(1));
    const before = tf.memory().numTensors;
    const stages = stageMap(PRESETS.seed.model);
    forward(model, stages, x);
    smoothGrad(model, x, 3, 4);
    gradCam(model, stages.C3, x, 3);
    kernelsOf(model, stages);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

/** A small smooth model: conv 3×3 → sigmoid → avg-pool → dense 4. */
function smallModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 1],
      filters: 3,
      kernelSize: 3,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 2 }),
    }),
  );
  model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 3 }) }));
  return model;
}

describe('saliency', () => {
  it('equals central finite differences of the class logit on a small model (|error| ≤ 2e-3 + 2%)', () => {
    const model = smallModel();
    const random = mulberry32(11);
    const values = Float32Array.from({ length: 36 }, () => random());
    const x = tf.tensor4d(values, [1, 6, 6, 1]);
    const target = 2;
    const gradient = smoothGrad(model, x, target, 1);
    const logit = (v: Float32Array) =>
      tf.tidy(() => (model.predict(tf.tensor4d(v, [1, 6, 6, 1])) as tf.Tensor).dataSync()[target]);
    // eps large enough for float32's rounding of the logit, small enough for the curvature.
    const eps = 1e-2;
    for (let i = 0; i < 36; i++) {
      const up = values.slice();
      const down = values.slice();
      up[i] += eps;
      down[i] -= eps;
      const fd = (logit(up) - logit(down)) / (2 * eps);
      expect(Math.abs(gradient[i] - fd), `pixel ${i}`).toBeLessThanOrEqual(2e-3 + 0.02 * Math.abs(fd));
    }
    expect(gradient.some((g) => Math.abs(g) > 1e-2)).toBe(true);
    x.dispose();
    model.dispose();
  });

  it('SmoothGrad averages the gradients: on a linear model (constant gradient) it equals the plain gradient', () => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [6, 6, 1] }));
    model.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 5 }) }));
    const x = tf.randomUniform([1, 6, 6, 1], 0, 1, 'float32', 4);
    const plain = smoothGrad(model, x, 1, 1);
    const smooth = smoothGrad(model, x, 1, 16);
    const weights = model.layers[1].getWeights()[0].arraySync() as number[][];
    plain.forEach((g, i) => {
      expect(g).toBeCloseTo(weights[i][1], 5);
      expect(smooth[i]).toBeCloseTo(g, 5);
    });
    x.dispose();
    model.dispose();
  });

  it('SmoothGrad on LeNet5 is seeded (the same answer twice) and differs from the plain gradient', () => {
    const model = buildLeNet5(PRESETS.seed.model, 2);
    const x = imageTensor(randomImage(5));
    const a = smoothGrad(model, x, 0, 8);
    const b = smoothGrad(model, x, 0, 8);
    const plain = smoothGrad(model, x, 0, 1);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(plain));
    x.dispose();
    model.dispose();
  });
});

describe('Grad-CAM', () => {
  it('follows its definition on a hand-checked case: ReLU(Σ_k mean(∂y/∂A_k) · A_k)', () => {
    // A (2×2 positions, 2 channels): channel 0 = [1, 3, 5, 7], channel 1 = [4, 4, 4, 4].
    // y_0 = Σ W[:, 0] · flatten(A): ∂y_0/∂A is W's column 0, so α_0 = mean(1, 1, −1, 3) = 1 and
    // α_1 = mean(0, 2, 0, −4) = −0.5; the map is ReLU(A_0 − 0.5·A_1) = ReLU([−1, 1, 3, 5]).
    const model = tf.sequential();
    model.add(tf.layers.activation({ activation: 'linear', inputShape: [2, 2, 2] }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 2 }));
    const column0 = [1, 0, 1, 2, -1, 0, 3, -4]; // NHWC order: (position, channel)
    model.layers[2].setWeights([
      tf.tensor2d(
        column0.flatMap((w) => [w, 0]),
        [8, 2],
      ),
      tf.zeros([2]),
    ]);
    const x = tf.tensor4d([1, 4, 3, 4, 5, 4, 7, 4], [1, 2, 2, 2]);
    expect(Array.from(gradCam(model, 0, x, 0))).toEqual([0, 1, 3, 5]);
    x.dispose();
    model.dispose();
  });

  it('LayerCAM weights each position by its own positive gradients, where Grad-CAM is zero everywhere', () => {
    // The same A as above. Class 0's gradient (W's column 0) per position: (1, 0), (1, 2), (−1, 0),
    // (3, −4), so LayerCAM = [1·1, 1·3 + 2·4, 0, 3·7] = [1, 11, 0, 21].
    // Class 1's: (1, −3), (0, −3), (0, −3), (0, −3): α = (0.25, −3), and 0.25·A_0 − 3·4 < 0 at every
    // position (A_0 ≤ 7), so Grad-CAM is zero everywhere, while LayerCAM keeps position 0: [1, 0, 0, 0].
    const model = tf.sequential();
    model.add(tf.layers.activation({ activation: 'linear', inputShape: [2, 2, 2] }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 2 }));
    const column0 = [1, 0, 1, 2, -1, 0, 3, -4];
    const column1 = [1, -3, 0, -3, 0, -3, 0, -3];
    model.layers[2].setWeights([
      tf.tensor2d(
        column0.flatMap((w, i) => [w, column1[i]]),
        [8, 2],
      ),
      tf.zeros([2]),
    ]);
    const x = tf.tensor4d([1, 4, 3, 4, 5, 4, 7, 4], [1, 2, 2, 2]);
    const first = classActivationMaps(model, 0, x, 0);
    expect(Array.from(first.gradCam)).toEqual([0, 1, 3, 5]);
    expect(Array.from(first.layerCam)).toEqual([1, 11, 0, 21]);
    const second = classActivationMaps(model, 0, x, 1);
    expect(Array.from(second.gradCam)).toEqual([0, 0, 0, 0]);
    expect(Array.from(second.layerCam)).toEqual([1, 0, 0, 0]);
    x.dispose();
    model.dispose();
  });

  it('on LeNet5 is a non-negative 10×10 map at C3', () => {
    const model = buildLeNet5(PRESETS.seed.model, 3);
    const x = imageTensor(randomImage(9));
    const stages = stageMap(PRESETS.seed.model);
    const map = gradCam(model, stages.C3, x, 4);
    expect(map.length).toBe(100);
    expect(map.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    x.dispose();
    model.dispose();
  });
});

describe('kernels', () => {
  it('are C1 [6][1][5][5] and C3 [16][6][5][5] read from the conv layers’ [kh][kw][in][out] weights', () => {
    const model = buildLeNet5(PRESETS.seed.model, 4);
    const stages = stageMap(PRESETS.seed.model);
    const k = kernelsOf(model, stages);
    expect([k.c1.length, k.c1Bias.length, k.c3.length, k.c3Bias.length]).toEqual([150, 6, 2400, 16]);
    const c3 = model.getLayer('Conv2d-4').getWeights()[0].arraySync() as number[][][][];
    // out 7, in 2, row 3, column 1
    expect(k.c3[((7 * 6 + 2) * 5 + 3) * 5 + 1]).toBeCloseTo(c3[3][1][2][7], 7);
    const c1 = model.getLayer('Conv2d-1').getWeights()[0].arraySync() as number[][][][];
    expect(k.c1[(4 * 5 + 2) * 5 + 0]).toBeCloseTo(c1[2][0][0][4], 7);
    model.dispose();
  });
});
