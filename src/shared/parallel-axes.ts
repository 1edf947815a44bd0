/**
 * The axes of Compare's parallel-coordinates view: one per configuration field the compared runs
 * vary in, then best test accuracy. An axis whose values are all numbers is continuous (on a log
 * scale when they span 20× or more, as learning rates do); any other is a list of categories.
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
}

export const ACCURACY_AXIS = 'bestTestAccuracy';

function axis(key: string, label: string, values: ConfigValue[]): ParallelAxis {
  const present = values.filter((v) => v != null);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
  const numbers = numeric ? (present as number[]) : [];
  const log = numeric && Math.min(...numbers) > 0 && Math.max(...numbers) / Math.min(...numbers) >= 20;
  return { key, label, values, numeric, log };
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
