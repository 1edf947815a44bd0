/**
 * The runs table and its tags: creating a run, status changes, editing, deleting, and the row →
 * RunSummary mapping every query shares.
 */
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseHyperparams, PRESET_NAMES, PRESETS } from '../../shared/hyperparams';
import type { Hyperparams, PresetName } from '../../shared/hyperparams';
import { canonicalJson } from '../../shared/canonical-json';
import { createRunOptionsSchema, runIdSchema, runPatchSchema } from '../../shared/runs';
import type { DeleteRunResult, RunKind, RunStatus, RunSummary } from '../../shared/runs';
import type { BackendName, FinalStatus, TrainerEvent } from '../../shared/training';
import { inWriteTransaction } from './context';
import type { StoreContext } from './context';
import { resolvedLocation, storedLocation } from './checkpoints';
import { parseInput, StoreError } from './errors';
import { currentProcess, ownerLiveness } from './owner';
import { INITIAL_STATUS, nextStatus, statusesBefore } from './run-status';

/** The columns of a RunSummary, in one place so every query maps rows the same way. */
export const SUMMARY_COLUMNS = `id, kind, name, status, created_at, started_at, finished_at, preset, optimizer, learning_rate,
  batch_size, epochs, seed, conv_activation, pooling, backend, backend_choice, tfjs_version, dataset_official, notes,
  error, end_reason, best_test_accuracy, final_test_accuracy, best_epoch, epochs_done`;

export interface SummaryRow {
  id: number;
  kind: RunKind;
  name: string;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  preset: PresetName | null;
  optimizer: string;
  learning_rate: number;
  batch_size: number;
  epochs: number;
  seed: number;
  conv_activation: string;
  pooling: string;
  backend: BackendName | null;
  backend_choice: string | null;
  tfjs_version: string | null;
  dataset_official: number | null;
  notes: string;
  error: string | null;
  end_reason: string | null;
  best_test_accuracy: number | null;
  final_test_accuracy: number | null;
  best_epoch: number | null;
  epochs_done: number;
}

export interface DetailRow extends SummaryRow {
  config_json: string;
  dataset_json: string | null;
  test_labels_sha256: string | null;
  train_size: number | null;
  validation_size: number | null;
  test_size: number | null;
  batches_per_epoch: number | null;
  parameter_count: number | null;
  checkpoint_dir: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  owner_token: string | null;
}

export function toSummary(row: SummaryRow, tags: string[]): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    preset: row.preset,
    optimizer: row.optimizer,
    learningRate: row.learning_rate,
    batchSize: row.batch_size,
    epochs: row.epochs,
    seed: row.seed,
    convActivation: row.conv_activation,
    pooling: row.pooling,
    backend: row.backend,
    backendChoice: row.backend_choice,
    tfjsVersion: row.tfjs_version,
    datasetOfficial: row.dataset_official == null ? null : row.dataset_official === 1,
    tags,
    notes: row.notes,
    error: row.error,
    endReason: row.end_reason,
    bestTestAccuracy: row.best_test_accuracy,
    finalTestAccuracy: row.final_test_accuracy,
    bestEpoch: row.best_epoch,
    epochsDone: row.epochs_done,
  };
}

/** Tags of many runs in one query (json_each keeps it one statement whatever the count). */
export function tagsOf(ctx: StoreContext, runIds: readonly number[]): Map<number, string[]> {
  const byRun = new Map<number, string[]>(runIds.map((id) => [id, []]));
  if (runIds.length === 0) return byRun;
  const rows = ctx
    .statement(
      'SELECT run_id, tag FROM run_tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, position',
    )
    .all(JSON.stringify(runIds)) as { run_id: number; tag: string }[];
  for (const row of rows) byRun.get(row.run_id)?.push(row.tag);
  return byRun;
}

