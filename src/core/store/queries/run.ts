/**
 * getRun: everything about one run except the prediction blobs.
 */
import type { Hyperparams } from '../../../shared/hyperparams';
import type { RunDetail } from '../../../shared/runs';
import type { DatasetIdentity } from '../../../shared/training';
import { checkpointsOf, resolvedLocation } from '../checkpoints';
import type { StoreContext } from '../context';
import { evaluationsOf } from '../evaluations';
import { batchSeries, epochSeries } from '../metrics';
import { StoreError } from '../errors';
import { requireRunRow, tagsOf, toSummary } from '../runs';
import { leftOutSummary } from '../left-out';

/** A JSON column of run `id`, or a 'corrupt' error naming the run and the column. */
function parseColumn<T>(id: number, column: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StoreError(
      'corrupt',
      `Run #${id} is damaged: its stored ${column} is not valid JSON (${(error as Error).message}).`,
    );
  }
}

export function getRun(ctx: StoreContext, id: unknown): RunDetail {
  const row = requireRunRow(ctx, id);
  return {
    ...toSummary(row, tagsOf(ctx, [row.id]).get(row.id) ?? []),
    config: parseColumn<Hyperparams>(row.id, 'config_json', row.config_json),
    dataset: row.dataset_json ? parseColumn<DatasetIdentity>(row.id, 'dataset_json', row.dataset_json) : null,
    trainSize: row.train_size,
    validationSize: row.validation_size,
    testSize: row.test_size,
    batchesPerEpoch: row.batches_per_epoch,
    parameterCount: row.parameter_count,
    checkpointDir: row.checkpoint_dir && resolvedLocation(ctx.file, row.checkpoint_dir),
    epochMetrics: epochSeries(ctx, row.id),
    batches: batchSeries(ctx, row.id),
    evaluations: evaluationsOf(ctx, row.id),
    checkpoints: checkpointsOf(ctx, row.id),
    leftOut: leftOutSummary(ctx, row.id),
  };
}
