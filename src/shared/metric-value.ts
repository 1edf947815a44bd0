/**
 * Which value of a per-epoch metric a table shows (MLflow #2436, Aim #986): the last recorded,
 * the best (highest accuracy, lowest loss), or the value at a chosen epoch. Written once for the
 * Runs table, Compare and the export, with the CLI's `--value last|best|epoch:N` text.
 */
import type { EpochMetrics } from './runs';

export type ValueChoice = { kind: 'last' } | { kind: 'best' } | { kind: 'epoch'; epoch: number };

/** The per-epoch figures a choice can read. */
export type EpochMetricKey = Exclude<keyof EpochMetrics, 'epoch' | 'seconds' | 'imagesPerSec' | 'learningRate'>;

/** Losses are better low; accuracies high. */
const LOWER_IS_BETTER: ReadonlySet<EpochMetricKey> = new Set(['trainLoss', 'validationLoss', 'testLoss']);

/** `last`, `best` or `epoch:N` → a choice; throws naming what is wrong. */
export function parseValueChoice(text: string): ValueChoice {
  const t = text.trim();
  if (t === 'last' || t === 'best') return { kind: t };
  const m = /^epoch:(\d+)$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1]))) return { kind: 'epoch', epoch: Number(m[1]) };
  throw new Error(`"${text}" is not a value to show: write last, best or epoch:N (N a whole epoch number from 1)`);
}

export function describeValueChoice(choice: ValueChoice): string {
  return choice.kind === 'epoch' ? `at epoch ${choice.epoch}` : choice.kind;
}

/**
 * The run's `metric` under `choice`, with the epoch it comes from; null when the run has no such
 * value (no epoch recorded it, or it did not reach the chosen epoch). Ties for best go to the
 * earliest epoch, as a run's best epoch does.
 */
export function metricValue(
  epochs: readonly EpochMetrics[],
  metric: EpochMetricKey,
  choice: ValueChoice,
): { value: number; epoch: number } | null {
  const recorded = epochs
    .filter((e) => e[metric] !== null && Number.isFinite(e[metric]))
    .sort((a, b) => a.epoch - b.epoch)
    .map((e) => ({ value: e[metric] as number, epoch: e.epoch }));
  if (recorded.length === 0) return null;
  if (choice.kind === 'last') return recorded[recorded.length - 1];
  if (choice.kind === 'epoch') return recorded.find((r) => r.epoch === choice.epoch) ?? null;
  const sign = LOWER_IS_BETTER.has(metric) ? -1 : 1;
  return recorded.reduce((best, r) => (sign * r.value > sign * best.value ? r : best));
}
