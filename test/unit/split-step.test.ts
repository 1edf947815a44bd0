/**
 * The fused step split over two threads (engine/fused/split-step.ts) against the one-thread step
 * on the same parameters and batch: the same loss, correct count, margins and believed classes,
 * and the same gradients up to float32 summation order (the halves' means are weighted and added:
 * ≤ 1e-6 absolute, gradients here are ≤ ~1), for even and odd batches; small batches stay on one
 * thread; three Adam steps land on the same parameters (≤ 1e-5).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LeNetStep } from '../../src/core/engine/fused/lenet-step';
import { SPLIT_MIN_BATCH, SplitLeNetStep } from '../../src/core/engine/fused/split-step';
import { RELU_MAX } from '../support/networks';

const N = 64;
const images = new Uint8Array(N * 784).map((_, i) => (i * 2654435761) >>> 24);
const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 10);
const order = Int32Array.from({ length: N }, (_, i) => (i * 37) % N);

function seeded(step: LeNetStep) {
  let s = 3;
  for (let i = 0; i < step.params.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    step.params[i] = (s / 2 ** 32 - 0.5) * 0.3;
  }
}

const ADAM = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  learningRate: 0.01,
  accBeta1: 0.9,
  accBeta2: 0.999,
  weightDecay: 0,
};

describe('the fused step on two threads', () => {
  const one = new LeNetStep(RELU_MAX);
  const two = new SplitLeNetStep(RELU_MAX);
  afterAll(() => two.dispose());

  it.each([32, 31, 10])('a batch of %i: the same figures as one thread', (size) => {
    seeded(one);
    seeded(two.main);
    const a = one.gradients(images, labels, order, 5, size);
    const gradsA = one.grads.slice();
    const b = two.gradients(images, labels, order, 5, size);
    expect(b.correct).toBe(a.correct);
    expect(Math.abs(b.loss - a.loss)).toBeLessThan(1e-5);
    expect(b.margins).toHaveLength(2 * size);
    for (let i = 0; i < size; i++) {
      expect(Math.abs(b.margins[i] - a.margins[i])).toBeLessThan(1e-5);
      expect(b.margins[size + i]).toBe(a.margins[size + i]);
    }
    let worst = 0;
    for (let i = 0; i < gradsA.length; i++) worst = Math.max(worst, Math.abs(two.main.grads[i] - gradsA[i]));
    expect(worst).toBeLessThan(1e-6);
    // Not vacuous: the gradients are far from zero.
    expect(Math.max(...gradsA.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('keeps batches under the split size on one thread, and three Adam steps agree', () => {
    seeded(one);
    seeded(two.main);
    const small = SPLIT_MIN_BATCH - 1;
    expect(two.gradients(images, labels, order, 0, small).loss).toBe(
      one.gradients(images, labels, order, 0, small).loss,
    );
    seeded(one);
    seeded(two.main);
    for (const start of [0, 32, 16]) {
      one.gradients(images, labels, order, start, 32);
      one.adam(ADAM);
      two.gradients(images, labels, order, start, 32);
      two.adam(ADAM);
    }
    let worst = 0;
    for (let i = 0; i < one.params.length; i++) worst = Math.max(worst, Math.abs(two.main.params[i] - one.params[i]));
    expect(worst).toBeLessThan(1e-5);
  });
});
