/** What the panels of Compare that read runs:compare's answer share: their props and its metric names. */
import type { AlignedSeries, CompareRunsResult } from '@shared/runs';
import {
  alignedPoints,
  shownValue,
  type EpochMetricKey,
  type ShownValue,
  type ValueChoice,
} from '@shared/metric-value';

export interface CompareProps {
  result: CompareRunsResult;
}

/** A panel that shows runs' values under Compare's "Show" choice. */
export interface CompareValueProps extends CompareProps {
  /** Which value of a metric the panel shows: each run's last, its best, or the one at an epoch. */
  choice: ValueChoice;
}

/** A per-epoch series of the compared runs (every field of AlignedSeries but the run's id). */
export type CompareMetric = Exclude<keyof AlignedSeries, 'runId'>;

/** The per-epoch series Compare can draw, how each is labelled, and what kind of value it is. */
export const COMPARE_METRICS: { id: CompareMetric; label: string; kind: 'acc' | 'loss' | 'lr' }[] = [
  { id: 'testAccuracy', label: 'Test accuracy', kind: 'acc' },
  { id: 'validationAccuracy', label: 'Validation accuracy', kind: 'acc' },
  { id: 'trainAccuracy', label: 'Train accuracy', kind: 'acc' },
  { id: 'testLoss', label: 'Test loss', kind: 'loss' },
  { id: 'validationLoss', label: 'Validation loss', kind: 'loss' },
  { id: 'trainLoss', label: 'Train loss', kind: 'loss' },
  { id: 'learningRate', label: 'Learning rate', kind: 'lr' },
];

/** Each compared run's `metric` under `choice` (last, best, at an epoch), read off its aligned series. */
export function comparedValues(result: CompareRunsResult, metric: EpochMetricKey, choice: ValueChoice): ShownValue[] {
  return result.runs.map((run, i) =>
    shownValue(alignedPoints(result.epochs, result.series[i]?.[metric] ?? [], run.epochsDone), metric, choice),
  );
}
