/**
 * Sweeps: which hyperparameters vary, each over a list of values or a linear/log range, combined
 * as a grid or by seeded random samples, every combination repeated over K seeds. The definition
 * is validated here once (the CLI, the Sweep form and main's IPC use it) and `expandSweep` turns
 * it into the runs' configurations. Fields are named by their CLI flag (`lr`, `batch-size`,
 * `conv-activation`, …), as in `npm run train`.
 */
import { z } from 'zod';
import {
  FIELD_PATHS,
  HYPERPARAM_FIELDS,
  hyperparamsSchema,
  PRESET_NAMES,
  rangeText,
  describeIssues,
  type FieldPath,
  type HyperparamField,
  type Hyperparams,
} from './hyperparams';
import { halvingProblem, halvingSchema } from './halving';
import { mulberry32 } from './random';
import { proposeTpe, type SearchDimension } from './tpe';
import { integerIn } from './validation';
import type { RunSummary } from './runs';

/** More runs than this need an explicit confirmation (`--yes`, a second click). */
export const CONFIRM_RUNS_ABOVE = 1000;
/** Never more runs than this in one sweep. */
export const MAX_SWEEP_RUNS = 10_000;
export const SWEEP_METHODS = ['grid', 'random', 'tpe'] as const;

/** A bad definition: the message names the flag and what is wrong with its values or range. */
export class SweepError extends Error {
  override name = 'SweepError';
}

const valueSchema = z.union([z.number(), z.string()]);
export const varySchema = z.strictObject({
  flag: z.string().min(1).max(40),
  /** A list of values… */
  values: z.array(valueSchema).min(1).max(1000).optional(),
  /** …or a range: `points` values from `min` to `max`, evenly spaced (log: evenly in log10). */
  range: z
    .strictObject({
      min: z.number(),
      max: z.number(),
      log: z.boolean().default(false),
      points: z.number().int().min(2).max(1000).default(5),
    })
    .optional(),
});
export type VarySpec = z.input<typeof varySchema>;

export const sweepDefinitionSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    /** The configuration every run starts from; the varied fields and the seed are set per run. */
    base: hyperparamsSchema,
    preset: z.enum(PRESET_NAMES).optional(),
    vary: z.array(varySchema).min(1, { error: 'vary at least one field' }).max(8, { error: 'vary at most 8 fields' }),
    method: z.enum(SWEEP_METHODS, { error: 'must be grid, random or tpe' }).default('grid'),
    /** random: how many combinations to draw; tpe: how many to propose, one after another. */
    samples: integerIn(1, MAX_SWEEP_RUNS).default(10),
    /** random, tpe: seeds the draws, so the same definition (and, for tpe, results) gives the same runs. */
    samplingSeed: integerIn(0, 2_147_483_647).default(1),
    /** Every combination runs with seeds base.seed, base.seed + 1, … (K of them). */
    seeds: integerIn(1, 100).default(1),
    /** Trainers at once for this sweep (default: the app setting). */
    parallel: integerIn(1, 64).optional(),
    /** Successive halving (shared/halving.ts): after each of these epochs the worse half stops. */
    halving: halvingSchema.optional(),
  })
  .superRefine((definition, ctx) => {
    const problem = definition.halving && halvingProblem(definition.halving.epochs, definition.base.epochs);
    if (problem) ctx.addIssue({ code: 'custom', path: ['halving', 'epochs'], message: problem });
  });
export type SweepDefinition = z.output<typeof sweepDefinitionSchema>;
export type SweepDefinitionInput = z.input<typeof sweepDefinitionSchema>;

export interface SweepRunPlan {
  config: Hyperparams;
  /** flag → value of the varied fields (and `seed`), for names, tables and parallel coordinates. */
  values: Record<string, number | string>;
}

const FIELD_BY_FLAG = new Map<string, HyperparamField>(
  FIELD_PATHS.map((p) => [HYPERPARAM_FIELDS[p].flag, HYPERPARAM_FIELDS[p]]),
);
export const SWEEPABLE_FLAGS = [...FIELD_BY_FLAG.keys()];

function fieldOf(flag: string): HyperparamField {
  const field = FIELD_BY_FLAG.get(flag);
  if (!field) throw new SweepError(`--vary ${flag}: unknown option; one of ${SWEEPABLE_FLAGS.join(', ')}`);
  return field;
}

