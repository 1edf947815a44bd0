/**
 * The run store's contract: zod schemas for every query input (main validates IPC and CLI input
 * with them, and the store validates again so a direct caller gets the same words) and the plain
 * result types the queries return. Results are plain objects and arrays only, so they cross
 * Electron's structured clone and the test bridge unchanged.
 */
import { z } from 'zod';
import { PRESET_NAMES } from './hyperparams';
import type { Hyperparams, PresetName } from './hyperparams';
import type { BackendName, DatasetIdentity } from './training';
import { BACKENDS, FINAL_EVENT_TYPES } from './training';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these is still expected to change; every other status is final. */
export const ACTIVE_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];
/** How a run ended: its trainer's final event, or `interrupted` when its trainer vanished. */
export const FINAL_STATUSES = [...FINAL_EVENT_TYPES, 'interrupted'] as const satisfies readonly RunStatus[];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type FinalRunStatus = (typeof FINAL_STATUSES)[number];
export function isFinalStatus(status: string): status is FinalRunStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** A training run, or a learning-rate range test (shared/lr-range.ts) stored as a run of its own kind. */
export const RUN_KINDS = ['train', 'lr-range-test'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const EVALUATION_ROLES = ['best', 'final'] as const;
export type EvaluationRole = (typeof EVALUATION_ROLES)[number];

export const CHECKPOINT_ROLES = ['best', 'last'] as const;
export type CheckpointRole = (typeof CHECKPOINT_ROLES)[number];

/** Columns `listRuns` sorts by. Anything else is refused, never pasted into SQL. */
export const RUN_SORT_COLUMNS = [
  'id',
  'name',
  'status',
  'createdAt',
  'startedAt',
  'finishedAt',
  'preset',
  'optimizer',
  'learningRate',
  'batchSize',
  'epochs',
  'seed',
  'convActivation',
  'pooling',
  'backend',
  'bestTestAccuracy',
  'finalTestAccuracy',
  'bestEpoch',
  'epochsDone',
  /** Wall-clock time from start to finish (to now for a running run). */
  'duration',
] as const;
export type RunSortColumn = (typeof RUN_SORT_COLUMNS)[number];

export const PREDICTION_SORTS = ['confidence-asc', 'confidence-desc', 'index'] as const;
export type PredictionSort = (typeof PREDICTION_SORTS)[number];

/** `custom` = a run whose configuration was not started from a named preset. */
export const PRESET_FILTERS = [...PRESET_NAMES, 'custom'] as const;

export const MAX_COMPARE_RUNS = 20;
export const MAX_EXPORT_RUNS = 1000;
/** Runs in one HTML report: as many as Compare shows. */
export const MAX_REPORT_RUNS = MAX_COMPARE_RUNS;
export const MAX_TAGS = 32;

// ---------------------------------------------------------------------------------------------
// Input schemas
// ---------------------------------------------------------------------------------------------

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A run id: a positive integer. Strings, fractions, negatives and NaN are refused, not coerced. */
export const runIdSchema = z
  .number({ error: (i) => `must be a positive integer run id (got ${describe(i.input)})` })
  .int({ error: (i) => `must be a positive integer run id (got ${describe(i.input)})` })
  .positive({ error: (i) => `must be a positive integer run id (got ${describe(i.input)})` })
  .max(Number.MAX_SAFE_INTEGER, { error: 'must be a positive integer run id' });

export const evaluationRoleSchema = z.enum(EVALUATION_ROLES, {
  error: (i) => `must be one of ${EVALUATION_ROLES.join(', ')} (got ${describe(i.input)})`,
});

export const runStatusSchema = z.enum(RUN_STATUSES, {
  error: (i) => `must be one of ${RUN_STATUSES.join(', ')} (got ${describe(i.input)})`,
});

const classIndexSchema = z
  .number({ error: 'must be a class index from 0 to 9' })
  .int({ error: 'must be a class index from 0 to 9' })
  .min(0, { error: 'must be a class index from 0 to 9' })
  .max(9, { error: 'must be a class index from 0 to 9' });

const tagSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' });

/** Tags: trimmed, de-duplicated (first spelling wins), at most 32. */
export const tagsSchema = z
  .array(tagSchema, { error: 'must be an array of strings' })
  .max(MAX_TAGS, { error: `at most ${MAX_TAGS} tags` })
  .transform((tags) => [...new Set(tags)]);

export const runNameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });

