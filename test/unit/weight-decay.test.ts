/**
 * Weight decay must not slow training down epoch after epoch. What grew was not tensors but
 * subnormal floats: with L2 under Adam, a weight whose data gradient is zero (a dead ReLU's) is
 * pulled to 0 through the subnormal range, and its Adam moments with it. WebAssembly has no
 * flush-to-zero, so every multiply on a subnormal takes a slow microcode path. The first test
 * trains such weights for as many steps as the preset's lr and decay need to get there (~1,400,
 * as a float32 replay of Adam shows) and asks that none of the weights or moments is subnormal;
 * the second that a run's tensors and bytes stay the same from epoch to epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { createOptimizer } from '../../src/core/engine/optimizer';
import { makeTrainStep, train } from '../../src/core/engine/train';
import { syntheticDataset } from './engine-fixtures';
import { RELU_MAX_RECIPE } from '../support/networks';

let backend: SelectedBackend;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** Non-zero floats below 2⁻¹²⁶ (exponent bits all zero). */
function subnormals(values: Float32Array): number {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  let count = 0;
  for (let i = 0; i < bits.length; i++) if ((bits[i] & 0x7f800000) === 0 && (bits[i] & 0x7fffff) !== 0) count++;
  return count;
}

describe('weight decay', () => {
  it('leaves no weight or Adam moment subnormal while it pulls dead weights to zero', () => {
    // All-zero images: the kernel's data gradient is exactly zero, so only the decay moves it.
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [2, 2, 1] }),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.randomUniform({ seed: 1 }) }),
      ],
    });
    const config = { ...RELU_MAX_RECIPE };
    const optimizer = createOptimizer(config);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernels = variables.filter((v) => v.rank >= 2);
    const step = makeTrainStep(model, optimizer, variables, kernels, config.weightDecay);
    const images = tf.zeros([32, 2, 2, 1]) as tf.Tensor4D;
    const labels = tf.tensor1d(
      Array.from({ length: 32 }, (_, i) => i % 10),
      'int32',
    );
    const order = tf.range(0, 32, 1, 'int32') as tf.Tensor1D;
    // tfjs's AdamOptimizer state (private in its types); index 0 is the kernel's.
    const state = optimizer as unknown as Record<
      'accumulatedFirstMoment' | 'accumulatedSecondMoment',
      { variable: tf.Variable }[]
    >;
    let worst = { step: 0, weights: 0, moments: 0 };
    let smallest = Infinity;
    for (let i = 1; i <= 2000; i++) {
      step(images, labels, order, 0, 32);
      if (i % 25 !== 0) continue;
      const kernel = kernels[0];
      const w = kernel.dataSync() as Float32Array;
      const m = state.accumulatedFirstMoment[0].variable.dataSync() as Float32Array;
      const v = state.accumulatedSecondMoment[0].variable.dataSync() as Float32Array;
      const found = { step: i, weights: subnormals(w), moments: subnormals(m) + subnormals(v) };
      if (found.weights + found.moments > worst.weights + worst.moments) worst = found;
      for (const x of w) if (x !== 0) smallest = Math.min(smallest, Math.abs(x));
    }
    // The weights did get to where subnormals would be (else the test proves nothing)…
    expect(smallest).toBeLessThan(1e-30);
    // …and none was left there.
    expect(worst).toEqual({ step: 0, weights: 0, moments: 0 });
    tf.dispose([images, labels, order]);
    model.dispose();
    optimizer.dispose();
  }, 60_000);

  it("keeps a run's tensors and bytes flat from epoch to epoch", async () => {
    const memory: { numTensors: number; numBytes: number }[] = [];
    await train({
      config: { ...RELU_MAX_RECIPE, epochs: 4, validationFraction: 0.1, trainSubset: 0 },
      dataset: syntheticDataset(640, 100),
      backend,
      emit: () => {},
      onEpochEnd: () => {
        const { numTensors, numBytes } = tf.memory();
        memory.push({ numTensors, numBytes });
      },
    });
    expect(memory).toHaveLength(4);
    for (const m of memory) expect(m).toEqual(memory[0]);
  }, 60_000);
});
