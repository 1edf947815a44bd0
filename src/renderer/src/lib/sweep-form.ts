/**
 * The Sweep form's rows as the shared sweep definition: each varied field is a list of values (the
 * text the person typed) or a range. Checked here with the shared rules (`parseSweepDefinition`),
 * so a bad spec is named before main is asked; the messages name the field by its label, not by
 * its CLI flag.
 */
import { FIELD_PATHS, HYPERPARAM_FIELDS, type Hyperparams, type PresetName } from '../../../shared/hyperparams';
import {
  parseSweepDefinition,
  parseVarySpec,
  SweepError,
  type SweepDefinition,
  type VarySpec,
} from '../../../shared/sweep';
import { parseHalvingEpochs } from '../../../shared/halving';

export interface VaryRow {
  flag: string;
  mode: 'values' | 'range';
  values: string;
  min: string;
  max: string;
  log: boolean;
  points: string;
}

export interface SweepFormValues {
  name: string;
  rows: VaryRow[];
  method: SweepDefinition['method'];
  samples: string;
  seeds: string;
  parallel: string;
  /** Successive halving's epochs, comma-separated; empty (or absent) = off. */
  halving?: string;
}

/** Every field a sweep can vary: its CLI flag (the definition's name for it) and its label. */
export const SWEEP_FIELDS = FIELD_PATHS.map((path) => ({
  flag: HYPERPARAM_FIELDS[path].flag,
  label: HYPERPARAM_FIELDS[path].label,
  field: HYPERPARAM_FIELDS[path],
}));

const labelOf = (flag: string): string => SWEEP_FIELDS.find((f) => f.flag === flag)?.label ?? flag;

/** `--vary lr=1..2: the range…` → `Learning rate 1..2: the range…` (the form shows labels). */
export function labelSweepMessage(message: string): string {
  return message.replace(/--vary ([\w-]+)(=\S*)?/g, (_m, flag: string, rest?: string) => {
    const spec = rest ? ` ${rest.slice(1)}` : '';
    return `${labelOf(flag)}${spec}`;
  });
}

/** A new row for a flag: its choices listed, or a number range around the base value. */
export function newRow(flag: string, base: Hyperparams | null): VaryRow {
  const field = SWEEP_FIELDS.find((f) => f.flag === flag)!.field;
  const current = base ? String(valueAt(base, field.path)) : '';
  const values = field.kind === 'number' ? current : field.options.map((o) => o.value).join(', ');
  return { flag, mode: 'values', values, min: '', max: '', log: false, points: '3' };
}

function valueAt(config: Hyperparams, path: string): unknown {
  return path.startsWith('model.')
    ? (config.model as Record<string, unknown>)[path.slice(6)]
    : (config as unknown as Record<string, unknown>)[path];
}

const numberOrNaN = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function rowSpec(row: VaryRow): VarySpec {
  if (row.mode === 'values') return parseVarySpec(`${row.flag}=${row.values}`);
  const [min, max, points] = [numberOrNaN(row.min), numberOrNaN(row.max), numberOrNaN(row.points)];
  if (!Number.isFinite(min) || !Number.isFinite(max))
    throw new SweepError(`--vary ${row.flag}: the range ends must be numbers`);
  if (!Number.isInteger(points) || points < 2 || points > 1000)
    throw new SweepError(`--vary ${row.flag}: the number of points must be an integer from 2 to 1000`);
  return { flag: row.flag, range: { min, max, log: row.log, points } };
}

/** The definition the form describes, or the first problem in people's words. */
export function buildDefinition(
  values: SweepFormValues,
  base: Hyperparams | null,
  preset: PresetName | null,
): { ok: true; definition: SweepDefinition } | { ok: false; message: string } {
  if (!base) return { ok: false, message: 'Fix the base configuration first (the form on the left).' };
  if (values.rows.length === 0) return { ok: false, message: 'Add at least one field to vary.' };
  try {
    const definition = parseSweepDefinition({
      name: values.name.trim() || undefined,
      base,
      preset: preset ?? undefined,
      vary: values.rows.map(rowSpec),
      method: values.method,
      samples: values.method !== 'grid' ? numberOrNaN(values.samples) : undefined,
      seeds: numberOrNaN(values.seeds),
      parallel: values.parallel.trim() === '' ? undefined : numberOrNaN(values.parallel),
      halving: halvingOf(values.halving ?? ''),
    });
    return { ok: true, definition };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, message: labelSweepMessage(friendlyPaths(message)) };
  }
}

/** The form's label of the halving field, which its messages name. */
export const HALVING_LABEL = 'Successive halving';

function halvingOf(text: string): { epochs: number[] } | undefined {
  if (text.trim() === '') return undefined;
  try {
    return { epochs: parseHalvingEpochs(text) };
  } catch (err) {
    throw new SweepError(`${HALVING_LABEL}: ${(err as Error).message}`);
  }
}

/** The schema names the form's own fields by their keys; say them as the form labels them. */
function friendlyPaths(message: string): string {
  return message
    .replace(/^invalid sweep: /, '')
    .replace(/\bseeds\b/, 'Seeds')
    .replace(/\bsamples\b/, 'Samples')
    .replace(/\bparallel\b/, 'Trainers at once')
    .replace(/\bhalving\.epochs\b/, HALVING_LABEL);
}

/** The base form's fields the rows vary (field path → their values as the row says them). */
export function sweptFields(rows: VaryRow[]): Record<string, string> {
  const swept: Record<string, string> = {};
  for (const row of rows) {
    const path = SWEEP_FIELDS.find((f) => f.flag === row.flag)?.field.path;
    if (!path) continue;
    swept[path] =
      row.mode === 'values'
        ? row.values
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
            .join(', ')
        : `${row.min.trim()} to ${row.max.trim()}, ${row.points.trim()} points${row.log ? ' (log)' : ''}`;
  }
  return swept;
}
