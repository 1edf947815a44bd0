/**
 * Every studio operation, declared once: its name, the zod schema of its input and the type of its
 * result. From this table main registers and validates every call (src/core/procedures/), the
 * preload exposes `invoke(name, input)` for exactly these names, the renderer's API type is
 * derived, and the CLI calls the same implementations. Adding an operation is one entry here, its
 * implementation beside its domain's others in src/core/procedures/, and its caller.
 *
 * Every call answers a `Result`: Electron's invoke drops custom fields of a thrown Error, so errors
 * travel as data with a stable `code`. Inputs and results are plain objects, arrays and typed
 * arrays only: they cross Electron's structured clone (and the UI tests' bridge) unchanged.
 */
import { z } from 'zod';
import type {
  AppInfo,
  DatasetInfo,
  DatasetSamples,
  ExportResult,
  FindLrRequest,
  ReportResult,
  StartRunRequest,
} from './api';
import { lrRangeOptionsSchema, type LrRangeDetail } from './lr-range';
import { runValuesQuerySchema, valueChoiceSchema, type RunValue } from './metric-value';
import { hyperparamsSchema, PRESET_NAMES } from './hyperparams';
import {
  compareRunIdsSchema,
  confusionQuerySchema,
  EXPORT_FORMATS,
  exportSelectionSchema,
  listRunsQuerySchema,
  predictionsQuerySchema,
  runIdListSchema,
  MAX_REPORT_RUNS,
  runIdSchema,
  runNameSchema,
  runNotesSchema,
  runPairQuerySchema,
  tagsSchema,
  updateRunRequestSchema,
  type CompareRunsResult,
  type ConfusionDiffResult,
  type ConfusionResult,
  type DisagreementsResult,
  type DeleteRunResult,
  type ListRunsResult,
  type PredictionsResult,
  type RunDetail,
  type RunSummary,
} from './runs';
import type { DownloadProgress } from './api';
import {
  auditImagesInputSchema,
  auditQuerySchema,
  computeMarginsInputSchema,
  markInputSchema,
  type AuditableRun,
  type AuditProgress,
  type AuditImages,
  type AuditResult,
} from './audit';
import {
  inspectImageInputSchema,
  inspectKernelsInputSchema,
  inspectPredictInputSchema,
  inspectSnapshotInputSchema,
  inspectTrajectoryInputSchema,
  type EpochSnapshot,
  type ImageTrajectory,
  type InspectImageResult,
  type InspectKernelsResult,
  type InspectPredictResult,
  type SnapshotIndex,
} from './inspect';
import { KEEP_CHECKPOINTS } from './training';
import {
  featureMapInputSchema,
  neighboursInputSchema,
  type FeatureMapProgress,
  type FeatureMapResult,
  type NeighboursResult,
} from './features';
import type { Result } from './errors';
import type { RunEvent } from './run-events';
import { integerIn } from './validation';
import { sweepDefinitionSchema, type SweepDetail, type SweepPreview, type SweepSummary } from './sweep';
import type { MachineSpeed } from './run-estimate';

/** The result type of an entry: the table holds types, not values, for results. */
const returns = <T>(): T => undefined as T;

/** An operation that takes no input must receive none. */
const noInput = z.undefined({ error: 'takes no payload' });
const byId = z.strictObject({ id: runIdSchema });
const testIndex = z.number().int().min(0).max(9_999, { error: 'must be a test-set index from 0 to 9999' });

