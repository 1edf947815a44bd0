/**
 * The axes of Compare's parallel-coordinates view: one per configuration field the compared runs
 * vary in, then best test accuracy. An axis whose values are all numbers is continuous: on a log
 * scale for a field read that way (the learning rate) or when its values span 20× or more, and
 * with whole-number ticks only when its field holds integers (a seed, a batch size); any other
 * axis is a list of categories.
 */
import { fieldAt } from './hyperparams';
import type { CompareRunsResult, ConfigValue } from './runs';

export interface ParallelAxis {
  key: string;
  label: string;
  /** One per compared run; null where the run has no value (a field it does not use). */
  values: ConfigValue[];
  numeric: boolean;
  log: boolean;
  /** Its values are whole numbers by definition: ticks between them (42.2) would mean nothing. */
  integer: boolean;
}

export const ACCURACY_AXIS = 'bestTestAccuracy';

function axis(key: string, label: string, values: ConfigValue[]): ParallelAxis {
  const present = values.filter((v) => v != null);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
  const numbers = numeric ? (present as number[]) : [];
  const meta = fieldAt(key);
  const number = meta?.kind === 'number' ? meta : null;
  const positive = numeric && Math.min(...numbers) > 0;
  const log = positive && (number?.logScale === true || Math.max(...numbers) / Math.min(...numbers) >= 20);
  const integer = numeric && (number?.range.integer ?? false);
  return { key, label, values, numeric, log, integer };
}

/**
 * The ticks of an integer axis: the whole numbers among `candidates` (a scale's own ticks); with
 * fewer than two of them (a short span, 42 to 43), every whole number of the domain, up to `max`.
 */
export function integerTicks(candidates: readonly number[], domain: readonly [number, number], max = 8): number[] {
  const whole = candidates.filter(Number.isInteger);
  if (whole.length >= 2) return whole;
  const [lo, hi] = [Math.ceil(Math.min(...domain)), Math.floor(Math.max(...domain))];
  if (hi < lo) return whole;
  const step = Math.max(1, Math.ceil((hi - lo + 1) / max));
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

export function parallelAxes(result: CompareRunsResult): ParallelAxis[] {
  const fields = result.config
    .filter((f) => f.differs)
    .map((f) =>
      axis(
        f.key,
        fieldAt(f.key)?.label ?? f.key,
        f.values.map((v, i) => (f.used[i] ? v : null)),
      ),
    );
  return [
    ...fields,
    axis(
      ACCURACY_AXIS,
      'Best test accuracy',
      result.best.map((b) => b.bestTestAccuracy),
    ),
  ];
}
