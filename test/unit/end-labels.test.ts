/** Curve end labels spread apart: none overlaps another, each as near its curve as the others allow. */
import { describe, expect, it } from 'vitest';
import { spreadLabels } from '../../src/renderer/src/lib/end-labels';

const GAP = 15;
/** The smallest distance between two labels' centres. */
const closest = (ys: number[]) => {
  const sorted = [...ys].sort((a, b) => a - b);
  return Math.min(...sorted.slice(1).map((y, k) => y - sorted[k]));
};

describe('spreadLabels', () => {
  it('leaves labels that are already apart where they are', () => {
    expect(spreadLabels([20, 80, 50], GAP, 0, 200)).toEqual([20, 80, 50]);
  });

  it('moves two labels at the same height apart, centred on it', () => {
    // Two runs that ended at the same accuracy: the labels drawn over each other.
    const ys = spreadLabels([100, 100], GAP, 0, 200);
    expect(Math.abs(ys[0] - ys[1])).toBeCloseTo(GAP, 9);
    expect((ys[0] + ys[1]) / 2).toBeCloseTo(100, 9);
    // The order of equal heights is the curves' order.
    expect(ys[0]).toBeLessThan(ys[1]);
  });

  it('keeps the curves’ order and a full gap between every pair, in a crowded cluster', () => {
    const wanted = [101, 98, 100, 99.5, 140, 30];
    const ys = spreadLabels(wanted, GAP, 0, 300);
    expect(closest(ys)).toBeGreaterThanOrEqual(GAP - 1e-9);
    const byWanted = wanted.map((_, i) => i).sort((a, b) => wanted[a] - wanted[b] || a - b);
    const byPlaced = wanted.map((_, i) => i).sort((a, b) => ys[a] - ys[b]);
    expect(byPlaced).toEqual(byWanted);
    // The far label (30) is untouched.
    expect(ys[5]).toBe(30);
  });

  it('gathers a cluster again when spreading it reaches a neighbour', () => {
    // 100 ×3 spreads to 85…115, which reaches 125: all four end one gap apart.
    const ys = spreadLabels([100, 100, 100, 125], GAP, 0, 300);
    expect(closest(ys)).toBeGreaterThanOrEqual(GAP - 1e-9);
    const mean = ys.reduce((a, b) => a + b, 0) / 4;
    expect(mean).toBeCloseTo((100 * 3 + 125) / 4, 9);
  });

  it('stays inside the plot at its edges', () => {
    const ys = spreadLabels([2, 1, 0], GAP, 0, 200);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
    expect(closest(ys)).toBeGreaterThanOrEqual(GAP - 1e-9);
    const low = spreadLabels([199, 200], GAP, 0, 200);
    expect(Math.max(...low)).toBeLessThanOrEqual(200);
  });
});
