/** What the panels of Compare that read runs:compare's answer share: their props and its metric names. */
import type { AlignedSeries, CompareRunsResult } from '@shared/runs';

export interface CompareProps {
  result: CompareRunsResult;
}

/** A per-epoch series of the compared runs (every field of AlignedSeries but the run's id). */
export type CompareMetric = Exclude<keyof AlignedSeries, 'runId'>;
