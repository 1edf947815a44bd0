/**
 * Groups of compared runs. By default runs whose configurations differ only in their seed form a
 * group (repeats of one experiment); a field can be picked instead (one group per value of it), or
 * no grouping (every run alone). Works on runs:compare's flattened configuration fields.
 */
import { fieldAt } from './hyperparams';
import type { ConfigField, ConfigValue } from './runs';
import { summarize, type GroupSummary } from './stats';

/** `seeds`: all but the seed; `none`: one group per run; any other string: that configuration key. */
export type GroupBy = 'seeds' | 'none' | (string & {});

export interface RunGroup {
  /** Stable identity of the group (its defining values, JSON). */
  key: string;
  /** Plain words: the values that set this group apart, e.g. `learningRate 0.002`. */
  label: string;
  /** Positions of the group's runs in the compared list, ascending. */
  members: number[];
}

/** The configuration key of the seed (what `seeds` grouping ignores). */
export const SEED_KEY = 'seed';

const shown = (v: ConfigValue) => (v == null ? '—' : String(v));

/** The fields whose values define the groups under `by`. */
function definingFields(config: readonly ConfigField[], by: GroupBy): ConfigField[] {
  if (by === 'seeds') return config.filter((f) => f.differs && f.key !== SEED_KEY);
  return config.filter((f) => f.key === by);
}

export function groupRuns(config: readonly ConfigField[], runCount: number, by: GroupBy): RunGroup[] {
  const all = Array.from({ length: runCount }, (_, i) => i);
  if (by === 'none') return all.map((i) => ({ key: `run-${i}`, label: `run ${i + 1}`, members: [i] }));
  const fields = definingFields(config, by);
  const groups = new Map<string, RunGroup>();
  for (const i of all) {
    // A field the run does not use (momentum under adam) does not split it off.
    const values = fields.map((f) => (f.used[i] ? f.values[i] : null));
    const key = JSON.stringify(values);
    const label =
      fields.map((f, k) => `${fieldAt(f.key)?.label ?? f.key} ${shown(values[k])}`).join(', ') || 'all runs';
    const group = groups.get(key) ?? { key, label, members: [] };
    group.members.push(i);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** True when grouping puts some runs together (otherwise there is nothing to average). */
export function groupsSomething(groups: readonly RunGroup[]): boolean {
  return groups.some((g) => g.members.length > 1);
}

/**
 * A group's per-epoch summary of one series: at each epoch, the mean, std, min and max over the
 * members that recorded that epoch (null where none did).
 */
export function groupSeries(
  group: RunGroup,
  series: readonly (readonly (number | null)[])[],
  epochCount: number,
): (GroupSummary | null)[] {
  return Array.from({ length: epochCount }, (_, k) => {
    const values = group.members.map((i) => series[i]?.[k]).filter((v): v is number => v != null);
    return values.length ? summarize(values) : null;
  });
}

/** The members' values of a per-run figure (best test accuracy, …), skipping runs without one. */
export function memberValues(group: RunGroup, values: readonly (number | null)[]): number[] {
  return group.members.map((i) => values[i]).filter((v): v is number => v != null && Number.isFinite(v));
}

/**
 * A group's figure as every table and legend of groups writes it: `89.40% ± 0.30 (n=3)` (the std
 * in the mean's unit, percentage points for a percentage). One run has no spread to show.
 */
export function summaryText(s: GroupSummary, format: { percent?: boolean; digits?: number } = {}): string {
  const { percent = false, digits = 2 } = format;
  const scale = percent ? 100 : 1;
  const mean = `${(s.mean * scale).toFixed(digits)}${percent ? '%' : ''}`;
  return s.n > 1 ? `${mean} ± ${(s.std * scale).toFixed(digits)} (n=${s.n})` : `${mean} (n=1)`;
}
