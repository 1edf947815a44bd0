/**
 * The few statistics groups of runs need: mean, sample standard deviation, and Welch's t-test on
 * two groups (unequal variances) with a verdict in plain words. The t distribution's CDF comes
 * from @stdlib (a well-kept implementation of the regularized incomplete beta), not from here.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** The median (of an even count, the mean of the two middle values); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sample standard deviation (n − 1); 0 for a single value, NaN for none. */
export function std(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  if (values.length === 1) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

export interface GroupSummary {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): GroupSummary {
  return { n: values.length, mean: mean(values), std: std(values), min: Math.min(...values), max: Math.max(...values) };
}

export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** Plain words for people: is the difference larger than seed noise? */
  verdict: string;
}

/** The significance level the verdict uses. */
export const ALPHA = 0.05;

/**
 * Below this many runs in a group, a difference the test does not find is not called seed noise:
 * with two seeds a group, 24.8% against 10.0% still has p = 0.10.
 */
export const FEW_SEEDS = 3;

/**
 * Welch's two-sample t-test (two-sided). Needs at least two values per group; null otherwise
 * (there is no spread to compare against).
 */
export function welchTTest(
  a: readonly number[],
  b: readonly number[],
  what = 'best test accuracy',
): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const [ma, mb] = [mean(a), mean(b)];
  const [va, vb] = [std(a) ** 2 / a.length, std(b) ** 2 / b.length];
  const se2 = va + vb;
  if (se2 === 0) {
    const same = ma === mb;
    return {
      t: same ? 0 : Infinity,
      df: a.length + b.length - 2,
      p: same ? 1 : 0,
      verdict: same ? `the two groups have the same ${what}` : `every run differs the same way: no seed noise at all`,
    };
  }
  const t = (ma - mb) / Math.sqrt(se2);
  const df = se2 ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const p = Math.min(1, 2 * (1 - tCdf(Math.abs(t), df)));
  const fewest = Math.min(a.length, b.length);
  const verdict =
    p < ALPHA
      ? `the difference is larger than seed noise: group ${ma > mb ? 'A' : 'B'} has the higher ${what}`
      : fewest < FEW_SEEDS
        ? // With two seeds a group the test can hardly ever tell: "within noise" would read as "no difference".
          `too few seeds to tell (n = ${a.length === b.length ? fewest : `${a.length} and ${b.length}`}): add seeds`
        : 'the difference is within seed noise';
  return { t, df, p, verdict };
}
