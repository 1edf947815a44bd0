/**
 * Which setting mattered: for a set of runs (a sweep, or any runs compared), rank the settings
 * that vary by the share of the metric's variance each explains on its own, with a direction.
 *
 * The share is a first-order (main-effect) variance decomposition, as fANOVA reports it: the
 * variance of the metric's mean per value of the setting, over the metric's variance (η²).
 * Settings with many distinct values (random sweeps) are grouped into equal-count bins first.
 * η² is never zero on noise (any grouping explains some variance by chance, more so with few runs
 * per group), so each share is compared with a permutation null: the same statistic on the metric
 * shuffled across runs, many times, seeded. A share inside that noise band is "no clear effect";
 * below MIN_RUNS runs nothing is ranked at all. Direction comes from Spearman's rank correlation:
 * a clear effect that ranks monotonically says higher is better or worse; one that does not (a
 * best value in the middle, a categorical choice) says it depends, naming the best value.
 */
import { mulberry32 } from './random';
import { mean } from './stats';

/** Below this many runs, no ranking: the noise band would swallow everything anyway. */
export const MIN_RUNS = 8;
/** Permutations of the metric for the noise band (seeded, so the panel does not flicker). */
export const NULL_PERMUTATIONS = 400;
/** A share above this quantile of the permutation null counts as a clear effect (p < 0.05). */
export const NULL_QUANTILE = 0.95;
/** At most this many bins for a setting with many distinct values. */
const MAX_BINS = 5;

export interface ImportanceRun {
  /** flag → value of the settings (as sweeps name them: `lr`, `conv-activation`, …). */
  values: Record<string, number | string>;
  metric: number;
}

export type Direction = 'higher-better' | 'lower-better' | 'depends';

export interface SettingImportance {
  flag: string;
  /** Share of the metric's variance explained by this setting alone (η², 0..1). */
  share: number;
  /** The permutation null's NULL_QUANTILE of the share: above it, a clear effect. */
  noiseBand: number;
  /** One-sided permutation p-value of the share. */
  p: number;
  clear: boolean;
  /** Spearman's ρ between the setting and the metric (numeric settings only; null otherwise). */
  spearman: number | null;
  /** Null when not clear: a direction of noise would mislead. */
  direction: Direction | null;
  /** The value (or bin, `lo–hi`) with the best mean metric. */
  bestValue: string;
}

export type ImportanceResult =
  | { kind: 'too-few'; n: number; minRuns: number }
  | { kind: 'nothing-varies'; n: number }
  | { kind: 'ranked'; n: number; settings: SettingImportance[] };

export interface ImportanceOptions {
  /** Accuracy: true (default); a loss: false. */
  higherIsBetter?: boolean;
  /** Settings left out (default: `seed`, which varies by design and is the noise itself). */
  exclude?: readonly string[];
  /** Seeds the permutations (default 1): the same runs give the same answer. */
  seed?: number;
}

/** Rank the varied settings of `runs` (runs with a non-finite metric are left out). */
export function settingImportance(runs: readonly ImportanceRun[], options: ImportanceOptions = {}): ImportanceResult {
  const { higherIsBetter = true, exclude = ['seed'], seed = 1 } = options;
  const usable = runs.filter((r) => Number.isFinite(r.metric));
  const n = usable.length;
  if (n < MIN_RUNS) return { kind: 'too-few', n, minRuns: MIN_RUNS };
  const flags = variedFlags(usable).filter((f) => !exclude.includes(f));
  if (flags.length === 0) return { kind: 'nothing-varies', n };

  const metric = usable.map((r) => r.metric);
  const groupings = flags.map((flag) => groupsOf(usable.map((r) => r.values[flag])));
  const observed = groupings.map((g) => etaSquared(g.index, g.count, metric));

  // One shuffle serves every setting, as in a permutation test of each against the same null.
  const random = mulberry32(seed);
  const nulls = flags.map(() => [] as number[]);
  const shuffled = [...metric];
  for (let k = 0; k < NULL_PERMUTATIONS; k++) {
    shuffle(shuffled, random);
    groupings.forEach((g, i) => nulls[i].push(etaSquared(g.index, g.count, shuffled)));
  }

  const settings = flags.map((flag, i): SettingImportance => {
    const share = observed[i];
    const sorted = [...nulls[i]].sort((a, b) => a - b);
    const noiseBand = sorted[Math.min(sorted.length - 1, Math.floor(NULL_QUANTILE * sorted.length))];
    // +1s: the observed arrangement is one of the permutations (Phipson & Smyth 2010), so p > 0.
    const p = (sorted.filter((v) => v >= share).length + 1) / (sorted.length + 1);
    const clear = share > noiseBand;
    const numeric = usable.every((r) => typeof r.values[flag] === 'number');
    const spearman = numeric
      ? spearmanRho(
          usable.map((r) => r.values[flag] as number),
          metric,
        )
      : null;
    return {
      flag,
      share,
      noiseBand,
      p,
      clear,
      spearman,
      direction: clear ? directionOf(spearman, share, higherIsBetter) : null,
      bestValue: bestGroup(groupings[i], metric, higherIsBetter),
    };
  });
  settings.sort((a, b) => Number(b.clear) - Number(a.clear) || b.share - a.share);
  return { kind: 'ranked', n, settings };
}

