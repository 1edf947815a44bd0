/**
 * The sigmoid's gradient against finite differences: the project replaces tfjs's Sigmoid gradient
 * on every backend (wasm-kernels/sigmoid-grad.ts: our SigmoidGrad kernel on wasm, a composition
 * elsewhere), so the cpu backend is no independent reference for it. Here the reference is the
 * forward pass alone: (f(x + h) − f(x − h)) / 2h, on the real layer the model builder makes and on
 * the seed LeNet5 (sigmoid after every convolution and dense layer), on the backend training uses.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { PRESETS } from '../../src/shared/hyperparams';
import { mulberry32 } from '../../src/shared/random';

beforeAll(async () => {
  await selectBackend('wasm');
});

const uniform = (n: number, seed: number, scale: number) => {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
};

describe('the sigmoid gradient against finite differences (wasm, as training runs it)', () => {
  it('the model’s sigmoid layer: d/dx Σ dy·σ(x) is dy·σ′(x), element by element', () => {
    // The layer as build.ts makes it; one element-wise pass over C1's shape and a tail.
    const layer = tf.layers.activation({ activation: 'sigmoid' });
    const shape = [3, 28, 28, 6];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(uniform(n, 1, 6), shape);
    const dy = tf.tensor(uniform(n, 2, 1), shape);
    const analytic = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => layer.apply(t) as tf.Tensor)(x, dy)
        .dataSync(),
    );
    // Element-wise, so one perturbation of every element at once gives every partial derivative.
    const h = 1e-2;
    const [plus, minus] = [h, -h].map((d) => tf.tidy(() => (layer.apply(x.add(d)) as tf.Tensor).dataSync()));
    const dyValues = dy.dataSync();
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const numeric = (dyValues[i] * (plus[i] - minus[i])) / (2 * h);
      worst = Math.max(worst, Math.abs(analytic[i] - numeric));
    }
    // σ′ ≤ 1/4 and |dy| ≤ 1; float32 forward values over 2h and the h² term stay below 2e-5.
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([x, dy]);
  });

  it('the seed LeNet5: loss gradients of C1, C3 and the dense weights match central differences', async () => {
    const model = buildLeNet5(PRESETS.seed.model, 3);
    const images = tf.tensor4d(uniform(4 * 784, 4, 1).map(Math.abs), [4, 28, 28, 1]);
    const labels = tf.oneHot(tf.tensor1d([0, 3, 7, 9], 'int32'), 10);
    const loss = () => tf.losses.softmaxCrossEntropy(labels, model.predict(images) as tf.Tensor) as tf.Scalar;
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(loss, variables);
    value.dispose();
    // Five entries of each kernel, the largest in gradient (a zero gradient compares nothing):
    // every sigmoid lies between one of them and the loss.
    let checked = 0;
    for (const variable of variables.filter((v) => v.shape.length > 1)) {
      const gradient = await grads[variable.name].data();
      const original = Float32Array.from(await variable.data());
      const picks = [...gradient.keys()].sort((a, b) => Math.abs(gradient[b]) - Math.abs(gradient[a])).slice(0, 5);
      for (const i of picks) {
        const h = 1e-2 * Math.max(1, Math.abs(original[i]));
        const lossAt = (d: number) => {
          const moved = Float32Array.from(original);
          moved[i] += d;
          variable.assign(tf.tensor(moved, variable.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const numeric = (lossAt(h) - lossAt(-h)) / (2 * h);
        variable.assign(tf.tensor(original, variable.shape));
        // Float32 losses (~2.3) over 2h leave ~1e-4 of noise; the gradients are ~1e-2 or more.
        expect(Math.abs(gradient[i] - numeric)).toBeLessThan(2e-3 * Math.max(1e-2, Math.abs(numeric)) + 2e-4);
        checked++;
      }
    }
    expect(checked).toBe(5 * 5); // C1, C3, F5, F6 and the output layer's kernels
    tf.dispose([images, labels, grads]);
    model.dispose();
  });
});
