/** Group statistics: checked against values computed by hand and with SciPy's ttest_ind(equal_var=False). */
import { describe, expect, it } from 'vitest';
import { mean, std, summarize, welchTTest } from '../../src/shared/stats';

describe('stats', () => {
  it('mean and sample standard deviation', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(std([3])).toBe(0);
    expect(summarize([0.8, 0.9])).toEqual({
      n: 2,
      mean: expect.closeTo(0.85, 12),
      std: expect.closeTo(0.0707107, 6),
      min: 0.8,
      max: 0.9,
    });
  });

  it("Welch's t-test matches SciPy", () => {
    // scipy.stats.ttest_ind(a, b, equal_var=False) → t = -5.178108, df = 7.537939, p = 0.0010187590
    const r = welchTTest([19.1, 20.2, 21.3, 18.7, 20.0], [22.4, 23.1, 21.9, 24.0, 22.8])!;
    expect(r.t).toBeCloseTo(-5.178108, 5);
    expect(r.df).toBeCloseTo(7.537939, 5);
    expect(r.p).toBeCloseTo(0.001018759, 8);
    expect(r.verdict).toBe('the difference is larger than seed noise: group B has the higher best test accuracy');
  });

  it('says within seed noise for overlapping groups, and needs two values a group', () => {
    const r = welchTTest([0.86, 0.87, 0.85], [0.862, 0.868, 0.851])!;
    expect(r.p).toBeGreaterThan(0.5);
    expect(r.verdict).toBe('the difference is within seed noise');
    expect(welchTTest([0.8], [0.9, 0.91])).toBeNull();
  });
});
