/**
 * Per-epoch metrics and the downsampled per-batch curve.
 */
import type { BatchPoint, EpochMetrics } from '../../shared/runs';
import type { TrainerEvent } from '../../shared/training';
import type { StoreContext } from './context';
import type { DetailRow } from './runs';

/**
 * At most this many batch points per run. A run's planned batches (epochs × batches per epoch)
 * are cut into this many equal slices; each slice keeps the mean of the events that fell in it.
 * Deterministic (the slice depends only on the step), independent of how often the trainer
 * reports, and a 200-epoch run stays ~80 KB.
 */
export const MAX_BATCH_POINTS = 2000;

/** SQLite stores NaN as NULL anyway; say so explicitly and keep ±Infinity out of JSON exports. */
function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;
type BatchEvent = Extract<TrainerEvent, { type: 'batch' }>;

/** epoch_metrics' measurement columns, in table order (series, CSV export). */
export const EPOCH_METRIC_COLUMNS = [
  'train_loss',
  'train_accuracy',
  'validation_loss',
  'validation_accuracy',
  'test_loss',
  'test_accuracy',
  'learning_rate',
  'seconds',
  'images_per_sec',
] as const;

/**
 * Store one epoch's metrics (a repeated epoch replaces the earlier row) and refresh the run's
 * best/final figures. The best epoch is chosen by validation accuracy when the run has a
 * validation split, else by test accuracy — the same rule the trainer uses for its `best`
 * evaluation and checkpoint; ties go to the earlier epoch.
 */
export function recordEpoch(ctx: StoreContext, runId: number, e: EpochEvent): void {
  ctx
    .statement(
      `INSERT INTO epoch_metrics (run_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy,
         test_loss, test_accuracy, learning_rate, seconds, images_per_sec)
       VALUES (@runId, @epoch, @trainLoss, @trainAccuracy, @validationLoss, @validationAccuracy,
         @testLoss, @testAccuracy, @learningRate, @seconds, @imagesPerSec)
       ON CONFLICT (run_id, epoch) DO UPDATE SET
         train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
         validation_loss = excluded.validation_loss, validation_accuracy = excluded.validation_accuracy,
         test_loss = excluded.test_loss, test_accuracy = excluded.test_accuracy,
         learning_rate = excluded.learning_rate, seconds = excluded.seconds, images_per_sec = excluded.images_per_sec`,
    )
    .run({
      runId,
      epoch: e.epoch,
      trainLoss: finiteOrNull(e.trainLoss),
      trainAccuracy: finiteOrNull(e.trainAccuracy),
      validationLoss: finiteOrNull(e.validationLoss),
      validationAccuracy: finiteOrNull(e.validationAccuracy),
      testLoss: finiteOrNull(e.testLoss),
      testAccuracy: finiteOrNull(e.testAccuracy),
      learningRate: finiteOrNull(e.learningRate),
      seconds: finiteOrNull(e.seconds),
      imagesPerSec: finiteOrNull(e.imagesPerSec),
    });
  ctx
    .statement(
      `UPDATE runs SET
         epochs_done = MAX(epochs_done, @epoch),
         final_test_accuracy = (SELECT test_accuracy FROM epoch_metrics WHERE run_id = @runId ORDER BY epoch DESC LIMIT 1),
         (best_epoch, best_validation_accuracy, best_test_accuracy) = (
           SELECT epoch, validation_accuracy, test_accuracy FROM epoch_metrics WHERE run_id = @runId
           ORDER BY COALESCE(validation_accuracy, test_accuracy) DESC, epoch ASC LIMIT 1)
       WHERE id = @runId`,
    )
    .run({ runId, epoch: e.epoch });
}

/** Which of the MAX_BATCH_POINTS slices a step (1-based batch count since the start) falls in. */
export function batchSlice(step: number, plannedSteps: number): number {
  if (plannedSteps <= MAX_BATCH_POINTS) return step - 1;
  return Math.min(MAX_BATCH_POINTS - 1, Math.floor(((step - 1) * MAX_BATCH_POINTS) / plannedSteps));
}

export function recordBatch(ctx: StoreContext, row: Pick<DetailRow, 'id' | 'epochs'>, e: BatchEvent): void {
  const batchesPerEpoch = Math.max(1, e.batchesPerEpoch);
  const step = (e.epoch - 1) * batchesPerEpoch + e.batch;
  const slice = batchSlice(step, row.epochs * batchesPerEpoch);
  ctx
    .statement(
      `INSERT INTO batch_points (run_id, slice, step, epoch, batch, loss_sum, accuracy_sum, samples)
       VALUES (@runId, @slice, @step, @epoch, @batch, @loss, @accuracy, 1)
       ON CONFLICT (run_id, slice) DO UPDATE SET
         loss_sum = loss_sum + excluded.loss_sum,
         accuracy_sum = accuracy_sum + excluded.accuracy_sum,
         samples = samples + 1`,
    )
    .run({
      runId: row.id,
      slice,
      step,
      epoch: e.epoch,
      batch: e.batch,
      loss: finiteOrNull(e.loss),
      accuracy: finiteOrNull(e.accuracy),
    });
}

interface EpochRow {
  run_id: number;
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  validation_loss: number | null;
  validation_accuracy: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  learning_rate: number | null;
  seconds: number | null;
  images_per_sec: number | null;
}

function toEpochMetrics(r: EpochRow): EpochMetrics {
  return {
    epoch: r.epoch,
    trainLoss: r.train_loss,
    trainAccuracy: r.train_accuracy,
    validationLoss: r.validation_loss,
    validationAccuracy: r.validation_accuracy,
    testLoss: r.test_loss,
    testAccuracy: r.test_accuracy,
    learningRate: r.learning_rate,
    seconds: r.seconds,
    imagesPerSec: r.images_per_sec,
  };
}

export function epochSeries(ctx: StoreContext, runId: number): EpochMetrics[] {
  return (ctx.statement('SELECT * FROM epoch_metrics WHERE run_id = ? ORDER BY epoch').all(runId) as EpochRow[]).map(
    toEpochMetrics,
  );
}

/** Epoch series of several runs in one query. */
export function epochSeriesOf(ctx: StoreContext, runIds: readonly number[]): Map<number, EpochMetrics[]> {
  const byRun = new Map<number, EpochMetrics[]>(runIds.map((id) => [id, []]));
  const rows = ctx
    .statement('SELECT * FROM epoch_metrics WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, epoch')
    .all(JSON.stringify(runIds)) as EpochRow[];
  for (const r of rows) byRun.get(r.run_id)?.push(toEpochMetrics(r));
  return byRun;
}

export function batchSeries(ctx: StoreContext, runId: number): BatchPoint[] {
  return ctx
    .statement(
      `SELECT step, epoch, batch, loss_sum / samples AS loss, accuracy_sum / samples AS accuracy, samples
       FROM batch_points WHERE run_id = ? ORDER BY slice`,
    )
    .all(runId) as BatchPoint[];
}
