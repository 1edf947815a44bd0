/**
 * Which value of a per-epoch metric a table shows (MLflow #2436, Aim #986): the last recorded,
 * the best (highest accuracy, lowest loss), or the value at a chosen epoch. Written once for the
 * Runs table, Compare and the export, with the CLI's `--value last|best|epoch:N` text.
 */
import { z } from 'zod';
import { runIdListSchema, type EpochMetrics } from './runs';

export type ValueChoice = { kind: 'last' } | { kind: 'best' } | { kind: 'epoch'; epoch: number };

export const LAST_VALUE: ValueChoice = { kind: 'last' };

/** The per-epoch figures a choice can read. */
export type EpochMetricKey = Exclude<keyof EpochMetrics, 'epoch' | 'seconds' | 'imagesPerSec' | 'learningRate'>;

/** The figures a table can show under a choice, in the order tables list them, with their words. */
export const VALUE_METRICS = [
  { key: 'testAccuracy', label: 'Test accuracy', column: 'test_accuracy', kind: 'acc' },
  { key: 'validationAccuracy', label: 'Validation accuracy', column: 'validation_accuracy', kind: 'acc' },
  { key: 'trainAccuracy', label: 'Train accuracy', column: 'train_accuracy', kind: 'acc' },
  { key: 'testLoss', label: 'Test loss', column: 'test_loss', kind: 'loss' },
  { key: 'validationLoss', label: 'Validation loss', column: 'validation_loss', kind: 'loss' },
  { key: 'trainLoss', label: 'Train loss', column: 'train_loss', kind: 'loss' },
] as const satisfies readonly { key: EpochMetricKey; label: string; column: string; kind: 'acc' | 'loss' }[];

export const VALUE_METRIC_KEYS = VALUE_METRICS.map((m) => m.key) as [EpochMetricKey, ...EpochMetricKey[]];

export const valueMetricInfo = (key: EpochMetricKey) => VALUE_METRICS.find((m) => m.key === key)!;

/** Losses are better low; accuracies high. */
export const lowerIsBetter = (metric: EpochMetricKey): boolean => valueMetricInfo(metric).kind === 'loss';

/** `last`, `best` or `epoch:N` → a choice; throws naming what is wrong. */
export function parseValueChoice(text: string): ValueChoice {
  const t = text.trim();
  if (t === 'last' || t === 'best') return { kind: t };
  const m = /^epoch:(\d+)$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1]))) return { kind: 'epoch', epoch: Number(m[1]) };
  throw new Error(`"${text}" is not a value to show: write last, best or epoch:N (N a whole epoch number from 1)`);
}

/** The choice as `--value` writes it (parseValueChoice's inverse): how it crosses IPC too. */
export function valueChoiceText(choice: ValueChoice): string {
  return choice.kind === 'epoch' ? `epoch:${choice.epoch}` : choice.kind;
}

/**
 * The `--value` text as an IPC input, checked with parseValueChoice's own words. It stays text
 * (what crosses IPC and what the CLI reads); the store parses it again where it is used.
 */
export const valueChoiceSchema = z.string({ error: 'must be last, best or epoch:N' }).superRefine((text, ctx) => {
  try {
    parseValueChoice(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** The choice in a table's words: `last epoch`, `best of all epochs`, `at epoch 4`. */
export function describeValueChoice(choice: ValueChoice): string {
  if (choice.kind === 'epoch') return `at epoch ${choice.epoch}`;
  return choice.kind === 'last' ? 'last epoch' : 'best of all epochs';
}

/** The choice in a button's few words: `last`, `best`, `epoch 4`. */
export function shortValueChoice(choice: ValueChoice): string {
  return choice.kind === 'epoch' ? `epoch ${choice.epoch}` : choice.kind;
}

/** One epoch's figure of a metric (null where that epoch did not record it). */
export interface EpochPoint {
  epoch: number;
  value: number | null;
}

/** A value with the epoch it comes from. */
export interface PickedValue {
  value: number;
  epoch: number;
}

/**
 * The value of `points` under `choice`; null when there is none (no epoch recorded it, or the run
 * did not reach the chosen epoch). Ties for best go to the earliest epoch, as a run's best epoch does.
 */
export function pickValue(points: readonly EpochPoint[], lower: boolean, choice: ValueChoice): PickedValue | null {
  const recorded = points
    .filter((p): p is PickedValue => p.value !== null && Number.isFinite(p.value))
    .sort((a, b) => a.epoch - b.epoch)
    .map((p) => ({ value: p.value, epoch: p.epoch }));
  if (recorded.length === 0) return null;
  if (choice.kind === 'last') return recorded[recorded.length - 1];
  if (choice.kind === 'epoch') return recorded.find((r) => r.epoch === choice.epoch) ?? null;
  const sign = lower ? -1 : 1;
  return recorded.reduce((best, r) => (sign * r.value > sign * best.value ? r : best));
}

/** The run's `metric` under `choice`, with the epoch it comes from; null when it has none. */
export function metricValue(
  epochs: readonly EpochMetrics[],
  metric: EpochMetricKey,
  choice: ValueChoice,
): PickedValue | null {
  return pickValue(
    epochs.map((e) => ({ epoch: e.epoch, value: e[metric] })),
    lowerIsBetter(metric),
    choice,
  );
}

/** What a table cell shows: a value and its epoch, or why there is none (its tooltip). */
export type ShownValue = PickedValue | { value: null; why: string };

/** `pickValue` for a table: a missing value says why in plain words. */
export function shownValue(points: readonly EpochPoint[], metric: EpochMetricKey, choice: ValueChoice): ShownValue {
  const picked = pickValue(points, lowerIsBetter(metric), choice);
  if (picked) return picked;
  const label = valueMetricInfo(metric).label.toLowerCase();
  const reached = Math.max(0, ...points.map((p) => p.epoch));
  if (reached === 0) return { value: null, why: 'No epoch recorded yet' };
  if (choice.kind === 'epoch' && reached < choice.epoch)
    return { value: null, why: `Did not reach epoch ${choice.epoch}: its last epoch is ${reached}` };
  return {
    value: null,
    why: choice.kind === 'epoch' ? `No ${label} recorded at epoch ${choice.epoch}` : `No ${label} recorded`,
  };
}

/**
 * Per-epoch points from an aligned series (Compare's shape: values on an epoch axis shared by
 * runs of different lengths), up to the run's last epoch: the axis goes on past a shorter run.
 */
export function alignedPoints(
  axis: readonly number[],
  values: readonly (number | null)[],
  epochsDone: number,
): EpochPoint[] {
  return axis.map((epoch, k) => ({ epoch, value: values[k] ?? null })).filter((p) => p.epoch <= epochsDone);
}

/** A metric's value per run under a choice (`runs:values`): the Runs table's shown column, a page of runs at most. */
export const runValuesQuerySchema = z.strictObject({
  ids: runIdListSchema(1, 500),
  metric: z.enum(VALUE_METRIC_KEYS, { error: `must be one of ${VALUE_METRIC_KEYS.join(', ')}` }),
  value: valueChoiceSchema,
});
export type RunValuesQuery = z.input<typeof runValuesQuerySchema>;

export interface RunValue {
  runId: number;
  shown: ShownValue;
}
