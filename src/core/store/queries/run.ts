/**
 * getRun: everything about one run except the prediction blobs.
 */
import type { Hyperparams } from '../../../shared/hyperparams';
import type { RunDetail } from '../../../shared/runs';
import type { DatasetIdentity } from '../../../shared/training';
import { checkpointsOf } from '../checkpoints';
import type { StoreContext } from '../context';
import { evaluationsOf } from '../evaluations';
import { batchSeries, epochSeries } from '../metrics';
import { requireRunRow, tagsOf, toSummary } from '../runs';

export function getRun(ctx: StoreContext, id: unknown): RunDetail {
  const row = requireRunRow(ctx, id);
  return {
    ...toSummary(row, tagsOf(ctx, [row.id]).get(row.id) ?? []),
    config: JSON.parse(row.config_json) as Hyperparams,
    dataset: row.dataset_json ? (JSON.parse(row.dataset_json) as DatasetIdentity) : null,
    trainSize: row.train_size,
    validationSize: row.validation_size,
    testSize: row.test_size,
    batchesPerEpoch: row.batches_per_epoch,
    parameterCount: row.parameter_count,
    checkpointDir: row.checkpoint_dir,
    epochMetrics: epochSeries(ctx, row.id),
    batches: batchSeries(ctx, row.id),
    evaluations: evaluationsOf(ctx, row.id),
    checkpoints: checkpointsOf(ctx, row.id),
  };
}
