/**
 * `npm run train` options → a validated Hyperparams. Every hyperparameter is a flag, named in the
 * field's metadata beside the shared schema; values are validated by that schema, so the CLI
 * refuses exactly what the form and IPC refuse, and the message names the flag, the field and the
 * allowed range. `--help` is generated from the same metadata.
 */
import { lrRangeOptionsSchema, type LrRangeOptions } from '../shared/lr-range';
import { parseArgs } from 'node:util';
import {
  describeIssues,
  FIELD_PATHS,
  HYPERPARAM_FIELDS,
  hyperparamsSchema,
  PRESET_NAMES,
  PRESETS,
  rangeBrief,
  type FieldPath,
  type HyperparamField,
  type Hyperparams,
  type PresetName,
} from '../shared/hyperparams';
import { KEEP_CHECKPOINTS, type KeepCheckpoints } from '../shared/training';
import { BACKENDS, type BackendName } from '../shared/training';
import { explainArgsError } from './did-you-mean';

/** flag → field, from the metadata declared beside the schema (`--lr` is `learningRate`, …). */
const FIELD_BY_FLAG = new Map<string, HyperparamField>(
  FIELD_PATHS.map((p) => [HYPERPARAM_FIELDS[p].flag, HYPERPARAM_FIELDS[p]]),
);
const FLAG_BY_PATH = new Map<string, string>(FIELD_PATHS.map((p) => [p, HYPERPARAM_FIELDS[p].flag]));

/** Whether the flag's text is turned into a number before the schema sees it. */
function isNumeric(field: HyperparamField): boolean {
  return field.kind === 'number' || typeof field.options[0]?.value === 'number';
}

/** The options that are not hyperparameters; `help` (when set) is their line in `--help`. */
/**
 * `--preset classic` is the preset stored as `seed` (the seed paper's classic LeNet5 setup): the
 * name people read, beside the stored one, which still works.
 */
const PRESET_ALIASES: Record<string, PresetName> = { classic: 'seed' };
const PRESET_DOC = ['classic', ...PRESET_NAMES.filter((n) => n !== 'seed')].join('|');

