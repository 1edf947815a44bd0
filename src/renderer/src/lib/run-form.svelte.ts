/**
 * The configuration being edited: `runForm` is New run's, which the next run starts from. The Model
 * place looks at a draft of its model options (another RunForm) so that exploring there never
 * changes the next run; "Use for the next run" copies the draft over. Values are kept as
 * the text the person typed; every change is parsed with the shared schema, and its messages
 * (in people's words, naming each field by its label) are filed under the field they name.
 */
import {
  describeIssuesByLabel,
  labelledMessage,
  hyperparamsSchema,
  modelOptionsSchema,
  PRESET_NAMES,
  PRESETS,
  type Hyperparams,
  type ModelOptions,
  type PresetName,
} from '@shared/hyperparams';
import { ALL_FIELDS, getValue, type FieldPath } from './hyperparam-fields';

export type FormText = Record<FieldPath, string>;

function toText(config: Hyperparams): FormText {
  const text = {} as FormText;
  for (const field of ALL_FIELDS) text[field.path] = String(getValue(config, field.path));
  return text;
}

/** Empty text becomes NaN, not 0, so the schema refuses it and names the range. */
function parseNumber(raw: string): number {
  const trimmed = raw.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** The form's text as the object the schema checks: numbers where the schema wants numbers. */
function toCandidate(text: FormText): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  const model: Record<string, unknown> = {};
  for (const field of ALL_FIELDS) {
    const raw = text[field.path];
    const numeric = field.kind === 'number' || typeof field.options[0]?.value === 'number';
    const value = numeric ? parseNumber(raw) : raw;
    if (field.path.startsWith('model.')) model[field.path.slice(6)] = value;
    else top[field.path] = value;
  }
  return { model, ...top };
}

function sameConfig(a: Hyperparams, b: Hyperparams): boolean {
  return ALL_FIELDS.every((f) => getValue(a, f.path) === getValue(b, f.path));
}

export class RunForm {
  text = $state<FormText>(toText(PRESETS.seed));
  /** The preset (or stored run) the form was last filled from. */
  basedOn = $state<{ preset: PresetName | null; runLabel?: string }>({ preset: 'seed' });

  readonly candidate = $derived(toCandidate(this.text));
  readonly parsed = $derived(hyperparamsSchema.safeParse(this.candidate));
  /** The validated configuration, or null while any field is invalid. */
  readonly config: Hyperparams | null = $derived(this.parsed.success ? this.parsed.data : null);
  readonly valid = $derived(this.parsed.success);
  /** Every problem in people's words (`Learning rate must be > 0 and ≤ 10`), with its field's path. */
  readonly problems: { path: string; message: string }[] = $derived(
    this.parsed.success
      ? []
      : this.parsed.error.issues.map((issue) => {
          const path = issue.path.join('.');
          return { path, message: labelledMessage(path, issue.message) };
        }),
  );
  readonly messages: string[] = $derived(this.problems.map((p) => p.message));
  /** Field path → its message. */
  readonly errors: Partial<Record<string, string>> = $derived.by(() => {
    const byPath: Record<string, string> = {};
    for (const { path, message } of this.problems) byPath[path || '(root)'] ??= message;
    return byPath;
  });

  #lastModel: ModelOptions = PRESETS.seed.model;
  /** The model options; the last valid ones while a model field is invalid. */
  readonly model: ModelOptions = $derived.by(() => {
    const r = modelOptionsSchema.safeParse(this.candidate['model']);
    if (r.success) this.#lastModel = r.data;
    return this.#lastModel;
  });

  /** The preset the current values equal exactly, if any. */
  readonly matchingPreset: PresetName | null = $derived.by(() => {
    const config = this.config;
    if (!config) return null;
    return PRESET_NAMES.find((name) => sameConfig(config, PRESETS[name])) ?? null;
  });

  /**
   * Whether the person picked the 1998 network's output by hand since the form was last filled:
   * only then does choosing that network keep the output as it is.
   */
  #outputChosen = false;

  set(path: FieldPath, value: string): void {
    if (path === 'model.output') this.#outputChosen = true;
    const choosing1998 = path === 'model.architecture' && value === 'lecun1998' && this.text[path] !== value;
    this.text[path] = value;
    // The 1998 network chosen by hand trains with its paper output (RBF), as its preset and the Model
    // page's "Train this" do; a softmax output is one more click, and a hand-picked output stays.
    if (choosing1998 && !this.#outputChosen) this.text['model.output'] = PRESETS.lecun1998.model.output;
  }

  loadPreset(name: PresetName): void {
    this.text = toText(PRESETS[name]);
    this.basedOn = { preset: name };
    this.#outputChosen = false;
  }

  /** Fill only the model options from a preset (the Model place). */
  loadModelPreset(name: PresetName): void {
    for (const field of ALL_FIELDS) {
      if (field.path.startsWith('model.')) this.text[field.path] = String(getValue(PRESETS[name], field.path));
    }
    this.#outputChosen = false;
  }

  /** The model options' text, as typed (the Model place's draft copies it both ways). */
  modelText(): Partial<FormText> {
    return Object.fromEntries(
      ALL_FIELDS.filter((f) => f.path.startsWith('model.')).map((f) => [f.path, this.text[f.path]]),
    );
  }

  /** Take these model options' text, leaving every training setting as it is. */
  setModelText(text: Partial<FormText>): void {
    for (const [path, value] of Object.entries(text)) if (value !== undefined) this.text[path as FieldPath] = value;
  }

  /** Whether the model options read the same as `other`'s. */
  sameModelAs(other: RunForm): boolean {
    const mine = this.modelText();
    const theirs = other.modelText();
    return Object.keys(mine).every((k) => mine[k as FieldPath] === theirs[k as FieldPath]);
  }

  /**
   * "Start from this run": fills the form from a stored configuration. A config that no longer
   * passes the schema (an older version's) is refused with the schema's messages.
   */
  loadConfig(
    config: unknown,
    from?: { runLabel?: string; preset?: PresetName | null },
  ): { ok: true } | { ok: false; errors: string[] } {
    const r = hyperparamsSchema.safeParse(config);
    if (!r.success) return { ok: false, errors: describeIssuesByLabel(r.error) };
    this.text = toText(r.data);
    this.basedOn = { preset: from?.preset ?? null, runLabel: from?.runLabel };
    this.#outputChosen = false;
    return { ok: true };
  }
}

/** The one form New run starts runs from; the Model place edits a draft and hands it over on request. */
export const runForm = new RunForm();