export const runNotesSchema = z
  .string({ error: 'must be a string' })
  .max(20_000, { error: 'must be at most 20,000 characters' });

/** Options of `createRun` besides the configuration itself. */
export const createRunOptionsSchema = z.strictObject({
  name: runNameSchema.optional(),
  /** The preset the form started from; when absent, a configuration equal to a preset is named after it. */
  preset: z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
  tags: tagsSchema.optional(),
  notes: runNotesSchema.optional(),
  /** This run's checkpoint folder; deleted with the run when it lies inside the checkpoint root. */
  checkpointDir: z.string().min(1).max(4096).optional(),
  kind: z.enum(RUN_KINDS, { error: `must be one of ${RUN_KINDS.join(', ')}` }).optional(),
});
export type CreateRunOptions = z.input<typeof createRunOptionsSchema>;

/** `listRuns`: every field optional; text filters are plain text (no wildcards, no SQL). */
export const listRunsQuerySchema = z.strictObject({
  sort: z
    .enum(RUN_SORT_COLUMNS, {
      error: (i) => `unknown sort column ${describe(i.input)}; sortable columns: ${RUN_SORT_COLUMNS.join(', ')}`,
    })
    .default('createdAt'),
  direction: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
  status: z.union([runStatusSchema, z.array(runStatusSchema).min(1).max(RUN_STATUSES.length)]).optional(),
  preset: z.enum(PRESET_FILTERS, { error: `must be one of ${PRESET_FILTERS.join(', ')}` }).optional(),
  tag: tagSchema.optional(),
  backend: z.enum(BACKENDS, { error: `must be one of ${BACKENDS.join(', ')}` }).optional(),
  /** Training runs unless asked: range tests are never mixed into the runs list by default. */
  kind: z.enum([...RUN_KINDS, 'all'], { error: `must be one of ${[...RUN_KINDS, 'all'].join(', ')}` }).default('train'),
  /** Case-insensitive substring of the name or the notes. */
  text: z.string({ error: 'must be a string' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  limit: z
    .number({ error: 'must be an integer from 1 to 500' })
    .int({ error: 'must be an integer from 1 to 500' })
    .min(1, { error: 'must be an integer from 1 to 500' })
    .max(500, { error: 'must be an integer from 1 to 500' })
    .default(50),
  offset: z
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .default(0),
});
export type ListRunsQuery = z.input<typeof listRunsQuerySchema>;

/** A list of distinct run ids of a given length range. */
export function runIdListSchema(min: number, max: number) {
  return z
    .array(runIdSchema, { error: 'must be an array of run ids' })
    .min(min, { error: `must list at least ${min} run id${min === 1 ? '' : 's'}` })
    .max(max, { error: `must list at most ${max} run ids` })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not list a run twice' });
}

/** `compareRuns(ids)`: 2 to 20 distinct runs. */
export const compareRunIdsSchema = runIdListSchema(2, MAX_COMPARE_RUNS);
/** The runs an export takes when chosen one by one. */
export const exportRunIdsSchema = runIdListSchema(1, MAX_EXPORT_RUNS);
/** What an export takes: chosen runs, or every run in the database (`npm run export`'s default). */
export const exportSelectionSchema = z.union([z.literal('all'), exportRunIdsSchema]);
export type ExportSelection = z.infer<typeof exportSelectionSchema>;
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const confusionQuerySchema = z.strictObject({ runId: runIdSchema, role: evaluationRoleSchema });
export type ConfusionQuery = z.input<typeof confusionQuerySchema>;

/** Two runs and a role: the questions Compare asks about a pair. */
export const runPairQuerySchema = z
  .strictObject({ a: runIdSchema, b: runIdSchema, role: evaluationRoleSchema })
  .refine((q) => q.a !== q.b, { error: 'a and b must be different runs' });
export type RunPairQuery = z.input<typeof runPairQuerySchema>;

/** `runs:confusion-diff`: both matrices and `b − a`. */
export interface ConfusionDiffResult {
  a: ConfusionResult;
  b: ConfusionResult;
  /** b − a, cell by cell (row-major 10×10). */
  matrix: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  accuracy: number;
}

/** `runs:disagreements`: which test images one run of the pair got right and the other not. */
export interface DisagreementsResult {
  a: number;
  b: number;
  role: EvaluationRole;
  /** Test indices run a classified correctly and run b did not, run b's surest mistakes first. */
  onlyA: number[];
  /** Test indices run b classified correctly and run a did not, run a's surest mistakes first. */
  onlyB: number[];
  bothWrong: number;
  bothRight: number;
}

export const predictionsQuerySchema = z.strictObject({
  runId: runIdSchema,
  role: evaluationRoleSchema,
  trueClass: classIndexSchema.optional(),
  predictedClass: classIndexSchema.optional(),
  /** true: only correct predictions; false: only mistakes; absent: both. */
  correct: z.boolean({ error: 'must be true or false' }).optional(),
  /** Only these test images (e.g. the ones two runs disagree on); at most 1,000. */
  indices: z
    .array(
      z
        .number({ error: 'must be a test-set index' })
        .int({ error: 'must be a test-set index' })
        .min(0, { error: 'must be a test-set index' }),
      { error: 'must be an array of test-set indices' },
    )
    .max(1000, { error: 'at most 1,000 indices' })
    .optional(),
  sort: z.enum(PREDICTION_SORTS, { error: `must be one of ${PREDICTION_SORTS.join(', ')}` }).default('index'),
  limit: z
    .number({ error: 'must be an integer from 1 to 1000' })
    .int({ error: 'must be an integer from 1 to 1000' })
    .min(1, { error: 'must be an integer from 1 to 1000' })
    .max(1000, { error: 'must be an integer from 1 to 1000' })
    .default(100),
  offset: z
    .number({ error: 'must be a non-negative integer' })
    .int({ error: 'must be a non-negative integer' })
    .min(0, { error: 'must be a non-negative integer' })
    .default(0),
});
export type PredictionsQuery = z.input<typeof predictionsQuerySchema>;

/** `updateRun(id, patch)`: at least one field. */
export const runPatchSchema = z
  .strictObject({ name: runNameSchema.optional(), notes: runNotesSchema.optional(), tags: tagsSchema.optional() })
  .refine((p) => p.name !== undefined || p.notes !== undefined || p.tags !== undefined, {
    error: 'must change at least one of name, notes, tags',
  });
export type RunPatch = z.input<typeof runPatchSchema>;

/** The object form of `updateRun` for one-argument IPC channels. */
export const updateRunRequestSchema = z.strictObject({ id: runIdSchema, patch: runPatchSchema });

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** One row of the runs table. Times are milliseconds since the Unix epoch. */
export interface RunSummary {
  id: number;
  /** `lr-range-test` for a learning-rate range test; every other run is `train`. */
  kind: RunKind;
  name: string;
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The preset the run started from, or null for a custom configuration. */
  preset: PresetName | null;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  convActivation: string;
  pooling: string;
  backend: BackendName | null;
  /** How the backend was chosen (`wasm ×1 thread, chosen by measurement …`); null before it started. */
  backendChoice: string | null;
  tfjsVersion: string | null;
  /** null until the run has started; false flags a run trained on non-official data. */
  datasetOfficial: boolean | null;
  tags: string[];
  notes: string;
  /** Why the run failed, diverged or was interrupted. */
  error: string | null;
  /**
   * Why it ended: `epochs` or `early-stopping` (completed), `stopped`, or for a sweep's run that
   * successive halving stopped, `pruned by successive halving at epoch N` (shared/halving.ts).
   */
  endReason: string | null;
  /** Test accuracy at the best epoch (chosen by validation accuracy, else test accuracy). */
  bestTestAccuracy: number | null;
  /** Test accuracy at the last recorded epoch. */
  finalTestAccuracy: number | null;
  bestEpoch: number | null;
  epochsDone: number;
}

/**
 * The figure that picks a run's best epoch: validation accuracy, or test accuracy for a run with no
 * validation set. The training loop selects checkpoints and early-stops on it; successive halving
 * ranks a sweep's runs by it.
 */
export function selectionAccuracy(epoch: {
  validationAccuracy: number | null;
  testAccuracy: number | null;
}): number | null {
  return epoch.validationAccuracy ?? epoch.testAccuracy;
}

export interface ListRunsResult {
  rows: RunSummary[];
  /** Matching runs before paging. */
  total: number;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  validationLoss: number | null;
  validationAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  learningRate: number | null;
  seconds: number | null;
  imagesPerSec: number | null;
}

/**
 * One stored point of the per-batch loss curve. Long runs keep at most ~2,000 points: each point
 * is the mean of the batch events that fell into its slice of the run (`samples` of them).
 */
export interface BatchPoint {
  /** 1-based batch count since the start of the run, of the first sample in the slice. */
  step: number;
  epoch: number;
  batch: number;
  loss: number | null;
  accuracy: number | null;
  samples: number;
}

export interface EvaluationSummary {
  role: EvaluationRole;
  epoch: number;
  accuracy: number;
  /** Row-major 10×10, rows = true class, columns = predicted class. */
  confusion: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  hasPredictions: boolean;
}

export interface CheckpointInfo {
  role: CheckpointRole;
  epoch: number;
  path: string;
  createdAt: number;
}

/**
 * Compare's row after `excludeMarked`: how many training images each run left out (recorded when
 * it started; 0 for a run that left none out), so "37 marked wrong" is read beside the other
 * differences. Not a hyperparameter: the same setting leaves out more once more are marked.
 */
export const LEFT_OUT_KEY = 'leftOut';
export const LEFT_OUT_LABEL = 'Images left out';

/** The training images a run left out because the user marked them "label is wrong". */
export interface LeftOutImages {
  count: number;
  /** Training-file indices, ascending. */
  indices: number[];
}

export interface RunDetail extends RunSummary {
  config: Hyperparams;
  dataset: DatasetIdentity | null;
  trainSize: number | null;
  validationSize: number | null;
  testSize: number | null;
  batchesPerEpoch: number | null;
  parameterCount: number | null;
  checkpointDir: string | null;
  epochMetrics: EpochMetrics[];
  batches: BatchPoint[];
  evaluations: EvaluationSummary[];
  checkpoints: CheckpointInfo[];
  /** With `excludeMarked`: the images it left out (recorded when it started); null otherwise. */
  leftOut: LeftOutImages | null;
}

export type ConfigValue = string | number | boolean | null;

export interface ConfigField {
  /** Flattened key, e.g. `learningRate` or `model.pooling`. */
  key: string;
  /** One value per compared run, in the order of `runs`. */
  values: ConfigValue[];
  /** Per run: false when its configuration ignores the field (momentum under adam). */
  used: boolean[];
  /** The runs that use the field do not all have the same value. */
  differs: boolean;
}

/** One run's metric series on the shared epoch axis (null where the run has no such epoch). */
export interface AlignedSeries {
  runId: number;
  trainLoss: (number | null)[];
  trainAccuracy: (number | null)[];
  validationLoss: (number | null)[];
  validationAccuracy: (number | null)[];
  testLoss: (number | null)[];
  testAccuracy: (number | null)[];
  learningRate: (number | null)[];
}

export interface CompareRunsResult {
  /** In the order the ids were given. */
  runs: RunSummary[];
  /** Every flattened configuration key; `differs` marks those that are not the same in all runs. */
  config: ConfigField[];
  /** The shared epoch axis: every epoch any of the runs recorded, ascending. */
  epochs: number[];
  series: AlignedSeries[];
  best: { runId: number; bestEpoch: number | null; bestTestAccuracy: number | null }[];
}

export interface ConfusionResult {
  runId: number;
  role: EvaluationRole;
  epoch: number;
  accuracy: number;
  classNames: string[];
  /** Row-major 10×10, rows = true class, columns = predicted class. */
  matrix: number[];
  precision: number[];
  recall: number[];
  f1: number[];
}

export interface PredictionRow {
  /** Position in the test set. */
  index: number;
  /** null when the test labels of the run's dataset are not stored (see `labels`). */
  trueClass: number | null;
  predictedClass: number;
  /** Probability of the predicted class. */
  confidence: number;
  /** 10 class probabilities, quantised to 1/65535 for storage (1/255 in runs stored before). */
  probabilities: number[];
}

export interface PredictionsResult {
  /** Matching rows before paging. */
  total: number;
  /** False when the run's test labels are unknown: trueClass is null and class/correct filters are refused. */
  labels: boolean;
  rows: PredictionRow[];
}

export interface DeleteRunResult {
  id: number;
  /** Checkpoint folders removed from disk (only those inside the checkpoint root). */
  removedPaths: string[];
  /** Recorded checkpoint paths left on disk because they are outside the checkpoint root. */
  keptPaths: string[];
}
