import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { PRESETS } from '../../src/shared/hyperparams';
import { layerSpec, parameterCount } from '../../src/shared/lenet';
import { allVariants } from './model-variants';
import { RELU_MAX } from '../support/networks';

beforeAll(async () => {
  // The reference backend: always available, and what the model code must be correct on.
  await tf.setBackend('cpu');
});

/** tfjs's channels-last [null, H, W, C] → the spec's [C, H, W]. */
function asSpecShape(shape: (number | null)[]): number[] {
  const dims = shape.slice(1) as number[];
  return dims.length === 3 ? [dims[2], dims[0], dims[1]] : dims;
}

describe('buildLeNet5', () => {
  it('matches the layer spec for every variant: parameters, layer shapes, 10 logits out', () => {
    const variants = allVariants();
    expect(variants).toHaveLength(96);
    for (const options of variants) {
      const model = buildLeNet5(options, 1);
      try {
        const spec = layerSpec(options).filter((l) => l.kind !== 'input');
        expect(model.countParams()).toBe(parameterCount(options));
        expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
        expect(model.outputs[0].shape).toEqual([null, 10]);
        expect(model.layers.map((l) => l.name)).toEqual(spec.map((l) => `${l.torchName}-${l.index}`));
        model.layers.forEach((layer, i) => {
          expect(
            asSpecShape(layer.outputShape as (number | null)[]),
            `${JSON.stringify(options)} ${layer.name}`,
          ).toEqual(spec[i].outputShape);
          expect(layer.countParams()).toBe(spec[i].params);
        });
      } finally {
        model.dispose();
      }
    }
  });

  it('outputs logits (no softmax): rows do not sum to 1', () => {
    const model = buildLeNet5({ ...PRESETS.seed.model, convActivation: 'relu' }, 3);
    const logits = tf.tidy(() =>
      (model.predict(tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5)) as tf.Tensor).sum(1).arraySync(),
    ) as number[];
    expect(logits.some((s) => Math.abs(s - 1) > 1e-3)).toBe(true);
    model.dispose();
  });

  it('the same seed gives identical initial weights; another seed does not', () => {
    const weights = (seed: number) => {
      const model = buildLeNet5(PRESETS.seed.model, seed);
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    const a = weights(42);
    expect(weights(42)).toEqual(a);
    const b = weights(43);
    expect(b.map((w, i) => w.some((v, j) => v !== a[i][j]))).toEqual(a.map(() => true));
    // PyTorch's default init: |w| ≤ 1/√fan_in (conv1: fan_in 25 → 0.2; dense 400→120: 0.05).
    expect(Math.max(...a[0].map(Math.abs))).toBeLessThanOrEqual(0.2);
    expect(Math.max(...a[0].map(Math.abs))).toBeGreaterThan(0.15);
    expect(Math.max(...a[4].map(Math.abs))).toBeLessThanOrEqual(0.05);
  });

  it.each([
    ['28×28 input (C1 pads)', PRESETS.seed.model],
    ['32×32 input (zero-padding layer first)', { ...RELU_MAX, inputSize: 32 as const }],
  ])('training skips the image gradient of C1 and gets the same loss and gradients: %s', async (_name, options) => {
    // training: true runs C1 through the custom gradient that treats the image as a constant;
    // training: false runs the layer's own fused op, whose gradient also computes the image's dx.
    const model = buildLeNet5(options, 11);
    try {
      const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 3);
      const y = tf.oneHot(tf.tensor1d([0, 3, 9, 4, 7], 'int32'), 10);
      const lossAndGrads = (training: boolean) =>
        tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training }) as tf.Tensor) as tf.Scalar,
        );
      const backpropInputCalls = async (training: boolean) => {
        const info = await tf.profile(() => {
          const { value, grads } = lossAndGrads(training);
          tf.dispose([value, ...Object.values(grads)]);
        });
        return info.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
      };
      // Only C3's input gradient is computed when training.
      expect(await backpropInputCalls(false)).toBe(2);
      expect(await backpropInputCalls(true)).toBe(1);

      const fast = lossAndGrads(true);
      const reference = lossAndGrads(false);
      const names = Object.keys(reference.grads).sort();
      expect(Object.keys(fast.grads).sort()).toEqual(names);
      expect(names.length).toBe(model.trainableWeights.length);
      const pairs: [tf.Tensor, tf.Tensor][] = [
        [fast.value, reference.value],
        ...names.map((n): [tf.Tensor, tf.Tensor] => [fast.grads[n], reference.grads[n]]),
      ];
      for (const [a, b] of pairs) {
        const ref = b.dataSync();
        const got = a.dataSync();
        const scale = Math.max(...Array.from(ref, Math.abs));
        expect(scale).toBeGreaterThan(0);
        const diff = Math.max(...Array.from(ref, (v, i) => Math.abs(v - got[i])));
        expect(diff / scale).toBeLessThanOrEqual(1e-5);
      }
      tf.dispose([x, y, ...pairs.flat()]);
    } finally {
      model.dispose();
    }
  });

  it('an image gradient through the training path is an error, not a silent zero', () => {
    const model = buildLeNet5(PRESETS.seed.model, 1);
    try {
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 4);
      expect(() => tf.grad((input) => tf.sum(model.apply(input, { training: true }) as tf.Tensor))(x)).toThrow();
      const g = tf.grad((input) => tf.sum(model.apply(input) as tf.Tensor))(x);
      expect(g.shape).toEqual([2, 28, 28, 1]);
      tf.dispose([x, g]);
    } finally {
      model.dispose();
    }
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    buildLeNet5(RELU_MAX, 7).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
