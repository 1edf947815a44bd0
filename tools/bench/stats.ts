/** Summaries of timing samples, shared by the benches. */

/** The nearest-rank quantile `q` (0–1) of ascending `sorted`; NaN when there are no samples. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export { median } from '../../src/shared/stats';

/** `value` rounded to `decimals` places. */
export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
