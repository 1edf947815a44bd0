/**
 * Compare's importance panel from runs:compare's answer: the varied configuration fields (the
 * parallel-coordinates axes, whose numeric/log reading is written there once) against the runs'
 * best test accuracy, and, for one field, the points of its scatter: each run, and each seed group
 * (runs alike but for the seed) as mean ± std with n.
 */
import { settingImportance, type ImportanceResult } from './importance';
import { ACCURACY_AXIS, parallelAxes, type ParallelAxis } from './parallel-axes';
import { groupRuns, memberValues, SEED_KEY } from './run-groups';
import { summarize, type GroupSummary } from './stats';
import type { CompareRunsResult, ConfigValue } from './runs';

export interface CompareImportance {
  /** The varied fields, by key (seed left out: it is the noise). */
  fields: ParallelAxis[];
  result: ImportanceResult;
}

export function compareImportance(compare: CompareRunsResult): CompareImportance {
  const fields = parallelAxes(compare).filter((a) => a.key !== ACCURACY_AXIS && a.key !== SEED_KEY);
  const runs = compare.best.flatMap((b, i) =>
    b.bestTestAccuracy == null
      ? []
      : [{ values: Object.fromEntries(fields.map((f) => [f.key, shown(f.values[i])])), metric: b.bestTestAccuracy }],
  );
  return { fields, result: settingImportance(runs) };
}

/** A field's value as importance groups it: a run that does not use the field is "—". */
function shown(v: ConfigValue): number | string {
  return v == null ? '—' : typeof v === 'number' ? v : String(v);
}

export interface ScatterGroup {
  /** The field's value the group sits at (one value: groups differ only in their seed). */
  x: number | string;
  label: string;
  summary: GroupSummary;
}

export interface SettingScatter {
  runs: { x: number | string; y: number; runId: number }[];
  /** Seed groups of two or more runs with a best test accuracy. */
  groups: ScatterGroup[];
}

export function settingScatter(compare: CompareRunsResult, field: ParallelAxis): SettingScatter {
  const accuracy = compare.best.map((b) => b.bestTestAccuracy);
  const runs = compare.runs.flatMap((run, i) =>
    accuracy[i] == null ? [] : [{ x: shown(field.values[i]), y: accuracy[i]!, runId: run.id }],
  );
  const groups = groupRuns(compare.config, compare.runs.length, 'seeds').flatMap((g) => {
    const values = memberValues(g, accuracy);
    if (values.length < 2) return [];
    return [{ x: shown(field.values[g.members[0]]), label: g.label, summary: summarize(values) }];
  });
  return { runs, groups };
}
