/** The range test's numbers (shared/lr-range.ts) on curves whose answer is known by construction. */
import { describe, expect, it } from 'vitest';
import {
  LossSmoother,
  lrAtStep,
  lrRangeOptionsSchema,
  suggestLearningRate,
  type LrPoint,
} from '../../src/shared/lr-range';

const options = lrRangeOptionsSchema.parse({ minLr: 1e-5, maxLr: 1, steps: 101 });

/** Points of a loss given as a function of log10(lr), unsmoothed (smoothed = loss). */
function curve(loss: (log10: number) => number): LrPoint[] {
  return Array.from({ length: options.steps }, (_, i) => {
    const learningRate = lrAtStep(options, i + 1);
    const value = loss(Math.log10(learningRate));
    return { step: i + 1, learningRate, loss: value, smoothedLoss: value };
  });
}

describe('learning-rate range test numerics', () => {
  it('ramps exponentially from the first to the last learning rate', () => {
    expect(lrAtStep(options, 1)).toBeCloseTo(1e-5, 15);
    expect(lrAtStep(options, 101)).toBeCloseTo(1, 12);
    // Halfway on a log scale: 10^-2.5.
    expect(lrAtStep(options, 51)).toBeCloseTo(10 ** -2.5, 12);
  });

  it('suggests where a logistic drop is steepest (its midpoint), not at the minimum', () => {
    // A sigmoid in log10(lr) centred at -3 (steepest there), then a rise after -1.
    const points = curve((x) => 2.3 - 1.5 / (1 + Math.exp(-(x + 3) * 4)) + (x > -1 ? (x + 1) ** 2 : 0));
    const s = suggestLearningRate(points);
    expect(Math.log10(s.learningRate!)).toBeCloseTo(-3, 1);
    expect(Math.log10(s.minLossLearningRate!)).toBeCloseTo(-1, 1);
    expect(s.rule).toMatch(/steepest descent/);
  });

  it('makes no suggestion from a curve that never falls', () => {
    const s = suggestLearningRate(curve((x) => 2 + (x + 5)));
    expect(s.learningRate).toBeNull();
  });

  it('smooths with a bias-corrected moving average: a constant loss stays that constant', () => {
    const smoother = new LossSmoother();
    for (let i = 0; i < 30; i++) expect(smoother.add(2.5)).toBeCloseTo(2.5, 12);
  });

  it('calls divergence at 4× the best smoothed loss or at a non-finite loss, not before', () => {
    const smoother = new LossSmoother();
    for (let i = 0; i < 20; i++) smoother.add(1);
    expect(smoother.diverged(1, 1)).toBe(false);
    expect(smoother.diverged(1, 3.9)).toBe(false);
    expect(smoother.diverged(1, 4.1)).toBe(true);
    expect(smoother.diverged(Number.NaN, 1)).toBe(true);
    expect(smoother.diverged(Number.POSITIVE_INFINITY, 1)).toBe(true);
  });
});