export const procedures = {
  'app:info': { input: noInput, result: returns<AppInfo>() },
  /** Trainer processes at once: read it (no input), or save a new number in the app settings. */
  'app:parallel-trainers': {
    input: z
      .strictObject({
        parallel: integerIn(1, 64),
      })
      .optional(),
    result: returns<ParallelTrainers>(),
  },
  /** A trainer's compute threads when it runs alone: read it (no input), or save a new cap. */
  'app:max-threads': {
    input: z
      .strictObject({
        threads: integerIn(1, 256),
      })
      .optional(),
    result: returns<MaxThreads>(),
  },

  'dataset:info': { input: noInput, result: returns<DatasetInfo>() },
  'dataset:samples': {
    input: z.strictObject({ perClass: z.number().int().min(1).max(100, { error: 'must be from 1 to 100' }) }),
    result: returns<DatasetSamples>(),
  },
  /** Test-set images by index (for galleries of predictions); at most 1,000 per call. */
  'dataset:images': {
    input: z.strictObject({ indices: z.array(testIndex).max(1000, { error: 'at most 1,000 images per call' }) }),
    result: returns<DatasetSamples>(),
  },
  'dataset:download': { input: noInput, result: returns<DatasetInfo>() },
  /** Opens a folder picker in main; null when the user cancels. */
  'dataset:choose-folder': { input: noInput, result: returns<DatasetInfo | null>() },
  /** Forgets the chosen folder: the data is then looked for in the cache, the system copy, or downloaded. */
  'dataset:forget-folder': { input: noInput, result: returns<DatasetInfo>() },

  // A missing query is the default listing; the schema fills sort, direction and paging.
  'runs:list': {
    input: listRunsQuerySchema.optional().transform((q) => listRunsQuerySchema.parse(q ?? {})),
    result: returns<ListRunsResult>(),
  },
  'runs:get': { input: byId, result: returns<RunDetail>() },
  /** This machine's speed measured on the latest timed run, for estimates before a start; null before any. */
  'runs:machine-speed': { input: noInput, result: returns<MachineSpeed | null>() },
  /** Records the run (queued) and hands it to a trainer; refused while a chosen dataset folder is unusable. */
  'runs:start': {
    input: z.strictObject({
      config: hyperparamsSchema,
      name: runNameSchema.optional(),
      preset: z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
      tags: tagsSchema.optional(),
      notes: runNotesSchema.optional(),
      keepCheckpoints: z.enum(KEEP_CHECKPOINTS, { error: `must be ${KEEP_CHECKPOINTS.join(' or ')}` }).optional(),
    }) satisfies z.ZodType<StartRunRequest>,
    result: returns<RunSummary>(),
  },
  /** Queues a learning-rate range test of a configuration (a run of kind `lr-range-test`). */
  'runs:find-lr': {
    input: z.strictObject({
      config: hyperparamsSchema,
      preset: z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
      range: lrRangeOptionsSchema.partial().optional(),
    }) satisfies z.ZodType<FindLrRequest>,
    result: returns<RunSummary>(),
  },
  /** A range test's curve and suggested learning rate. */
  'runs:lr-range': { input: byId, result: returns<LrRangeDetail>() },
  /** Stops a run after its current batch (a queued run never starts). */
  'runs:stop': { input: byId, result: returns<{ id: number }>() },
  /** Continues a stopped, interrupted or failed run from its last checkpoint (queued again). */
  'runs:resume': { input: byId, result: returns<RunSummary>() },
  /** Continues a run (completed too) up to `epochs` epochs in all. */
  'runs:extend': {
    input: z.strictObject({ id: runIdSchema, epochs: hyperparamsSchema.shape.epochs }),
    result: returns<RunSummary>(),
  },
  'runs:update': { input: updateRunRequestSchema, result: returns<RunSummary>() },
  'runs:delete': { input: byId, result: returns<DeleteRunResult>() },
  'runs:compare': { input: z.strictObject({ ids: compareRunIdsSchema }), result: returns<CompareRunsResult>() },
  'runs:confusion': { input: confusionQuerySchema, result: returns<ConfusionResult>() },
  'runs:confusion-diff': { input: runPairQuerySchema, result: returns<ConfusionDiffResult>() },
  'runs:predictions': { input: predictionsQuerySchema, result: returns<PredictionsResult>() },
  'runs:disagreements': { input: runPairQuerySchema, result: returns<DisagreementsResult>() },
  /** A metric's value per run under a choice (last, best, at epoch N), with the epoch it comes from. */
  'runs:values': { input: runValuesQuerySchema, result: returns<RunValue[]>() },
  /**
   * Saves runs as JSON or their metrics as CSV through a save dialog in main; with `value`
   * (`last`, `best`, `epoch:N`) the CSV holds one row per run of the values so chosen, and the
   * JSON gives each run those values beside its epochs.
   */
  'runs:export': {
    input: z.strictObject({
      ids: exportSelectionSchema,
      format: z.enum(EXPORT_FORMATS, { error: 'must be json or csv' }),
      value: valueChoiceSchema.optional(),
    }),
    result: returns<ExportResult>(),
  },
  /** Saves one self-contained HTML report of 1 to 20 runs (curves, matrices, mistakes, settings) through a save dialog. */
  'runs:report': {
    input: z.strictObject({ ids: runIdListSchema(1, MAX_REPORT_RUNS) }),
    result: returns<ReportResult>(),
  },

  /** How many runs a sweep definition makes and how long it should take here. */
  'sweeps:preview': { input: z.strictObject({ definition: sweepDefinitionSchema }), result: returns<SweepPreview>() },
  /** Records the sweep and queues its runs (more than 1,000 need `confirmed`). */
  'sweeps:start': {
    input: z.strictObject({ definition: sweepDefinitionSchema, confirmed: z.boolean().optional() }),
    result: returns<SweepDetail>(),
  },
  'sweeps:list': { input: noInput, result: returns<SweepSummary[]>() },
  'sweeps:get': { input: byId, result: returns<SweepDetail>() },
  /** Stops every queued and running run of the sweep. */
  'sweeps:stop': { input: byId, result: returns<SweepDetail>() },
  // The inspector: computed in the inspector process; snapshots read from the store.
  /** One image (a test image or a user's file) through a checkpoint: activations, saliency, Grad-CAM. */
  'inspect:image': { input: inspectImageInputSchema, result: returns<InspectImageResult>() },
  'inspect:kernels': { input: inspectKernelsInputSchema, result: returns<InspectKernelsResult>() },
  /** Predictions for image files (the CLI's `npm run predict`); a file that is no image is reported, not thrown. */
  'inspect:predict': { input: inspectPredictInputSchema, result: returns<InspectPredictResult>() },
  'inspect:snapshots': { input: byId.transform(({ id }) => ({ runId: id })), result: returns<SnapshotIndex>() },
  'inspect:snapshot': { input: inspectSnapshotInputSchema, result: returns<EpochSnapshot>() },
  'inspect:trajectory': { input: inspectTrajectoryInputSchema, result: returns<ImageTrajectory>() },
  // The label audit (shared/audit.ts): a run's training images ranked by area under the margin.
  'audit:list': { input: auditQuerySchema, result: returns<AuditResult>() },
  /** Marks a training image's label wrong, ambiguous or fine (null clears); marks outlive runs. */
  'audit:mark': { input: markInputSchema, result: returns<{ imageIndex: number }>() },
  /** Training runs, newest first, with the epochs their margins cover (the audit's run picker). */
  'audit:runs': { input: noInput, result: returns<AuditableRun[]>() },
  /**
   * For a run recorded before margins were kept: its last checkpoint evaluated over the training
   * images it trained on (in the inspector process), the final network's margins stored, and the
   * audit answered. Progress: `audit:progress`.
   */
  'audit:compute-margins': { input: computeMarginsInputSchema, result: returns<AuditResult>() },
  /** Training images by index from the file the run trained on (null, with why, when it changed since). */
  'audit:images': { input: auditImagesInputSchema, result: returns<AuditImages>() },
  /** The test set's C5/F6 features projected to 2-D (PCA or UMAP); cached beside the checkpoint. */
  'features:map': { input: featureMapInputSchema, result: returns<FeatureMapResult>() },
  /** The training images nearest an image (a test image or a user's file) in C5/F6 feature space. */
  'features:neighbours': { input: neighboursInputSchema, result: returns<NeighboursResult>() },
} as const satisfies Record<string, { input: z.ZodType; result: unknown }>;