/**
 * Monotonic enough to call a direction when the rank correlation accounts for at least half the
 * variance the setting explains (ρ² ≥ η²/2); otherwise the best value lies inside the range.
 */
function directionOf(rho: number | null, share: number, higherIsBetter: boolean): Direction {
  if (rho === null || !Number.isFinite(rho) || rho * rho < share / 2) return 'depends';
  return rho > 0 === higherIsBetter ? 'higher-better' : 'lower-better';
}

/** The flags whose value differs between at least two runs. */
function variedFlags(runs: readonly ImportanceRun[]): string[] {
  const flags = [...new Set(runs.flatMap((r) => Object.keys(r.values)))];
  return flags.filter((f) => new Set(runs.map((r) => String(r.values[f]))).size > 1);
}

interface Grouping {
  /** Each run's group. */
  index: number[];
  count: number;
  labels: string[];
}

/**
 * Runs grouped by a setting's value: one group a distinct value, or, above MAX_BINS distinct
 * numbers, equal-count bins over the sorted values (ties kept together).
 */
export function groupsOf(values: readonly (number | string | undefined)[]): Grouping {
  const distinct = [...new Set(values.map((v) => (v === undefined ? '—' : v)))];
  const numeric = distinct.every((v) => typeof v === 'number');
  if (!numeric || distinct.length <= MAX_BINS) {
    const order = numeric ? (distinct as number[]).sort((a, b) => a - b) : distinct;
    const at = new Map(order.map((v, i) => [v, i]));
    return {
      index: values.map((v) => at.get(v === undefined ? '—' : v)!),
      count: order.length,
      labels: order.map(String),
    };
  }
  const sorted = (distinct as number[]).sort((a, b) => a - b);
  const bins = Math.min(MAX_BINS, Math.max(2, Math.floor(Math.sqrt(values.length))));
  const binOf = new Map(sorted.map((v, i) => [v, Math.floor((i * bins) / sorted.length)]));
  const labels = Array.from({ length: bins }, (_, b) => {
    const members = sorted.filter((v) => binOf.get(v) === b);
    return `${formatValue(members[0])}–${formatValue(members[members.length - 1])}`;
  });
  return { index: values.map((v) => binOf.get(v as number)!), count: bins, labels };
}

function formatValue(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** η²: between-group sum of squares over the total; 0 when the metric does not vary. */
export function etaSquared(index: readonly number[], count: number, metric: readonly number[]): number {
  const m = mean(metric);
  const sums = new Array<number>(count).fill(0);
  const ns = new Array<number>(count).fill(0);
  let total = 0;
  metric.forEach((y, i) => {
    sums[index[i]] += y;
    ns[index[i]] += 1;
    total += (y - m) ** 2;
  });
  if (total === 0) return 0;
  const between = sums.reduce((s, sum, g) => (ns[g] ? s + ns[g] * (sum / ns[g] - m) ** 2 : s), 0);
  return between / total;
}

function bestGroup(g: Grouping, metric: readonly number[], higherIsBetter: boolean): string {
  const means = g.labels.map((_, k) => mean(metric.filter((_, i) => g.index[i] === k)));
  const sign = higherIsBetter ? 1 : -1;
  let best = 0;
  means.forEach((v, k) => {
    if (sign * v > sign * means[best]) best = k;
  });
  return g.labels[best];
}

/** Ranks from 1, ties sharing their mean rank (as Spearman's ρ needs). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's ρ: Pearson's correlation of the ranks (exact with ties); NaN if either is constant. */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** One line for a setting, as the panel and the CLI say it. */
export function describeImportance(s: SettingImportance): string {
  const pct = `${Math.round(s.share * 100)}%`;
  if (!s.clear)
    return `${s.flag}: no clear effect (${pct}, within the noise band of ${Math.round(s.noiseBand * 100)}%)`;
  const words =
    s.direction === 'higher-better'
      ? 'higher is better'
      : s.direction === 'lower-better'
        ? 'lower is better'
        : `it depends (best at ${s.bestValue})`;
  return `${s.flag}: explains ${pct} — ${words}`;
}
