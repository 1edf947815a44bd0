/**
 * The in-place Adam on wasm (src/core/engine/backend/adam-in-place.ts) against tfjs's own Adam on
 * the `cpu` backend, with the weight decay added to the gradient by tfjs ops there: the same
 * gradients for a few steps, the weights and both moments compared bit for bit (tolerance 0:
 * both do the same float32 operations in the same order).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { applyGradients, createOptimizer } from '../../src/core/engine/optimizer';
import { RELU_MAX_RECIPE } from '../support/networks';

const SHAPES = { kernel: [5, 5, 1, 6], bias: [6], dense: [400, 120] } as const;
const STEPS = 5;
const WEIGHT_DECAY = 0.01;

function values(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale;
  });
}

interface Outcome {
  weights: Float32Array[];
  moments: Float32Array[];
  /** Whether each variable's moments kept their buffers (updated in place). */
  sameBuffer: boolean[];
  /** After each step, Σ of a matrix product with the dense weight (read through XNNPACK on wasm). */
  products: number[];
}

function runSteps(): Outcome {
  const optimizer = createOptimizer({ ...RELU_MAX_RECIPE, learningRate: 0.01 });
  const names = Object.keys(SHAPES);
  const variables = Object.values(SHAPES).map((shape, i) => {
    const initial = tf.tensor(values(tf.util.sizeFromShape([...shape]), i + 1, 0.4), [...shape]);
    const variable = tf.variable(initial, true, `t/${names[i]}`);
    initial.dispose(); // the variable then holds its buffer alone, as a model's weights do
    return variable;
  });
  const kernels = variables.filter((v) => v.rank >= 2);
  const state = optimizer as unknown as Record<
    'accumulatedFirstMoment' | 'accumulatedSecondMoment',
    { variable: tf.Variable }[]
  >;
  const moments = () => [...state.accumulatedFirstMoment, ...state.accumulatedSecondMoment].map((s) => s.variable);
  let buffers: object[] = [];
  const products: number[] = [];
  const input = tf.tensor(values(400, 7, 1), [1, 400]);
  for (let step = 0; step < STEPS; step++) {
    // A weight's new value must reach the next product (not a cached packing of the old one).
    products.push(tf.tidy(() => tf.matMul(input, variables[2]).sum().dataSync()[0]));
    const grads = Object.fromEntries(
      variables.map((v, i) => [v.name, tf.tensor(values(v.size, 100 * step + i, 0.2), v.shape)]),
    );
    applyGradients(optimizer, grads, kernels, WEIGHT_DECAY);
    tf.dispose(grads);
    if (step === 0) buffers = moments().map((m) => m.dataId);
  }
  products.push(tf.tidy(() => tf.matMul(input, variables[2]).sum().dataSync()[0]));
  const outcome = {
    weights: variables.map((v) => v.dataSync() as Float32Array),
    moments: moments().map((m) => m.dataSync() as Float32Array),
    sameBuffer: moments().map((m, i) => m.dataId === buffers[i]),
    products,
  };
  tf.dispose([...variables, input]);
  optimizer.dispose();
  return outcome;
}

afterAll(async () => {
  await selectBackend('wasm');
});

describe('Adam in place on wasm', () => {
  it('equals tfjs Adam on cpu, weight decay on the kernels only, and updates the moments in place', async () => {
    await selectBackend('cpu');
    const reference = runSteps();
    await selectBackend('wasm');
    const wasm = runSteps();
    expect(wasm.sameBuffer).toEqual(Array(6).fill(true));
    expect(reference.sameBuffer).toEqual(Array(6).fill(false));
    // XNNPACK sums in another order than cpu: relative 1e-5.
    wasm.products.forEach((p, i) =>
      expect(p).toBeCloseTo(reference.products[i], -Math.log10(Math.abs(reference.products[i]) * 1e-5)),
    );
    // Counts, not the arrays: a failure then prints in a line, not in minutes.
    const differing = (a: Float32Array[], b: Float32Array[]) =>
      a.map((x, i) => x.reduce((n, value, j) => n + (Object.is(value, b[i][j]) ? 0 : 1), 0));
    expect(differing(wasm.weights, reference.weights)).toEqual([0, 0, 0]);
    expect(differing(wasm.moments, reference.moments)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
