/**
 * The run store: one object per open database, created by `openStore`. Every method validates its
 * input with the shared schemas and reports failures as a StoreError with a stable `code`.
 * Electron-free: the app, the CLI and the tests all use this same class.
 */
import { resolve } from 'node:path';
import type { Hyperparams } from '../../shared/hyperparams';
import type {
  EpochSnapshot,
  ImageTrajectory,
  InspectSnapshotInput,
  InspectTrajectoryInput,
} from '../../shared/inspect';

import type { MachineSpeed } from '../../shared/run-estimate';
import type { RunValue, RunValuesQuery } from '../../shared/metric-value';
import type {
  CompareRunsResult,
  ConfusionDiffResult,
  ConfusionResult,
  CreateRunOptions,
  DeleteRunResult,
  DisagreementsResult,
  EvaluationRole,
  ExportFormat,
  ExportSelection,
  ListRunsQuery,
  ListRunsResult,
  PredictionsQuery,
  PredictionsResult,
  RunDetail,
  RunPairQuery,
  RunPatch,
  RunStatus,
  RunSummary,
} from '../../shared/runs';
import type { SweepDetail, SweepSummary } from '../../shared/sweep';
import { isFinalEvent, type TrainerEvent } from '../../shared/training';
import { defaultCheckpointRoot, runCheckpointDir } from '../paths';
import { createContext, inWriteTransaction } from './context';
import type { StoreContext } from './context';
import { closeDatabase, openDatabase } from './db';
import type { OpenDatabaseOptions, OpenedDatabase } from './db';
import { StoreError, toStoreError } from './errors';
import { recordEvent } from './events';
import { createLrRangeTest, getLrRange, lrRangeSettings } from './lr-range';
import type { LrRangeDetail, LrRangeOptions } from '../../shared/lr-range';
import { disagreements, queryPredictions, saveTestLabels } from './predictions';
import { compareRuns } from './queries/compare';
import { confusion, confusionDiff } from './queries/confusion';
import { exportRuns, type ExportedText } from './queries/export';
import { listRuns } from './queries/list';
import { latestMachineSpeed } from './queries/machine-speed';
import { getRun } from './queries/run';
import { runValues } from './queries/values';
import { ensureReserve, isDiskFull, releaseReserve } from './reserve';
import { requeueForResume, type ResumeInput } from './resume';
import { createRun, deleteRun, getSummaries, recoverInterruptedRuns, statusOf, updateRun } from './runs';
import { epochSnapshot, imageTrajectory, snapshotEpochs } from './snapshots';
import {
  auditableRuns,
  auditRun,
  imagesMarkedWrong,
  markedWrongByFile,
  recordCheckpointMargins,
  setMark,
} from './label-audit';
import { leftOutOf } from './left-out';
import type { MarginsEvent, MarkedImages } from '../../shared/training';
import type { AuditableRun, AuditResult } from '../../shared/audit';
import {
  createSweep,
  getSweep,
  linkRunToSweep,
  listSweeps,
  markSweepStopped,
  rungEntries,
  type NewSweep,
  type RungEntry,
} from './sweeps';

export interface OpenStoreOptions extends OpenDatabaseOptions {
  /** Checkpoint folders inside this root are deleted with their run. Default: `checkpoints/` next to the database. */
  checkpointRoot?: string;
  /**
   * The folder the app gives each run's checkpoints, removed with the run when it lies inside
   * the checkpoint root. Default `<checkpointRoot>/run-<id>`.
   */
  checkpointDirOf?: (runId: number) => string;
  /** Skip marking orphaned runs interrupted on open (inspection tools). Default false. */
  skipRecovery?: boolean;
}

export class Store {
  /** Absolute path of the database file. */
  readonly path: string;
  /** True when the file (or its folder) is not writable: reads work, writes throw 'read-only'. */
  readonly readonly: boolean;
  /** Why it is read-only (the file, folder, -wal or -shm that stops writing); null when writable. */
  readonly readonlyReason: string | null;
  /**
   * True when the original could not be read in place (a WAL database in a read-only folder) and
   * a temporary copy taken at open is being read instead: it will not show later changes.
   */
  readonly snapshot: boolean;
  /** Runs this open marked `interrupted` because their owning process was gone. */
  readonly recoveredRunIds: readonly number[];
  private readonly ctx: StoreContext;
  private readonly opened: OpenedDatabase;

