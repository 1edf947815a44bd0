/** Issue 25 item 7: with two seeds a group, a difference the t-test cannot confirm is not "noise". */
import { describe, expect, it } from 'vitest';
import { welchTTest } from '../../src/shared/stats';

describe('t-test verdict with few seeds', () => {
  it('says "too few seeds to tell" for 24.8% against 10.0% on two seeds each (p = 0.10)', () => {
    const r = welchTTest([0.3, 0.196], [0.1, 0.1001])!;
    expect(r.p).toBeGreaterThan(0.05);
    expect(r.verdict).toBe('too few seeds to tell (n = 2): add seeds');
  });

  it('names both sizes when they differ, and keeps "within seed noise" from three seeds up', () => {
    expect(welchTTest([0.3, 0.196], [0.1, 0.12, 0.09])!.verdict).toBe('too few seeds to tell (n = 2 and 3): add seeds');
    expect(welchTTest([0.86, 0.87, 0.85], [0.862, 0.868, 0.851])!.verdict).toBe('the difference is within seed noise');
  });
});