/** Validate an id and fetch its row, or fail with 'invalid-input' / 'not-found'. */
export function requireRunRow(ctx: StoreContext, id: unknown): DetailRow {
  const runId = parseInput(runIdSchema, id, 'run id');
  const row = ctx.statement('SELECT * FROM runs WHERE id = ?').get(runId) as DetailRow | undefined;
  if (!row) throw new StoreError('not-found', `Run ${runId} does not exist.`);
  return row;
}

/** The run's status as stored (one column: asked after every event a trainer sends). */
export function statusOf(ctx: StoreContext, id: number): RunStatus {
  const status = ctx.statement('SELECT status FROM runs WHERE id = ?').pluck().get(id) as RunStatus | undefined;
  if (!status) throw new StoreError('not-found', `Run ${id} does not exist.`);
  return status;
}

export function getSummaries(ctx: StoreContext, ids: readonly number[]): RunSummary[] {
  const rows = ctx
    .statement(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as SummaryRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length)
    throw new StoreError(
      'not-found',
      `Run${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist.`,
    );
  const tags = tagsOf(ctx, ids);
  return ids.map((id) => toSummary(byId.get(id)!, tags.get(id) ?? []));
}

/** The preset a configuration equals exactly, if any. */
export function matchingPreset(config: Hyperparams): PresetName | null {
  const key = canonicalJson(config);
  return PRESET_NAMES.find((name) => canonicalJson(PRESETS[name]) === key) ?? null;
}

function writeTags(ctx: StoreContext, runId: number, tags: readonly string[]): void {
  ctx.statement('DELETE FROM run_tags WHERE run_id = ?').run(runId);
  const insert = ctx.statement('INSERT INTO run_tags (run_id, tag, position) VALUES (?, ?, ?)');
  tags.forEach((tag, position) => insert.run(runId, tag, position));
}

/**
 * Store a new queued run owned by this process and return its id. The configuration is validated
 * with the shared schema; the name defaults to "<preset> #<id>" (e.g. "seed #12").
 */
export function createRun(ctx: StoreContext, config: unknown, options: unknown = {}): number {
  const parsed = parseHyperparams(config);
  if (!parsed.ok) throw new StoreError('invalid-input', `Invalid run configuration: ${parsed.errors.join('; ')}`);
  const cfg = parsed.data;
  const opts = parseInput(createRunOptionsSchema, options ?? {}, 'run options');
  const preset = opts.preset ?? matchingPreset(cfg);
  const owner = currentProcess();
  return inWriteTransaction(ctx, () => {
    const { lastInsertRowid } = ctx
      .statement(
        `INSERT INTO runs (name, status, created_at, config_json, preset, optimizer, learning_rate, batch_size, epochs,
           seed, conv_activation, pooling, notes, checkpoint_dir, owner_pid, owner_host, owner_token, kind)
         VALUES ('', @status, @createdAt, @config, @preset, @optimizer, @learningRate, @batchSize, @epochs,
           @seed, @convActivation, @pooling, @notes, @checkpointDir, @pid, @host, @token, @kind)`,
      )
      .run({
        status: INITIAL_STATUS,
        createdAt: Date.now(),
        config: JSON.stringify(cfg),
        preset,
        optimizer: cfg.optimizer,
        learningRate: cfg.learningRate,
        batchSize: cfg.batchSize,
        epochs: cfg.epochs,
        seed: cfg.seed,
        convActivation: cfg.model.convActivation,
        pooling: cfg.model.pooling,
        notes: opts.notes ?? '',
        checkpointDir: opts.checkpointDir ? storedLocation(ctx.file, opts.checkpointDir) : null,
        pid: owner.pid,
        host: owner.host,
        token: owner.token,
        kind: opts.kind ?? 'train',
      });
    const id = Number(lastInsertRowid);
    // An automatic name is the preset alone: every place that shows a name shows the id beside it.
    ctx.statement('UPDATE runs SET name = ? WHERE id = ?').run(opts.name ?? preset ?? 'custom', id);
    if (opts.tags?.length) writeTags(ctx, id, opts.tags);
    ctx.plannedEpochs.set(id, cfg.epochs);
    return id;
  });
}

