/**
 * `npm run train` options → a validated Hyperparams. Every hyperparameter is a flag; values are
 * validated by the shared schema, so the CLI refuses exactly what the form and IPC refuse, and the
 * message names the flag, the field and the allowed range.
 */
import { parseArgs } from 'node:util';
import {
  describeIssues,
  hyperparamsSchema,
  PRESET_NAMES,
  PRESETS,
  type Hyperparams,
  type PresetName,
} from '../shared/hyperparams';
import { BACKENDS, type BackendName } from '../shared/training';

/** flag → path in Hyperparams, and whether the value is a number. */
const FIELD_FLAGS = {
  epochs: { path: ['epochs'], numeric: true },
  'batch-size': { path: ['batchSize'], numeric: true },
  optimizer: { path: ['optimizer'], numeric: false },
  lr: { path: ['learningRate'], numeric: true },
  momentum: { path: ['momentum'], numeric: true },
  'lr-schedule': { path: ['lrSchedule'], numeric: false },
  'lr-step-epochs': { path: ['lrStepEpochs'], numeric: true },
  'lr-gamma': { path: ['lrGamma'], numeric: true },
  'weight-decay': { path: ['weightDecay'], numeric: true },
  seed: { path: ['seed'], numeric: true },
  'validation-fraction': { path: ['validationFraction'], numeric: true },
  'train-subset': { path: ['trainSubset'], numeric: true },
  patience: { path: ['earlyStoppingPatience'], numeric: true },
  'conv-activation': { path: ['model', 'convActivation'], numeric: false },
  'dense-activation': { path: ['model', 'denseActivation'], numeric: false },
  pooling: { path: ['model', 'pooling'], numeric: false },
  c5: { path: ['model', 'c5'], numeric: false },
  'input-size': { path: ['model', 'inputSize'], numeric: true },
} as const;

type FieldFlag = keyof typeof FIELD_FLAGS;

export interface TrainOptions {
  config: Hyperparams;
  preset: PresetName;
  dataDir?: string;
  dbPath?: string;
  name?: string;
  tags: string[];
  notes?: string;
  backend?: BackendName;
  summaryOnly: boolean;
  help: boolean;
}

/** A bad command line: the message is shown as is and the CLI exits non-zero. */
export class UsageError extends Error {}

export const TRAIN_USAGE = `Usage: npm run train -- [--preset seed|modern|quick] [options]

Training
  --epochs N            1–1000              --batch-size N         1–4096
  --optimizer NAME      sgd|momentum|adam|rmsprop
  --lr X                > 0 and ≤ 10        --momentum X           0–0.999
  --lr-schedule NAME    constant|step|cosine
  --lr-step-epochs N    1–1000              --lr-gamma X           > 0 and ≤ 1
  --weight-decay X      0–1 (L2 on kernels) --seed N               0–2147483647
  --validation-fraction X  0–0.5            --train-subset N       0–60000 (0 = all)
  --patience N          early stopping on validation accuracy, 0 = off
Model
  --conv-activation sigmoid|tanh|relu       --dense-activation none|sigmoid|tanh|relu
  --pooling avg|max     --c5 dense|conv     --input-size 28|32
Other
  --data DIR            FashionMNIST folder (else cache, /usr/share/datasets/fashion-mnist, download)
  --db PATH             run database (default: the desktop app's, or $LENET_STUDIO_DB)
  --name TEXT  --tags a,b  --notes TEXT     --backend tensorflow|wasm|cpu
  --summary             print the parameter summary of the configured network and exit`;

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

export function parseTrainArgs(argv: string[]): TrainOptions {
  const fieldOptions = Object.fromEntries(Object.keys(FIELD_FLAGS).map((f) => [f, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...fieldOptions,
        preset: { type: 'string' },
        data: { type: 'string' },
        db: { type: 'string' },
        name: { type: 'string' },
        tags: { type: 'string' },
        notes: { type: 'string' },
        backend: { type: 'string' },
        summary: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${TRAIN_USAGE}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;

  const presetName = (values['preset'] as string | undefined) ?? 'seed';
  if (!(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new UsageError(`--preset: must be one of ${PRESET_NAMES.join(', ')} (got "${presetName}")`);
  }
  const config = structuredClone(PRESETS[presetName as PresetName]) as unknown as Record<string, unknown>;
  for (const [flag, spec] of Object.entries(FIELD_FLAGS) as [FieldFlag, (typeof FIELD_FLAGS)[FieldFlag]][]) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    // A non-numeric string is passed through so the schema reports "must be a number …".
    const value = spec.numeric && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    setPath(config, spec.path, value);
  }
  const result = hyperparamsSchema.safeParse(config);
  if (!result.success) {
    const byPath = new Map(Object.entries(FIELD_FLAGS).map(([flag, s]) => [s.path.join('.'), flag]));
    const lines = describeIssues(result.error).map((line) => {
      const field = line.slice(0, line.indexOf(':'));
      const flag = byPath.get(field);
      return flag ? `--${flag} (${line})` : line;
    });
    throw new UsageError(`invalid options:\n  ${lines.join('\n  ')}`);
  }

  const backend = values['backend'] as string | undefined;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend: must be one of ${BACKENDS.join(', ')} (got "${backend}")`);
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
    summaryOnly: values['summary'] === true,
    help: values['help'] === true,
  };
}