const OTHER_OPTIONS = {
  preset: { type: 'string' },
  data: {
    type: 'string',
    value: 'DIR',
    help: 'FashionMNIST folder (else cache, /usr/share/datasets/fashion-mnist, download)',
  },
  db: { type: 'string', value: 'PATH', help: "run database (default: the desktop app's, or $LENET_STUDIO_DB)" },
  name: { type: 'string', value: 'TEXT', help: 'run name' },
  tags: { type: 'string', value: 'a,b', help: 'comma-separated tags' },
  notes: { type: 'string', value: 'TEXT', help: 'notes stored with the run' },
  backend: { type: 'string', value: 'NAME', help: `training backend: ${BACKENDS.join('|')}` },
  resume: {
    type: 'string',
    value: 'ID',
    help: 'continue run ID from its last checkpoint (with --epochs N: extend it to N epochs in all)',
  },
  'keep-checkpoints': {
    type: 'string',
    value: 'best-last|all',
    help: "checkpoints kept: best and last (default), or every epoch's too (the inspector's slider shows their activations)",
  },
  threads: {
    type: 'string',
    value: 'N',
    help: "compute threads for the trainer, capped at the cores (default: the app's max-threads setting, else every core, but 1 for batches under 128 unless the fused LeNet step trains them; or $LENET5_THREADS)",
  },
  summary: { type: 'boolean', help: 'print the parameter summary of the configured network and exit' },
  'find-lr': {
    type: 'boolean',
    help: 'learning-rate range test of this configuration instead of a run: prints the loss against the learning rate and a suggested --lr',
  },
  'lr-min': { type: 'string', value: 'X', help: 'with --find-lr: the first learning rate (default 1e-6)' },
  'lr-max': { type: 'string', value: 'X', help: 'with --find-lr: the last learning rate (default 1)' },
  'lr-steps': { type: 'string', value: 'N', help: 'with --find-lr: batches from the first to the last (default 300)' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; value?: string; help?: string }>;

export interface TrainOptions {
  config: Hyperparams;
  preset: PresetName;
  dataDir?: string;
  dbPath?: string;
  name?: string;
  tags: string[];
  notes?: string;
  backend?: BackendName;
  /** `--resume ID`: continue that run instead of starting one. */
  resumeId?: number;
  /** With `--resume`: `--epochs N` extends the run to N epochs. */
  extendTo?: number;
  keepCheckpoints?: KeepCheckpoints;
  threads?: number;
  summaryOnly: boolean;
  /** `--find-lr`: a range test's settings (given or default) instead of a training run. */
  findLr?: LrRangeOptions;
  help: boolean;
}

/** A bad command line: the message is shown as is and the CLI exits non-zero. */
export class UsageError extends Error {}

/** `--lr X`, `--optimizer NAME`, `--input-size N`. */
function flagWithValue(field: HyperparamField): string {
  const placeholder = field.kind === 'number' ? (field.range.integer ? 'N' : 'X') : isNumeric(field) ? 'N' : 'NAME';
  return `--${field.flag} ${placeholder}`;
}

/** "Learning rate: > 0 and ≤ 10", "Momentum: 0–0.999, only with --optimizer momentum|rmsprop". */
function describeField(field: HyperparamField): string {
  const parts =
    field.kind === 'number'
      ? [`${rangeBrief(field.range)}${field.unit ? ` ${field.unit}` : ''}`]
      : [field.options.map((o) => o.value).join('|')];
  if (field.kind === 'number' && field.zeroMeans) parts.push(`0 = ${field.zeroMeans}`);
  for (const [key, values] of Object.entries(field.usedWhen ?? {}) as [FieldPath, readonly string[]][]) {
    parts.push(`only with --${HYPERPARAM_FIELDS[key].flag} ${values.join('|')}`);
  }
  return `${field.label}: ${parts.join(', ')}`;
}

/** A help section: its title and its [flag, description] rows. */
export type HelpSection = [string, [string, string][]];

/** The hyperparameters' help: training, then model, each flag with its range or choices. */
export function fieldSections(): HelpSection[] {
  const rows = (model: boolean): [string, string][] =>
    FIELD_PATHS.filter((p) => p.startsWith('model.') === model).map((p) => [
      flagWithValue(HYPERPARAM_FIELDS[p]),
      describeField(HYPERPARAM_FIELDS[p]),
    ]);
  return [
    ['Training', rows(false)],
    ['Model', rows(true)],
  ];
}

/** Sections as aligned text under a first line. */
export function helpText(first: string, sections: HelpSection[]): string {
  const width = Math.max(...sections.flatMap(([, rows]) => rows.map(([left]) => left.length)));
  return [
    first,
    '',
    ...sections.flatMap(([title, rows]) => [title, ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)]),
  ].join('\n');
}

/** The other options' help rows (`--db PATH  run database …`). */
export function otherOptionRows(): [string, string][] {
  return Object.entries(OTHER_OPTIONS).flatMap(([name, o]): [string, string][] =>
    'help' in o ? [['value' in o ? `--${name} ${o.value}` : `--${name}`, o.help]] : [],
  );
}

/** The `--help` text, generated from the field metadata and OTHER_OPTIONS. */
function trainUsage(): string {
  return helpText(`Usage: npm run train -- [--preset ${PRESET_DOC}] [options]`, [
    ...fieldSections(),
    ['Other', otherOptionRows()],
  ]);
}

export const TRAIN_USAGE = trainUsage();

function setPath(target: Record<string, unknown>, path: FieldPath, value: unknown): void {
  if (path.startsWith('model.')) (target['model'] as Record<string, unknown>)[path.slice(6)] = value;
  else target[path] = value;
}

/** Every flag `train` knows, without dashes. */
export const TRAIN_FLAGS: readonly string[] = [...FIELD_BY_FLAG.keys(), ...Object.keys(OTHER_OPTIONS)];

/**
 * `extraFlags`: a command that adds its own (sweep) names them, so a typo of one is suggested too;
 * `usage`: the help shown after a refused flag (default: train's).
 */
