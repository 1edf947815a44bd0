/**
 * listRuns: sort by a whitelisted column, filter, page. User text only ever travels as a bound
 * parameter; the only SQL built from input is a column name taken from the whitelist below.
 */
import { listRunsQuerySchema } from '../../../shared/runs';
import type { ListRunsResult, RunSortColumn } from '../../../shared/runs';
import type { StoreContext } from '../context';
import { parseInput } from '../errors';
import { SUMMARY_COLUMNS, tagsOf, toSummary } from '../runs';
import type { SummaryRow } from '../runs';

const SORT_SQL: Record<RunSortColumn, string> = {
  id: 'id',
  name: 'name COLLATE NOCASE',
  status: 'status',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  preset: 'preset',
  optimizer: 'optimizer',
  learningRate: 'learning_rate',
  batchSize: 'batch_size',
  epochs: 'epochs',
  seed: 'seed',
  convActivation: 'conv_activation',
  pooling: 'pooling',
  backend: 'backend',
  bestTestAccuracy: 'best_test_accuracy',
  finalTestAccuracy: 'final_test_accuracy',
  bestEpoch: 'best_epoch',
  epochsDone: 'epochs_done',
  // Times are ms since the epoch; a running run counts up to now, a queued one has none (NULL).
  duration: "(COALESCE(finished_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) - started_at)",
};

/**
 * Every filter is always present in the SQL and switched off by a NULL parameter, so there is
 * one statement per sort order (38 at most), prepared once.
 */
const WHERE = `
  (@kind IS NULL OR kind = @kind)
  AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@preset IS NULL OR (@preset = 'custom' AND preset IS NULL) OR preset = @preset)
  AND (@backend IS NULL OR backend = @backend)
  AND (@tag IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = runs.id AND t.tag = @tag))
  AND (@text IS NULL OR instr(studio_fold(name), @text) > 0 OR instr(studio_fold(notes), @text) > 0)`;

export function listRuns(ctx: StoreContext, input: unknown = {}): ListRunsResult {
  const q = parseInput(listRunsQuerySchema, input ?? {}, 'run list query');
  const statuses = q.status === undefined ? null : JSON.stringify(Array.isArray(q.status) ? q.status : [q.status]);
  const text = q.text?.trim() ? q.text.trim().toLowerCase() : null;
  const params = {
    kind: q.kind === 'all' ? null : q.kind,
    statuses,
    preset: q.preset ?? null,
    backend: q.backend ?? null,
    tag: q.tag ?? null,
    text,
  };
  const direction = q.direction === 'asc' ? 'ASC' : 'DESC';
  const rows = ctx
    .statement(
      `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE ${WHERE}
       ORDER BY ${SORT_SQL[q.sort]} ${direction} NULLS LAST, id ${direction} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as SummaryRow[];
  const { total } = ctx.statement(`SELECT COUNT(*) AS total FROM runs WHERE ${WHERE}`).get(params) as { total: number };
  const tags = tagsOf(
    ctx,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((r) => toSummary(r, tags.get(r.id) ?? [])), total };
}
