/**
 * A metric's value per run under a choice (last, best, at an epoch: shared/metric-value.ts), read
 * from the runs' stored epochs: the Runs table's shown column and the export's `--value`.
 */
import {
  epochPoints,
  parseValueChoice,
  runValuesQuerySchema,
  shownValue,
  type EpochMetricKey,
  type RunValue,
  type ValueChoice,
} from '../../../shared/metric-value';
import type { StoreContext } from '../context';
import { parseInput } from '../errors';
import { epochSeriesOf } from '../metrics';
import { getSummaries } from '../runs';

export function runValues(ctx: StoreContext, input: unknown): RunValue[] {
  const q = parseInput(runValuesQuerySchema, input, 'values to show');
  getSummaries(ctx, q.ids); // a missing run is named, not shown as "no epoch yet"
  return valuesOf(ctx, q.ids, q.metric, parseValueChoice(q.value));
}

/** Each run's `metric` under `choice`, in the order of `ids` (runs known to exist). */
export function valuesOf(
  ctx: StoreContext,
  ids: readonly number[],
  metric: EpochMetricKey,
  choice: ValueChoice,
): RunValue[] {
  const series = epochSeriesOf(ctx, ids);
  return ids.map((runId) => ({
    runId,
    shown: shownValue(epochPoints(series.get(runId) ?? [], metric), metric, choice),
  }));
}