export function parseTrainArgs(
  argv: string[],
  { extraFlags = [], usage = TRAIN_USAGE }: { extraFlags?: readonly string[]; usage?: string } = {},
): TrainOptions {
  const fieldOptions = Object.fromEntries([...FIELD_BY_FLAG.keys()].map((f) => [f, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...fieldOptions,
        ...Object.fromEntries(
          Object.entries(OTHER_OPTIONS).map(([name, o]) => [
            name,
            {
              type: o.type,
              ...('short' in o ? { short: o.short } : {}),
              ...(o.type === 'boolean' ? { default: false } : {}),
            },
          ]),
        ),
      },
    });
  } catch (err) {
    throw new UsageError(`${explainArgsError(err, [...TRAIN_FLAGS, ...extraFlags])}\n\n${usage}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;

  const typedPreset = (values['preset'] as string | undefined) ?? 'seed';
  const presetName = PRESET_ALIASES[typedPreset] ?? typedPreset;
  if (!(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new UsageError(`--preset: must be one of ${PRESET_DOC.replaceAll('|', ', ')} (got "${typedPreset}")`);
  }
  const config = structuredClone(PRESETS[presetName as PresetName]) as unknown as Record<string, unknown>;
  for (const [flag, field] of FIELD_BY_FLAG) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    // A non-numeric string is passed through so the schema reports "must be a number …".
    const value = isNumeric(field) && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    setPath(config, field.path, value);
  }
  const result = hyperparamsSchema.safeParse(config);
  if (!result.success) {
    const lines = describeIssues(result.error).map((line) => {
      const flag = FLAG_BY_PATH.get(line.slice(0, line.indexOf(':')));
      return flag ? `--${flag} (${line})` : line;
    });
    throw new UsageError(`invalid options:\n  ${lines.join('\n  ')}`);
  }

  const backend = values['backend'] as string | undefined;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend: must be one of ${BACKENDS.join(', ')} (got "${backend}")`);
  }
  const resumeId = parseResume(values);
  const keep = values['keep-checkpoints'] as string | undefined;
  if (keep !== undefined && !(KEEP_CHECKPOINTS as readonly string[]).includes(keep)) {
    throw new UsageError(`--keep-checkpoints: must be one of ${KEEP_CHECKPOINTS.join(', ')} (got "${keep}")`);
  }
  const threadsFlag = values['threads'] as string | undefined;
  const threads = threadsFlag === undefined ? undefined : Number(threadsFlag);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new UsageError(`--threads: must be a whole number from 1 to 256 (got "${threadsFlag}")`);
  }
  const tags =
    typeof values['tags'] === 'string'
      ? values['tags']
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
  return {
    config: result.data,
    // As in the New-run form: the preset the configuration started from, flags or not.
    preset: presetName as PresetName,
    dataDir: values['data'] as string | undefined,
    dbPath: values['db'] as string | undefined,
    name: values['name'] as string | undefined,
    tags,
    notes: values['notes'] as string | undefined,
    backend: backend as BackendName | undefined,
    resumeId,
    extendTo: resumeId !== undefined && values['epochs'] !== undefined ? result.data.epochs : undefined,
    keepCheckpoints: keep as KeepCheckpoints | undefined,
    threads,
    summaryOnly: values['summary'] === true,
    ...(values['find-lr'] === true && { findLr: parseFindLr(values, resumeId) }),
    help: values['help'] === true,
  };
}

const LR_RANGE_FLAGS = { 'lr-min': 'minLr', 'lr-max': 'maxLr', 'lr-steps': 'steps' } as const;

/** `--find-lr` and its `--lr-min/--lr-max/--lr-steps`, validated by the store's schema. */
function parseFindLr(
  values: Record<string, string | boolean | undefined>,
  resumeId: number | undefined,
): LrRangeOptions {
  if (resumeId !== undefined) throw new UsageError('--find-lr: a range test starts fresh; drop --resume');
  const given: Record<string, number> = {};
  for (const [flag, key] of Object.entries(LR_RANGE_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === 'string') given[key] = Number(raw);
  }
  const parsed = lrRangeOptionsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = Object.entries(LR_RANGE_FLAGS).find(([, key]) => key === issue.path[0])?.[0] ?? 'find-lr';
    throw new UsageError(`--${flag}: ${issue.message} (got "${String(values[flag])}")`);
  }
  if (parsed.data.minLr >= parsed.data.maxLr)
    throw new UsageError(`--lr-min (${parsed.data.minLr}) must be below --lr-max (${parsed.data.maxLr})`);
  return parsed.data;
}

/** `--resume ID`: a run id; a resumed run keeps its configuration, so only `--epochs` may come with it. */
function parseResume(values: Record<string, string | boolean | undefined>): number | undefined {
  const raw = values['resume'];
  if (typeof raw !== 'string') return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--resume: must be a run id (got "${raw}")`);
  const others = [...FIELD_BY_FLAG.keys(), 'preset', 'name', 'tags', 'notes'].filter(
    (flag) => flag !== 'epochs' && values[flag] !== undefined,
  );
  if (others.length)
    throw new UsageError(
      `--resume: a resumed run keeps its configuration; drop ${others.map((f) => `--${f}`).join(', ')} (only --epochs may extend it)`,
    );
  return id;
}