/** Rename, annotate or retag a run; returns the updated summary. */
export function updateRun(ctx: StoreContext, id: unknown, patch: unknown): RunSummary {
  const changes = parseInput(runPatchSchema, patch, 'run changes');
  const runId = requireRunRow(ctx, id).id;
  inWriteTransaction(ctx, () => {
    if (changes.name !== undefined) ctx.statement('UPDATE runs SET name = ? WHERE id = ?').run(changes.name, runId);
    if (changes.notes !== undefined) ctx.statement('UPDATE runs SET notes = ? WHERE id = ?').run(changes.notes, runId);
    if (changes.tags !== undefined) writeTags(ctx, runId, changes.tags);
  });
  return getSummaries(ctx, [runId])[0];
}

/** `candidate` lies strictly inside `root` (symlinks in the parents resolved, the last one not followed). */
function insideRoot(root: string, candidate: string): boolean {
  if (!existsSync(root)) return false;
  const realRoot = realpathSync(root);
  let realCandidate: string;
  try {
    realCandidate = join(realpathSync(dirname(candidate)), basename(candidate));
  } catch {
    return false;
  }
  const rel = relative(realRoot, realCandidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The run's checkpoint folders: the one given at creation, the conventional one, and for each
 * recorded checkpoint path inside the root the first folder under the root that holds it.
 */
function checkpointFolders(root: string, conventional: string, given: string | null, paths: string[]): string[] {
  const folders = new Set<string>([resolve(conventional)]);
  if (given) folders.add(resolve(given));
  for (const path of paths) {
    const rel = relative(resolve(root), resolve(path));
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) folders.add(join(resolve(root), rel.split(sep)[0]));
    else folders.add(resolve(path));
  }
  return [...folders];
}

/**
 * Delete a run with everything recorded about it, then its checkpoint folder if that lies inside
 * the checkpoint root (a path recorded elsewhere is reported in `keptPaths`, never removed: a
 * tampered database must not be able to delete arbitrary folders).
 */
export function deleteRun(ctx: StoreContext, id: unknown): DeleteRunResult {
  const row = requireRunRow(ctx, id);
  // Deleting under a live trainer would make its next event fail; stop it first.
  if (
    (row.status === 'queued' || row.status === 'running') &&
    ownerLiveness({ pid: row.owner_pid, host: row.owner_host, token: row.owner_token }) !== 'gone'
  ) {
    throw new StoreError('conflict', `Run ${row.id} is still ${row.status}; stop it before deleting it.`);
  }
  const paths = (ctx.statement('SELECT path FROM checkpoints WHERE run_id = ?').all(row.id) as { path: string }[]).map(
    (r) => resolvedLocation(ctx.file, r.path),
  );
  inWriteTransaction(ctx, () => {
    ctx.statement('DELETE FROM runs WHERE id = ?').run(row.id);
  });
  ctx.plannedEpochs.delete(row.id);
  const removedPaths: string[] = [];
  const keptPaths: string[] = [];
  const given = row.checkpoint_dir && resolvedLocation(ctx.file, row.checkpoint_dir);
  for (const folder of checkpointFolders(ctx.checkpointRoot, ctx.checkpointDirOf(row.id), given, paths)) {
    if (!existsSync(folder)) continue;
    if (insideRoot(ctx.checkpointRoot, folder)) {
      rmSync(folder, { recursive: true, force: true });
      removedPaths.push(folder);
    } else keptPaths.push(folder);
  }
  return { id: row.id, removedPaths, keptPaths };
}

// ---------------------------------------------------------------------------------------------
// Status changes (called inside recordEvent's transaction)
// ---------------------------------------------------------------------------------------------

/** What a trainer's `started` event tells the run's row. */
export type StartedFacts = Omit<Extract<TrainerEvent, { type: 'started' }>, 'type' | 'epochs' | 'testLabels'>;

export function markStarted(ctx: StoreContext, row: DetailRow, facts: StartedFacts): void {
  const status = nextStatus(row, 'started');
  const owner = currentProcess();
  ctx
    .statement(
      `UPDATE runs SET status = @status, started_at = COALESCE(started_at, @now), backend = @backend,
         backend_choice = @backendChoice, tfjs_version = @tfjsVersion, dataset_json = @dataset, dataset_official = @official, test_labels_sha256 = @labels,
         train_size = @trainSize, validation_size = @validationSize, test_size = @testSize,
         batches_per_epoch = @batchesPerEpoch, parameter_count = @parameterCount,
         owner_pid = @pid, owner_host = @host, owner_token = @token
       WHERE id = @id`,
    )
    .run({
      id: row.id,
      status,
      now: Date.now(),
      backend: facts.backend,
      backendChoice: facts.backendChoice ?? null,
      tfjsVersion: facts.tfjsVersion,
      dataset: JSON.stringify(facts.dataset),
      official: facts.dataset.official ? 1 : 0,
      labels: facts.dataset.sha256?.['t10k-labels-idx1-ubyte'] ?? null,
      trainSize: facts.trainSize,
      validationSize: facts.validationSize,
      testSize: facts.testSize,
      batchesPerEpoch: facts.batchesPerEpoch,
      parameterCount: facts.parameterCount,
      pid: owner.pid,
      host: owner.host,
      token: owner.token,
    });
}

export function markFinished(
  ctx: StoreContext,
  row: DetailRow,
  how: FinalStatus,
  details: { error?: string | null; endReason?: string | null; epochs?: number },
): void {
  ctx
    .statement(
      `UPDATE runs SET status = @status, finished_at = @now, error = @error, end_reason = @endReason,
         epochs_done = MAX(epochs_done, @epochs)
       WHERE id = @id`,
    )
    .run({
      id: row.id,
      status: nextStatus(row, how),
      now: Date.now(),
      error: details.error ?? null,
      endReason: details.endReason ?? null,
      epochs: details.epochs ?? 0,
    });
}

/** `('queued', 'running')`: the statuses a run whose process has gone can be left in. */
const ORPHANABLE = `(${statusesBefore('owner-gone')
  .map((s) => `'${s}'`)
  .join(', ')})`;

interface OwnedRow {
  id: number;
  status: RunStatus;
  owner_pid: number | null;
  owner_host: string | null;
  owner_token: string | null;
}

/**
 * Mark queued/running runs whose owning process is gone as `interrupted`, keeping every metric
 * recorded so far. Runs owned by a live process (a CLI training while the app opens) or by
 * another host are left alone. Returns the ids changed.
 */
export function recoverInterruptedRuns(ctx: StoreContext): number[] {
  // Read first and decide outside any lock: most opens find nothing to do and never write.
  const candidates = ctx
    .statement(`SELECT id, status, owner_pid, owner_host, owner_token FROM runs WHERE status IN ${ORPHANABLE}`)
    .all() as OwnedRow[];
  const gone = candidates.filter(
    (r) => ownerLiveness({ pid: r.owner_pid, host: r.owner_host, token: r.owner_token }) === 'gone',
  );
  if (gone.length === 0 || ctx.readonly) return [];
  const now = Date.now();
  return inWriteTransaction(ctx, () => {
    const changed: number[] = [];
    // The WHERE re-checks owner and status: another process may have taken the run meanwhile.
    const mark = ctx.statement(
      `UPDATE runs SET status = @status, finished_at = @now, error = @error
       WHERE id = @id AND status IN ${ORPHANABLE} AND owner_pid IS @pid AND owner_token IS @token`,
    );
    for (const r of gone) {
      const error = `Interrupted: the process that was ${r.status === 'running' ? 'training' : 'about to train'} it (pid ${r.owner_pid}) ended before the run finished.`;
      const status = nextStatus(r, 'owner-gone');
      if (mark.run({ id: r.id, status, now, error, pid: r.owner_pid, token: r.owner_token }).changes)
        changed.push(r.id);
    }
    return changed;
  });
}
