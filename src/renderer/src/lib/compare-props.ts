/** What the panels of Compare that read runs:compare's answer share: their props and its metric names. */
import type { AlignedSeries, CompareRunsResult } from '@shared/runs';

export interface CompareProps {
  result: CompareRunsResult;
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
