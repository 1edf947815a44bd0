/**
 * The New-run form's fields, read from the shared zod schema: choice lists come from the enums,
 * integer bounds from the number checks, and every range text from the schema's own error message,
 * so a range is never written twice. Only labels, help and grouping are written here.
 */
import type { z } from 'zod';
import {
  hyperparamsSchema,
  modelOptionsSchema,
  type Hyperparams,
  type ModelOptions,
} from '../../../shared/hyperparams';

type TopKey = Exclude<keyof Hyperparams, 'model'>;
export type FieldPath = TopKey | `model.${keyof ModelOptions}`;

interface FieldBase {
  path: FieldPath;
  /** The key as describeIssues names it, e.g. `learningRate` or `model.pooling`. */
  key: string;
  /** Words for people, e.g. "Learning rate". */
  label: string;
  help: string;
  /** When false for the current config, the field is shown dimmed with `unusedNote`. */
  usedWhen?: (config: Hyperparams) => boolean;
  unusedNote?: string;
}

export interface ChoiceOption {
  value: string | number;
  label: string;
  title?: string;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice';
  options: ChoiceOption[];
}

export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  /** Bounds as the schema states them; null when unbounded. */
  min: number | null;
  max: number | null;
  exclusiveMin: boolean;
  /** The allowed range in the schema's words, e.g. "> 0 and ≤ 10" or "an integer from 1 to 1000". */
  range: string;
  /** Suffix shown after the input (e.g. "images"). */
  unit?: string;
  /** What 0 means, when it is special (e.g. "all"). */
  zeroMeans?: string;
  /** Shown as a percentage beside the value. */
  fraction?: boolean;
}

export type Field = ChoiceField | NumberField;

export interface FieldGroup {
  id: 'model' | 'optimizer' | 'schedule' | 'data' | 'stopping';
  title: string;
  blurb: string;
  fields: Field[];
}

type AnySchema = z.ZodType & {
  def: { type: string };
  options?: unknown[];
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
};

function schemaAt(path: FieldPath): AnySchema {
  const shape = path.startsWith('model.')
    ? (modelOptionsSchema.shape as Record<string, unknown>)[path.slice(6)]
    : (hyperparamsSchema.shape as Record<string, unknown>)[path];
  if (!shape) throw new Error(`no schema for ${path}`);
  return shape as AnySchema;
}

/** The values an enum or a union of literals accepts. */
function choicesOf(schema: AnySchema): (string | number)[] {
  if (schema.def.type === 'enum') return (schema.options ?? []) as string[];
  if (schema.def.type === 'union') {
    return (schema.options as AnySchema[]).flatMap((o) => [
      ...((o as unknown as { values: Set<string | number> }).values ?? []),
    ]);
  }
  throw new Error(`not a choice schema: ${schema.def.type}`);
}

/**
 * Bounds and range text of a number schema. The shared helpers put the range in every message,
 * including the one for a non-number, so parsing NaN yields it; `minValue`/`maxValue` give the
 * integer bounds, and the text gives real bounds written as refinements.
 */
function numberInfo(schema: AnySchema): Pick<NumberField, 'integer' | 'min' | 'max' | 'exclusiveMin' | 'range'> {
  const result = schema.safeParse(Number.NaN);
  const message = result.success ? '' : (result.error.issues[0]?.message ?? '');
  const range = message.replace(/^must be (a (finite )?number )?/, '');
  const finite = (v: number | null | undefined) => (v != null && Number.isFinite(v) ? v : null);
  let min = finite(schema.minValue);
  let max = finite(schema.maxValue);
  let exclusiveMin = false;
  const exclusive = /> (-?[\d.e]+) and ≤ (-?[\d.e]+)/.exec(range);
  const inclusive = /from (-?[\d.e]+) to (-?[\d.e]+)/.exec(range);
  if (exclusive) {
    min ??= Number(exclusive[1]);
    max ??= Number(exclusive[2]);
    exclusiveMin = true;
  } else if (inclusive) {
    min ??= Number(inclusive[1]);
    max ??= Number(inclusive[2]);
  }
  return { integer: schema.isInt === true, min, max, exclusiveMin, range };
}

function choice(
  path: FieldPath,
  help: string,
  labels: Record<string, string>,
  extra: Partial<ChoiceField> = {},
): ChoiceField {
  const options = choicesOf(schemaAt(path)).map((value) => ({ value, label: labels[String(value)] ?? String(value) }));
  return { kind: 'choice', path, key: path, label: LABELS[path], help, options, ...extra };
}

