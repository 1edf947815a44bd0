/**
 * Learning-rate range tests in the store: a run of kind `lr-range-test` (migration 007), its
 * settings and outcome (lr_range_tests) and its curve (lr_range_points).
 */
import type { Hyperparams } from '../../shared/hyperparams';
import { lrRangeOptionsSchema, type LrPoint, type LrRangeOptions } from '../../shared/lr-range';
import type { CreateRunOptions } from '../../shared/runs';
import type { LrRangeDetail } from '../../shared/lr-range';
import type { TrainerEvent } from '../../shared/training';
import { inWriteTransaction, type StoreContext } from './context';
import { parseInput, StoreError } from './errors';
import { createRun, requireRunRow } from './runs';

/** Record a queued range test of `config`; its id. */
export function createLrRangeTest(
  ctx: StoreContext,
  config: Hyperparams,
  range: unknown,
  options: Omit<CreateRunOptions, 'kind'> = {},
): number {
  const parsed = parseInput(lrRangeOptionsSchema, range ?? {}, 'range test settings');
  if (parsed.minLr >= parsed.maxLr)
    throw new StoreError(
      'invalid-input',
      `A range test's lowest learning rate (${parsed.minLr}) must be below its highest (${parsed.maxLr}).`,
    );
  return inWriteTransaction(ctx, () => {
    const id = createRun(ctx, config, { ...options, kind: 'lr-range-test' });
    ctx
      .statement('INSERT INTO lr_range_tests (run_id, min_lr, max_lr, steps) VALUES (?, ?, ?, ?)')
      .run(id, parsed.minLr, parsed.maxLr, parsed.steps);
    return id;
  });
}

export function recordLrPoint(ctx: StoreContext, runId: number, point: LrPoint): void {
  for (const [what, value] of Object.entries({
    learningRate: point.learningRate,
    loss: point.loss,
    smoothedLoss: point.smoothedLoss,
  }))
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new StoreError(
        'invalid-input',
        `A range-test point's ${what} must be a finite number (got ${String(value)}).`,
      );
  ctx
    .statement(
      `INSERT OR REPLACE INTO lr_range_points (run_id, step, learning_rate, loss, smoothed_loss) VALUES (?, ?, ?, ?, ?)`,
    )
    .run(runId, point.step, point.learningRate, point.loss, point.smoothedLoss);
}

export function recordLrResult(
  ctx: StoreContext,
  runId: number,
  result: Extract<TrainerEvent, { type: 'lr-range-result' }>,
): void {
  ctx
    .statement(
      `UPDATE lr_range_tests SET suggestion = @suggestion, rule = @rule, min_loss_lr = @minLossLr,
         stop_reason = @stopReason, points = @points WHERE run_id = @id`,
    )
    .run({
      id: runId,
      suggestion: result.learningRate,
      rule: result.rule,
      minLossLr: result.minLossLearningRate,
      stopReason: result.stopReason,
      points: result.steps,
    });
}

interface TestRow {
  min_lr: number;
  max_lr: number;
  steps: number;
  suggestion: number | null;
  rule: string | null;
  min_loss_lr: number | null;
  stop_reason: LrRangeDetail['stopReason'];
}

/** The settings a queued range test was recorded with, or null for a training run. */
export function lrRangeSettings(ctx: StoreContext, runId: number): LrRangeOptions | null {
  const row = ctx.statement('SELECT min_lr, max_lr, steps FROM lr_range_tests WHERE run_id = ?').get(runId) as
    Pick<TestRow, 'min_lr' | 'max_lr' | 'steps'> | undefined;
  return row ? { minLr: row.min_lr, maxLr: row.max_lr, steps: row.steps } : null;
}

/** A range test's settings, curve and outcome; refused (naming the run) for a training run. */
export function getLrRange(ctx: StoreContext, id: unknown): LrRangeDetail {
  const run = requireRunRow(ctx, id);
  const row = ctx.statement('SELECT * FROM lr_range_tests WHERE run_id = ?').get(run.id) as TestRow | undefined;
  if (!row) throw new StoreError('invalid-input', `Run ${run.id} is a training run, not a learning-rate range test.`);
  const points = ctx
    .statement(
      `SELECT step, learning_rate AS learningRate, loss, smoothed_loss AS smoothedLoss
       FROM lr_range_points WHERE run_id = ? ORDER BY step`,
    )
    .all(run.id) as LrPoint[];
  return {
    runId: run.id,
    status: run.status,
    settings: { minLr: row.min_lr, maxLr: row.max_lr, steps: row.steps },
    points,
    learningRate: row.suggestion,
    rule: row.rule,
    minLossLearningRate: row.min_loss_lr,
    stopReason: row.stop_reason,
  };
}