export type Procedures = typeof procedures;

/** `app:max-threads`: the cap in use, this machine's cores and the default (core/trainer/threads.ts). */
export interface MaxThreads {
  threads: number;
  cores: number;
  default: number;
}

/** `app:parallel-trainers`: the setting in use, this machine's cores and the default. */
export interface ParallelTrainers {
  parallel: number;
  cores: number;
  default: number;
}

export type ProcedureName = keyof Procedures;
export const PROCEDURE_NAMES = Object.keys(procedures) as ProcedureName[];

/** What a caller sends (before the schema's defaults and transforms). */
export type InputOf<N extends ProcedureName> = z.input<Procedures[N]['input']>;
/** What the implementation receives (after validation). */
export type ParsedInputOf<N extends ProcedureName> = z.output<Procedures[N]['input']>;
export type ResultOf<N extends ProcedureName> = Procedures[N]['result'];

/** main → renderer events and their payloads. */
export interface Events {
  'run:event': RunEvent;
  'dataset:progress': DownloadProgress;
  'features:progress': FeatureMapProgress;
  'audit:progress': AuditProgress;
}
export type EventName = keyof Events;
export const EVENT_NAMES = [
  'run:event',
  'dataset:progress',
  'features:progress',
  'audit:progress',
] as const satisfies readonly EventName[];

/** Arguments of `invoke(name, ...)`: the input, optional when the operation takes none. */
export type InvokeArgs<N extends ProcedureName> =
  undefined extends InputOf<N> ? [input?: InputOf<N>] : [input: InputOf<N>];

/** What the preload exposes as `window.studio`: one generic call, one generic subscription. */
export interface StudioBridge {
  invoke<N extends ProcedureName>(name: N, ...args: InvokeArgs<N>): Promise<Result<ResultOf<N>>>;
  /** Returns the unsubscribe function. */
  subscribe<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
