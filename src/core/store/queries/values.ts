/**
 * A metric's value per run under a choice (last, best, at an epoch: shared/metric-value.ts), read
 * from the runs' stored epochs: the Runs table's shown column and the export's `--value`.
 */
import {
  parseValueChoice,
  runValuesQuerySchema,
  shownValue,
  valueMetricInfo,
  type EpochMetricKey,
  type EpochPoint,
  type RunValue,
  type ValueChoice,
} from '../../../shared/metric-value';
import type { StoreContext } from '../context';
import { parseInput } from '../errors';
import { getSummaries } from '../runs';

export function runValues(ctx: StoreContext, input: unknown): RunValue[] {
  const q = parseInput(runValuesQuerySchema, input, 'values to show');
  getSummaries(ctx, q.ids); // a missing run is named, not shown as "no epoch yet"
  return valuesOf(ctx, q.ids, q.metric, parseValueChoice(q.value));
}

/**
 * Each run's `metric` under `choice`, in the order of `ids` (runs known to exist). Reads only the
 * one column, as raw rows: a page of 50 runs × 200 epochs is 10,000 rows, asked whenever the page's
 * epochs change. The column name comes from VALUE_METRICS, never from input.
 */
export function valuesOf(
  ctx: StoreContext,
  ids: readonly number[],
  metric: EpochMetricKey,
  choice: ValueChoice,
): RunValue[] {
  const column = valueMetricInfo(metric).column;
  const rows = ctx
    .statement(
      `SELECT run_id, epoch, ${column} FROM epoch_metrics
       WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, epoch`,
    )
    .raw(true)
    .all(JSON.stringify(ids)) as [number, number, number | null][];
  const points = new Map<number, EpochPoint[]>(ids.map((id) => [id, []]));
  for (const [runId, epoch, value] of rows) points.get(runId)?.push({ epoch, value });
  return ids.map((runId) => ({ runId, shown: shownValue(points.get(runId) ?? [], metric, choice) }));
}