/** `FLAG=V1,V2,...` or `FLAG=LO..HI[:log][:N]` → a VarySpec (values still unchecked). */
export function parseVarySpec(text: string): VarySpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepError(`--vary ${text}: write FLAG=V1,V2,… or FLAG=LO..HI[:log][:N]`);
  const flag = text.slice(0, eq).trim().replace(/^--/, '');
  const rest = text.slice(eq + 1).trim();
  const field = fieldOf(flag);
  if (rest.includes('..')) {
    const [ends, ...options] = rest.split(':');
    const [lo, hi, ...extra] = ends.split('..');
    const [min, max] = [Number(lo), Number(hi)];
    if (extra.length || lo.trim() === '' || hi.trim() === '' || !Number.isFinite(min) || !Number.isFinite(max))
      throw new SweepError(`--vary ${flag}=${rest}: the range ends must be numbers (LO..HI)`);
    let log = false;
    let points = 5;
    for (const o of options) {
      if (o === 'log') log = true;
      else if (/^\d+$/.test(o)) points = Number(o);
      else throw new SweepError(`--vary ${flag}=${rest}: unknown range option "${o}" (use :log and :N)`);
    }
    return { flag, range: { min, max, log, points } };
  }
  const values = rest.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) throw new SweepError(`--vary ${flag}=${rest}: an empty value in the list`);
  const numeric = field.kind === 'number' || typeof field.options[0]?.value === 'number';
  return { flag, values: numeric ? values.map((v) => (Number.isFinite(Number(v)) ? Number(v) : v)) : values };
}

/** Evenly spaced points; log ranges evenly in log10. Integers are rounded and deduplicated. */
function rangePoints(r: { min: number; max: number; log: boolean; points: number }, integer: boolean): number[] {
  const { min, max, log, points } = r;
  const at = (i: number): number => {
    const f = i / (points - 1);
    return log ? 10 ** (Math.log10(min) + f * (Math.log10(max) - Math.log10(min))) : min + f * (max - min);
  };
  const raw = Array.from({ length: points }, (_, i) => at(i));
  // Trim float noise (0.30000000000000004) so names and tables read cleanly.
  const clean = raw.map((v) => (integer ? Math.round(v) : Number(v.toPrecision(12))));
  return [...new Set(clean)];
}

/** A spec's values, checked against its field's range or choices; throws naming the flag. */
export function specValues(spec: VarySpec): (number | string)[] {
  const field = fieldOf(spec.flag);
  const where = `--vary ${spec.flag}`;
  if (!!spec.values === !!spec.range) throw new SweepError(`${where}: give either a list of values or a range`);
  let values: (number | string)[];
  if (spec.range) {
    const r = { log: false, points: 5, ...spec.range };
    if (field.kind !== 'number')
      throw new SweepError(
        `${where}: ${field.label} is a choice (${field.options.map((o) => o.value).join(', ')}), not a range`,
      );
    if (!(r.max > r.min)) throw new SweepError(`${where}=${r.min}..${r.max}: the range must go from low to high`);
    if (r.log && r.min <= 0) throw new SweepError(`${where}=${r.min}..${r.max}:log: a log range must be above 0`);
    for (const end of [r.min, r.max]) checkNumber(field, end, `${where}=${r.min}..${r.max}`);
    values = rangePoints(r, field.range.integer);
  } else {
    values = [...new Set(spec.values!)];
    for (const v of values) {
      if (field.kind === 'number') {
        if (typeof v !== 'number') throw new SweepError(`${where}: "${v}" is not a number`);
        checkNumber(field, v, where);
      } else if (!field.options.some((o) => o.value === v)) {
        throw new SweepError(`${where}: "${v}" is not one of ${field.options.map((o) => o.value).join(', ')}`);
      }
    }
  }
  return values;
}

function checkNumber(field: HyperparamField, v: number, where: string): void {
  if (field.kind !== 'number') return;
  const r = field.range;
  const ok = (r.exclusiveMin ? v > r.min : v >= r.min) && v <= r.max && (!r.integer || Number.isInteger(v));
  if (!ok) throw new SweepError(`${where}: ${v} is outside the range of ${field.label}, which must be ${rangeText(r)}`);
}

function setField(config: Hyperparams, path: FieldPath, value: number | string): Hyperparams {
  if (path.startsWith('model.')) return { ...config, model: { ...config.model, [path.slice(6)]: value } };
  return { ...config, [path]: value };
}

/** How many runs a definition makes, without building them. */
export function sweepRunCount(definition: SweepDefinition): number {
  const combos =
    definition.method !== 'grid'
      ? definition.samples
      : definition.vary.reduce((n, spec) => n * specValues(spec).length, 1);
  return combos * definition.seeds;
}

