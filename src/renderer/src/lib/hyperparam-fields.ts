/**
 * The New-run form's fields, read from the metadata declared beside the shared zod schema
 * (`HYPERPARAM_FIELDS`): labels, help, groups, units, choices and ranges all come from there, so
 * nothing is written twice and no range is read back out of an error message. Only where each
 * field sits inside its group is decided here.
 */
import {
  FIELD_GROUPS_META,
  FIELD_PATHS,
  fieldValue,
  HYPERPARAM_FIELDS,
  isFieldUsed,
  rangeText,
  type FieldGroupId,
  type FieldPath,
  type HyperparamField,
  type Hyperparams,
} from '../../../shared/hyperparams';

export type { FieldPath } from '../../../shared/hyperparams';

interface FieldBase {
  path: FieldPath;
  /** The key as describeIssues names it, e.g. `learningRate` or `model.pooling`. */
  key: string;
  /** Words for people, e.g. "Learning rate". */
  label: string;
  /** The CLI flag without dashes (`lr`), which is also its name in a sweep. */
  flag: string;
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
  id: FieldGroupId;
  title: string;
  blurb: string;
  fields: Field[];
}

/**
 * Where each field sits in its group (the group itself is the field's metadata). A field missing
 * here still appears, at the end of its group.
 */
const FORM_ORDER: readonly FieldPath[] = [
  // As --help lists them: which network first, then what the configurable one varies.
  'model.architecture',
  'model.output',
  'model.convActivation',
  'model.denseActivation',
  'model.pooling',
  'model.c5',
  'model.inputSize',
  'model.c1Maps',
  'model.c3Maps',
  'model.c5Units',
  'model.f6Units',
  'model.batchNorm',
  'model.dropout',
  'optimizer',
  'learningRate',
  'momentum',
  'weightDecay',
  'labelSmoothing',
  'batchSize',
  'epochs',
  'lrSchedule',
  'lrStepEpochs',
  'lrGamma',
  'validationFraction',
  'trainSubset',
  'augmentShift',
  'augmentFlip',
  'excludeMarked',
  'seed',
  'earlyStoppingPatience',
];

function toField(meta: HyperparamField): Field {
  const base: FieldBase = {
    path: meta.path,
    key: meta.path,
    label: meta.label,
    flag: meta.flag,
    help: meta.help,
  };
  if (meta.usedWhen) {
    base.usedWhen = (config) => isFieldUsed(meta.path, config);
    base.unusedNote = meta.unusedNote;
  }
  if (meta.kind === 'choice') {
    return { kind: 'choice', ...base, options: meta.options.map((o) => ({ value: o.value, label: o.label })) };
  }
  const { range } = meta;
  const field: NumberField = {
    kind: 'number',
    ...base,
    integer: range.integer,
    min: range.min,
    max: range.max,
    exclusiveMin: range.exclusiveMin,
    range: rangeText(range),
  };
  if (meta.unit !== undefined) field.unit = meta.unit;
  if (meta.zeroMeans !== undefined) field.zeroMeans = meta.zeroMeans;
  if (meta.fraction !== undefined) field.fraction = meta.fraction;
  return field;
}

const ORDERED: FieldPath[] = [...new Set([...FORM_ORDER, ...FIELD_PATHS])];

export const FIELD_GROUPS: FieldGroup[] = FIELD_GROUPS_META.map((g) => ({
  ...g,
  fields: ORDERED.filter((p) => HYPERPARAM_FIELDS[p].group === g.id).map((p) => toField(HYPERPARAM_FIELDS[p])),
}));

export const ALL_FIELDS: Field[] = FIELD_GROUPS.flatMap((g) => g.fields);
export const MODEL_GROUP = FIELD_GROUPS[0]!;

/** Reads a field's value from a config. */
export function getValue(config: Hyperparams, path: FieldPath): string | number {
  return fieldValue(config, path);
}
