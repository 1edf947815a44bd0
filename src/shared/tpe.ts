/**
 * Sequential (model-based) search: the Tree-structured Parzen Estimator (Bergstra et al. 2011, as
 * hyperopt and Optuna use it), small enough to keep here — no maintained Node library offers it
 * (npm's `hyperparameters` is a little-used hyperopt port). Univariate TPE:
 *
 * - the first `startup` proposals are random (there is nothing to model yet);
 * - then the finished runs split into the best γ share ("good") and the rest; each setting gets a
 *   density from each side — a Parzen window of Gaussians in [0, 1] (log ranges in log10, so lr
 *   is modelled as people think of it) or smoothed counts for a choice — each mixed with a flat
 *   prior so an unseen region never has density 0;
 * - candidates are drawn from the good density and the one with the largest l(x)/g(x) is proposed.
 *
 * Reproducible with a seed: proposal k draws from its own stream, seeded by (seed, k), so the same
 * seed and the same finished results give the same proposal whatever happened in between.
 */
import { mulberry32 } from './random';

export type SearchDimension =
  | { flag: string; kind: 'range'; min: number; max: number; log: boolean; integer: boolean }
  | { flag: string; kind: 'choice'; values: readonly (number | string)[] };

export interface Observation {
  values: Record<string, number | string>;
  /** Higher is better (accuracy); runs without a score are left out before this. */
  score: number;
}

export interface TpeOptions {
  seed: number;
  /** Random proposals before the model takes over (default 5). */
  startup?: number;
  /** Candidates drawn from the good density per proposal (default 24, as Optuna). */
  candidates?: number;
  /** Share of finished runs that count as good (default 0.25; at least 1, at most 25 runs). */
  gamma?: number;
}

export const TPE_DEFAULTS = { startup: 5, candidates: 24, gamma: 0.25 } as const;

/**
 * Random proposals a sweep of `samples` combinations starts with: a quarter of the budget, at
 * least 2 (a model needs a good and a bad side) and at most 10 (Optuna's default).
 */
export function startupFor(samples: number): number {
  return Math.max(2, Math.min(10, Math.ceil(samples / 4)));
}

/** The next run's values for `space`, given the finished runs' `history`; `index` is its position in the sweep. */
export function proposeTpe(
  space: readonly SearchDimension[],
  history: readonly Observation[],
  index: number,
  options: TpeOptions,
): Record<string, number | string> {
  const { startup, candidates, gamma } = { ...TPE_DEFAULTS, ...options };
  // A stream per proposal (odd multiplier: distinct indices give distinct seeds for any seed).
  const random = mulberry32((options.seed * 0x9e3779b1 + index * 0x85ebca77) >>> 0);
  if (history.length < startup) return Object.fromEntries(space.map((d) => [d.flag, fromUnit(d, random())]));

  const sorted = [...history].sort((a, b) => b.score - a.score);
  const nGood = Math.min(25, Math.max(1, Math.ceil(gamma * sorted.length)));
  const good = sorted.slice(0, nGood);
  const bad = sorted.slice(nGood);
  const models = space.map((d) => ({
    d,
    good: densityOf(d, good),
    bad: densityOf(d, bad),
  }));

  let best: Record<string, number | string> = {};
  let bestScore = -Infinity;
  for (let c = 0; c < candidates; c++) {
    const values: Record<string, number | string> = {};
    let score = 0;
    for (const m of models) {
      const x = m.good.sample(random);
      score += Math.log(m.good.pdf(x)) - Math.log(m.bad.pdf(x));
      values[m.d.flag] = m.d.kind === 'range' ? fromUnit(m.d, x) : m.d.values[x];
    }
    if (score > bestScore) [best, bestScore] = [values, score];
  }
  return best;
}

/** A density over one dimension's coordinate: [0, 1] for a range, the choice's index otherwise. */
interface Density {
  sample(random: () => number): number;
  pdf(x: number): number;
}

function densityOf(d: SearchDimension, runs: readonly Observation[]): Density {
  if (d.kind === 'choice') {
    // Counts plus one per value (a flat prior), so every choice stays possible.
    const weights = d.values.map((v) => 1 + runs.filter((r) => r.values[d.flag] === v).length);
    const total = weights.reduce((a, b) => a + b, 0);
    return {
      pdf: (i) => weights[i] / total,
      sample(random) {
        let u = random() * total;
        for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
        return weights.length - 1;
      },
    };
  }
  const centres = runs.map((r) => toUnit(d, Number(r.values[d.flag])));
  // Scott-like bandwidth shrinking with the number of points, never below a 1/20 of the range.
  const sigma = Math.max(0.05, 0.5 * (centres.length + 1) ** -0.2);
  // The prior (flat on [0, 1]) weighs as one more point.
  const n = centres.length + 1;
  return {
    pdf: (x) => (1 + centres.reduce((s, c) => s + truncatedNormalPdf(x, c, sigma), 0)) / n,
    sample(random) {
      const k = Math.floor(random() * n);
      if (k === centres.length) return random();
      return truncatedNormalSample(centres[k], sigma, random);
    },
  };
}

const SQRT2 = Math.SQRT2;

/** A normal density truncated to [0, 1] (renormalised by its mass there). */
function truncatedNormalPdf(x: number, mu: number, sigma: number): number {
  const mass = normalCdf((1 - mu) / sigma) - normalCdf(-mu / sigma);
  return Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI) * mass);
}

/** By rejection: the kernels sit inside [0, 1] and are at least 0.05 wide, so few draws are lost. */
function truncatedNormalSample(mu: number, sigma: number, random: () => number): number {
  for (let tries = 0; tries < 100; tries++) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const x = mu + sigma * z;
    if (x >= 0 && x <= 1) return x;
  }
  return mu;
}

/** Φ via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: ample for a ratio of densities). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function toUnit(d: Extract<SearchDimension, { kind: 'range' }>, v: number): number {
  const [lo, hi, x] = d.log ? [Math.log10(d.min), Math.log10(d.max), Math.log10(v)] : [d.min, d.max, v];
  return Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
}

/** A point of [0, 1] (or a choice's index) as the setting's value; ranges rounded like random sweeps. */
export function fromUnit(d: SearchDimension, u: number): number | string {
  if (d.kind === 'choice') return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))];
  const v = d.log
    ? 10 ** (Math.log10(d.min) + u * (Math.log10(d.max) - Math.log10(d.min)))
    : d.min + u * (d.max - d.min);
  return d.integer ? Math.round(v) : Number(v.toPrecision(4));
}