function number(path: FieldPath, help: string, extra: Partial<NumberField> = {}): NumberField {
  return { kind: 'number', path, key: path, label: LABELS[path], help, ...numberInfo(schemaAt(path)), ...extra };
}

const LABELS: Record<FieldPath, string> = {
  'model.convActivation': 'Conv activation',
  'model.denseActivation': 'Dense activation',
  'model.pooling': 'Pooling',
  'model.c5': 'C5 layer',
  'model.inputSize': 'Input size',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  momentum: 'Momentum',
  weightDecay: 'Weight decay',
  batchSize: 'Batch size',
  epochs: 'Epochs',
  lrSchedule: 'LR schedule',
  lrStepEpochs: 'Step every',
  lrGamma: 'Gamma',
  validationFraction: 'Validation fraction',
  trainSubset: 'Train subset',
  seed: 'Seed',
  earlyStoppingPatience: 'Early-stopping patience',
};

const usesMomentum = (c: Hyperparams) => c.optimizer === 'momentum' || c.optimizer === 'rmsprop';
const usesStep = (c: Hyperparams) => c.lrSchedule === 'step';

export const FIELD_GROUPS: FieldGroup[] = [
  {
    id: 'model',
    title: 'Model',
    blurb: 'LeNet-5 variants; all have the same parameter count.',
    fields: [
      choice('model.convActivation', 'After C1 and C3.', { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'ReLU' }),
      choice('model.denseActivation', 'Between C5, F6 and the output.', {
        none: 'None',
        sigmoid: 'Sigmoid',
        tanh: 'Tanh',
        relu: 'ReLU',
      }),
      choice('model.pooling', 'S2 and S4 subsampling, 2×2.', { avg: 'Average', max: 'Max' }),
      choice('model.c5', 'Flatten + Linear 400→120, or a 5×5 convolution to 120 maps.', {
        dense: 'Linear',
        conv: 'Conv 5×5',
      }),
      choice('model.inputSize', '28: C1 pads by 2. 32: pad the image, C1 unpadded (LeCun).', {
        '28': '28×28',
        '32': '32×32',
      }),
    ],
  },
  {
    id: 'optimizer',
    title: 'Optimizer',
    blurb: 'How the weights move each step.',
    fields: [
      choice('optimizer', 'Update rule.', { sgd: 'SGD', momentum: 'Momentum', adam: 'Adam', rmsprop: 'RMSprop' }),
      number('learningRate', 'Step size at the start of training.'),
      number('momentum', 'Momentum, or the decay of RMSprop.', {
        usedWhen: usesMomentum,
        unusedNote: 'Used by momentum and rmsprop only.',
      }),
      number('weightDecay', 'L2 penalty on kernels (not biases).'),
      number('batchSize', 'Images per step.', { unit: 'images' }),
    ],
  },
  {
    id: 'schedule',
    title: 'Schedule',
    blurb: 'How long to train and how the rate changes.',
    fields: [
      number('epochs', 'Passes over the training images.'),
      choice('lrSchedule', 'Learning-rate schedule over the epochs.', {
        constant: 'Constant',
        step: 'Step',
        cosine: 'Cosine',
      }),
      number('lrStepEpochs', 'Multiply the rate by gamma every this many epochs.', {
        usedWhen: usesStep,
        unusedNote: 'Used by the step schedule only.',
        unit: 'epochs',
      }),
      number('lrGamma', 'Factor applied at each step.', {
        usedWhen: usesStep,
        unusedNote: 'Used by the step schedule only.',
      }),
    ],
  },
  {
    id: 'data',
    title: 'Data',
    blurb: 'Which of the 60,000 training images are used.',
    fields: [
      number('validationFraction', 'Share held out for validation (seeded shuffle).', { fraction: true }),
      number('trainSubset', 'Train on only this many images.', { unit: 'images', zeroMeans: 'all that remain' }),
      number('seed', 'Seeds the split, the shuffles and the initial weights.'),
    ],
  },
  {
    id: 'stopping',
    title: 'Stopping',
    blurb: 'When to end before the last epoch.',
    fields: [
      number('earlyStoppingPatience', 'Stop after this many epochs without a better validation accuracy.', {
        unit: 'epochs',
        zeroMeans: 'never stop early',
      }),
    ],
  },
];

export const ALL_FIELDS: Field[] = FIELD_GROUPS.flatMap((g) => g.fields);
export const MODEL_GROUP = FIELD_GROUPS[0];

/** Reads a field's value from a config. */
export function getValue(config: Hyperparams, path: FieldPath): string | number {
  if (path.startsWith('model.')) return config.model[path.slice(6) as keyof ModelOptions];
  return config[path as TopKey];
}
