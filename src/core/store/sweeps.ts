/** The sweeps table: a sweep's stored definition and the runs linked to it (runs.sweep_id). */
import type { SweepDefinition, SweepDetail, SweepSummary } from '../../shared/sweep';
import { inWriteTransaction, type StoreContext } from './context';
import { StoreError } from './errors';
import { getSummaries } from './runs';

interface SweepRow {
  id: number;
  name: string;
  created_at: number;
  definition_json: string;
  run_count: number;
  parallel: number;
  stopped_at: number | null;
}

/** A sweep as it is recorded, before its runs are linked to it. */
export interface NewSweep {
  name: string;
  definition: SweepDefinition;
  runCount: number;
  parallel: number;
}

export function createSweep(ctx: StoreContext, input: NewSweep): number {
  return inWriteTransaction(ctx, () => {
    const { lastInsertRowid } = ctx
      .statement('INSERT INTO sweeps (name, created_at, definition_json, run_count, parallel) VALUES (?, ?, ?, ?, ?)')
      .run(input.name, Date.now(), JSON.stringify(input.definition), input.runCount, input.parallel);
    return Number(lastInsertRowid);
  });
}

export function linkRunToSweep(ctx: StoreContext, input: { sweepId: number; runId: number }): void {
  inWriteTransaction(ctx, () =>
    ctx.statement('UPDATE runs SET sweep_id = ? WHERE id = ?').run(input.sweepId, input.runId),
  );
}

export function markSweepStopped(ctx: StoreContext, id: number): void {
  inWriteTransaction(ctx, () =>
    ctx.statement('UPDATE sweeps SET stopped_at = COALESCE(stopped_at, ?) WHERE id = ?').run(Date.now(), id),
  );
}

function runIdsOf(ctx: StoreContext, id: number): number[] {
  return ctx.statement('SELECT id FROM runs WHERE sweep_id = ? ORDER BY id').pluck().all(id) as number[];
}

function toSummary(ctx: StoreContext, row: SweepRow): SweepSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    runCount: row.run_count,
    parallel: row.parallel,
    stoppedAt: row.stopped_at,
    definition: JSON.parse(row.definition_json) as SweepDefinition,
    runIds: runIdsOf(ctx, row.id),
  };
}

export function listSweeps(ctx: StoreContext): SweepSummary[] {
  const rows = ctx.statement('SELECT * FROM sweeps ORDER BY created_at DESC, id DESC').all() as SweepRow[];
  return rows.map((row) => toSummary(ctx, row));
}

export function getSweep(ctx: StoreContext, id: number): SweepDetail {
  const row = ctx.statement('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined;
  if (!row) throw new StoreError('not-found', `Sweep ${id} does not exist.`);
  const summary = toSummary(ctx, row);
  return { ...summary, runs: getSummaries(ctx, summary.runIds) };
}

/** A sweep run's figures at one epoch, for successive halving's ranking at a rung. */
export interface RungEntry {
  runId: number;
  validationAccuracy: number | null;
  testAccuracy: number | null;
}

/** Every run of the sweep that has completed `epoch` so far, with its accuracies there. */
export function rungEntries(ctx: StoreContext, input: { sweepId: number; epoch: number }): RungEntry[] {
  return ctx
    .statement(
      `SELECT e.run_id AS runId, e.validation_accuracy AS validationAccuracy, e.test_accuracy AS testAccuracy
       FROM epoch_metrics e JOIN runs r ON r.id = e.run_id WHERE r.sweep_id = ? AND e.epoch = ? ORDER BY e.run_id`,
    )
    .all(input.sweepId, input.epoch) as RungEntry[];
}