  /** Use `openStore`. */
  constructor(opened: OpenedDatabase, opts: OpenStoreOptions = {}) {
    this.opened = opened;
    this.path = opened.file;
    this.readonly = opened.readonly;
    this.readonlyReason = opened.readonlyReason;
    this.snapshot = opened.snapshotDir !== null;
    // Case folding for the name/notes text filter: SQLite's lower() only knows ASCII.
    opened.db.function('studio_fold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    const checkpointRoot = resolve(opts.checkpointRoot ?? defaultCheckpointRoot(opened.file));
    const checkpointDirOf = opts.checkpointDirOf ?? ((runId: number) => runCheckpointDir(checkpointRoot, runId));
    this.ctx = createContext(
      opened.db,
      opened.file,
      opened.readonly,
      checkpointRoot,
      checkpointDirOf,
      opened.readonlyReason,
    );
    let recovered: number[] = [];
    if (!opts.skipRecovery && !this.readonly) {
      try {
        recovered = recoverInterruptedRuns(this.ctx);
      } catch (error) {
        // Another process holds the write lock, or the disk is full: leave recovery to the next
        // open (or an explicit recoverInterruptedRuns call) rather than refuse to show the runs.
        const mapped = toStoreError(error, this.path);
        if (!(mapped instanceof StoreError && mapped.code === 'locked') && !isDiskFull(error)) throw mapped;
      }
    }
    this.recoveredRunIds = recovered;
    if (!this.readonly && !this.snapshot) ensureReserve(this.path);
  }

  /** Run `fn`, translating SQLite errors into StoreErrors naming the file. */
  private guard<T>(fn: () => T): T {
    if (!this.opened.db.open) throw new StoreError('invalid-input', `The run database ${this.path} is closed.`);
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Store a new `queued` run owned by this process; returns its id. */
  createRun(config: Hyperparams, options: CreateRunOptions = {}): number {
    return this.guard(() => createRun(this.ctx, config, options));
  }

  /**
   * Persist one trainer event in its own transaction; the run's status once it is stored. A final
   * event that meets a full disk is written from the reserve, so the run keeps its real reason.
   */
  recordEvent(runId: number, event: TrainerEvent): RunStatus {
    const write = () =>
      this.guard(() => {
        recordEvent(this.ctx, runId, event);
        return statusOf(this.ctx, runId);
      });
    try {
      return write();
    } catch (error) {
      if (!isFinalEvent(event) || !isDiskFull(error) || !releaseReserve(this.path)) throw error;
      const status = write();
      ensureReserve(this.path);
      return status;
    }
  }

  /** Store test labels under the SHA-256 of their labels file (the DatasetIdentity entry). */
  saveTestLabels(labelsSha256: string, labels: ArrayLike<number>): void {
    this.guard(() => inWriteTransaction(this.ctx, () => saveTestLabels(this.ctx, labelsSha256, labels)));
  }

  /** Mark runs whose owning process has gone as `interrupted`; returns their ids. Runs on open too. */
  recoverInterruptedRuns(): number[] {
    return this.guard(() => (this.readonly ? [] : recoverInterruptedRuns(this.ctx)));
  }

  updateRun(id: number, patch: RunPatch): RunSummary {
    return this.guard(() => updateRun(this.ctx, id, patch));
  }

  /** Delete a run and everything recorded about it, and its checkpoint folder if inside the checkpoint root. */
  deleteRun(id: number): DeleteRunResult {
    return this.guard(() => deleteRun(this.ctx, id));
  }

  /** Queue a final run again to continue from its `last` checkpoint (what came after it is dropped). */
  requeueForResume(input: ResumeInput): void {
    this.guard(() => requeueForResume(this.ctx, input));
  }

  /** Record a sweep's definition; returns its id. */
  createSweep(sweep: NewSweep): number {
    return this.guard(() => createSweep(this.ctx, sweep));
  }

  linkRunToSweep(link: { sweepId: number; runId: number }): void {
    this.guard(() => linkRunToSweep(this.ctx, link));
  }

  /** Note when a sweep was stopped (the first time only). */
  markSweepStopped(id: number): void {
    this.guard(() => markSweepStopped(this.ctx, id));
  }

  // ---- reading ------------------------------------------------------------------------------

  listRuns(query: ListRunsQuery = {}): ListRunsResult {
    return this.guard(() => listRuns(this.ctx, query));
  }

  /** Record a queued learning-rate range test of `config` (settings: shared/lr-range.ts); its id. */
  createLrRangeTest(config: Hyperparams, range: unknown, options: Omit<CreateRunOptions, 'kind'> = {}): number {
    return this.guard(() => createLrRangeTest(this.ctx, config, range, options));
  }

  /** The settings a range test was queued with; null for a training run. */
  lrRangeSettings(id: number): LrRangeOptions | null {
    return this.guard(() => lrRangeSettings(this.ctx, id));
  }

  /** A range test's curve and suggestion. */
  lrRange(id: number): LrRangeDetail {
    return this.guard(() => getLrRange(this.ctx, id));
  }

  getRun(id: number): RunDetail {
    return this.guard(() => getRun(this.ctx, id));
  }

  /** The runs' table rows, in the order asked; 'not-found' names any that do not exist. */
  runSummaries(ids: readonly number[]): RunSummary[] {
    return this.guard(() => getSummaries(this.ctx, ids));
  }

  /** A metric's value per run under a choice (last, best, at an epoch), with the epoch it comes from. */
  runValues(query: RunValuesQuery): RunValue[] {
    return this.guard(() => runValues(this.ctx, query));
  }

  compareRuns(ids: number[]): CompareRunsResult {
    return this.guard(() => compareRuns(this.ctx, ids));
  }

  confusion(id: number, role: EvaluationRole): ConfusionResult {
    return this.guard(() => confusion(this.ctx, { runId: id, role }));
  }

  /** Cell by cell, run b's confusion matrix minus run a's. */
  confusionDiff(pair: RunPairQuery): ConfusionDiffResult {
    return this.guard(() => confusionDiff(this.ctx, pair));
  }

  predictions(query: PredictionsQuery): PredictionsResult {
    return this.guard(() => queryPredictions(this.ctx, query));
  }

  /** Test images one run of the pair gets right and the other wrong. */
  disagreements(pair: RunPairQuery): DisagreementsResult {
    return this.guard(() => disagreements(this.ctx, pair));
  }

  /** This machine's speed from its latest timed run, for estimates; null before any. */
  machineSpeed(): MachineSpeed | null {
    return this.guard(() => latestMachineSpeed(this.ctx));
  }

  /** The runs as a JSON document or their epochs as CSV, with how many runs it holds and which damaged ones it left out. */
  exportRuns(selection: ExportSelection, format: ExportFormat, value?: string): ExportedText {
    return this.guard(() => exportRuns(this.ctx, selection, format, value));
  }

  /** Epochs of the run that have a snapshot (the inspector's epoch slider), ascending. */
  snapshotEpochs(runId: number): number[] {
    return this.guard(() => snapshotEpochs(this.ctx, runId));
  }

  epochSnapshot(query: InspectSnapshotInput): EpochSnapshot {
    return this.guard(() => epochSnapshot(this.ctx, query));
  }

  /** One test image's prediction across the run's snapshots. */
  imageTrajectory(query: InspectTrajectoryInput): ImageTrajectory {
    return this.guard(() => imageTrajectory(this.ctx, query));
  }

  /** The label audit of a run (shared/audit.ts): its ranked training images, or why there are none. */
  audit(query: unknown): AuditResult {
    return this.guard(() => auditRun(this.ctx, query));
  }

  /** The final network's margins from run `runId`'s last checkpoint, for a run recorded without margins. */
  recordCheckpointMargins(runId: number, margins: Pick<MarginsEvent, 'sums' | 'believed' | 'labels'>): void {
    this.guard(() => inWriteTransaction(this.ctx, () => recordCheckpointMargins(this.ctx, runId, margins)));
  }

  /** Every training run, newest first, with the epochs its margins cover (the audit's run picker). */
  auditableRuns(): AuditableRun[] {
    return this.guard(() => auditableRuns(this.ctx));
  }

  /** Set or clear the user's mark on a training image (kept per training file, never deleted with a run). */
  markImage(input: unknown): void {
    this.guard(() => inWriteTransaction(this.ctx, () => setMark(this.ctx, input)));
  }

  /** Training images the user marked wrong on the file run `runId` trained on. */
  imagesMarkedWrong(runId: number): number[] {
    return this.guard(() => imagesMarkedWrong(this.ctx, runId));
  }

  /** Every training file's images marked wrong: what a run with `excludeMarked` may leave out. */
  markedWrongByFile(): MarkedImages[] {
    return this.guard(() => markedWrongByFile(this.ctx));
  }

  /** The images run `runId` left out when it started (a resume leaves out the same); null: none by choice. */
  leftOutOf(runId: number): MarkedImages | null {
    return this.guard(() => leftOutOf(this.ctx, runId));
  }

  listSweeps(): SweepSummary[] {
    return this.guard(() => listSweeps(this.ctx));
  }

  getSweep(id: number): SweepDetail {
    return this.guard(() => getSweep(this.ctx, id));
  }

  /** The sweep's runs that have completed `epoch`, with their accuracies there (successive halving). */
  rungEntries(at: { sweepId: number; epoch: number }): RungEntry[] {
    return this.guard(() => rungEntries(this.ctx, at));
  }

  /** `PRAGMA integrity_check`: 'ok' or SQLite's list of problems. */
  integrityCheck(): string {
    return this.guard(() =>
      (this.opened.db.pragma('integrity_check') as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .join('\n'),
    );
  }

  close(): void {
    closeDatabase(this.opened);
  }
}

/**
 * Open the run database at `path` (created with its folder when missing, unless `mustExist` or
 * `readonly`), apply migrations, and mark runs whose owner process is gone as interrupted.
 * Throws a StoreError: 'corrupt', 'newer-schema', 'locked', 'read-only', 'not-found' or 'io'.
 */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  const opened = openDatabase(path, opts);
  try {
    return new Store(opened, opts);
  } catch (error) {
    closeDatabase(opened);
    throw toStoreError(error, opened.file);
  }
}