/** The runs of a sweep, combination by combination, each over its seeds. Throws SweepError. */
export function expandSweep(definition: SweepDefinition): SweepRunPlan[] {
  const specs = definition.vary.map((spec) => ({ spec, field: fieldOf(spec.flag), values: specValues(spec) }));
  const flags = specs.map((s) => s.spec.flag);
  const duplicate = flags.find((f, i) => flags.indexOf(f) !== i);
  if (duplicate) throw new SweepError(`--vary ${duplicate}: given twice`);
  if (flags.includes('seed') && definition.seeds > 1)
    throw new SweepError('--vary seed: vary the seed or repeat over --seeds, not both');
  const count = sweepRunCount(definition);
  if (count > MAX_SWEEP_RUNS)
    throw new SweepError(
      `this sweep makes ${count.toLocaleString('en-US')} runs; at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`,
    );

  let combos: Record<string, number | string>[];
  if (definition.method === 'grid') {
    combos = specs.reduce<Record<string, number | string>[]>(
      (acc, s) => acc.flatMap((combo) => s.values.map((v) => ({ ...combo, [s.spec.flag]: v }))),
      [{}],
    );
  } else if (definition.method === 'random') {
    const random = mulberry32(definition.samplingSeed);
    combos = Array.from({ length: definition.samples }, () =>
      Object.fromEntries(specs.map((s) => [s.spec.flag, sample(s.spec, s.field, s.values, random)])),
    );
  } else {
    // tpe proposes each combination from the finished ones (core/runs/sequential-sweep.ts); what
    // can be known before any result — for checks, counts and estimates — are its proposals
    // without history, which are exactly its first (random) ones.
    const space = searchSpace(definition);
    combos = Array.from({ length: definition.samples }, (_, k) =>
      proposeTpe(space, [], k, { seed: definition.samplingSeed, startup: Infinity }),
    );
  }
  return combos.flatMap((combo) => plansOf(definition, combo));
}

/**
 * The runs of one combination of varied values: one a seed (base.seed, base.seed + 1, …).
 * Throws SweepError naming the combination when its configuration is invalid.
 */
export function plansOf(definition: SweepDefinition, combo: Record<string, number | string>): SweepRunPlan[] {
  let config = definition.base;
  for (const spec of definition.vary) config = setField(config, fieldOf(spec.flag).path, combo[spec.flag]);
  const plans: SweepRunPlan[] = [];
  for (let k = 0; k < definition.seeds; k++) {
    const seeded = definition.seeds > 1 ? { ...config, seed: definition.base.seed + k } : config;
    const parsed = hyperparamsSchema.safeParse(seeded);
    if (!parsed.success)
      throw new SweepError(
        `the combination ${describeValues(combo)} is invalid: ${describeIssues(parsed.error).join('; ')}`,
      );
    plans.push({ config: parsed.data, values: definition.seeds > 1 ? { ...combo, seed: seeded.seed } : combo });
  }
  return plans;
}

/**
 * The space a model-based search explores: a range as a continuous dimension (log-scaled for
 * `:log`, whole numbers for integer fields), a list of values as a choice.
 */
export function searchSpace(definition: SweepDefinition): SearchDimension[] {
  return definition.vary.map((spec): SearchDimension => {
    const field = fieldOf(spec.flag);
    if (spec.range && field.kind === 'number')
      return {
        flag: spec.flag,
        kind: 'range',
        min: spec.range.min,
        max: spec.range.max,
        log: spec.range.log ?? false,
        integer: field.range.integer,
      };
    return { flag: spec.flag, kind: 'choice', values: specValues(spec) };
  });
}

/** random: a range is sampled continuously (log-uniformly for log), a list uniformly. */
function sample(spec: VarySpec, field: HyperparamField, values: (number | string)[], random: () => number) {
  if (!spec.range || field.kind !== 'number') return values[Math.floor(random() * values.length)];
  const { min, max, log = false } = spec.range;
  const f = random();
  const v = log ? 10 ** (Math.log10(min) + f * (Math.log10(max) - Math.log10(min))) : min + f * (max - min);
  return field.range.integer ? Math.round(v) : Number(v.toPrecision(4));
}

/** `lr=0.001 conv-activation=relu seed=43`. */
export function describeValues(values: Record<string, number | string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * Check a definition from outside (CLI, IPC): the schema, then every spec. Returns the parsed
 * definition or throws SweepError with every problem's words.
 */
export function parseSweepDefinition(input: unknown): SweepDefinition {
  const parsed = sweepDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new SweepError(`invalid sweep: ${describeIssues(parsed.error).join('; ')}`);
  expandSweep(parsed.data); // throws naming the flag
  return parsed.data;
}

// ── Results of the sweeps:* operations ──

export interface SweepSummary {
  id: number;
  name: string;
  createdAt: number;
  runCount: number;
  parallel: number;
  stoppedAt: number | null;
  definition: SweepDefinition;
  runIds: number[];
}

export interface SweepDetail extends SweepSummary {
  runs: RunSummary[];
}

export interface SweepPreview {
  runCount: number;
  /** The first runs' varied values (the form shows a few). */
  sample: string[];
  parallel: number;
  /** From this machine's measured speed; null before any epoch was measured here. */
  estimatedSeconds: number | null;
  needsConfirmation: boolean;
}
