/**
 * What sets a compared run apart, for its legend entry: `flag=value` of each field the compared
 * runs set differently (the CLI and sweep spelling), where the run's name does not tell it apart
 * (another compared run has the same name) and does not already say it — two runs both named
 * "quick" then read "#1 quick · conv-activation=sigmoid" and "#2 quick · conv-activation=relu",
 * while a name the user chose ("quick lr 5e-3") is left as it is.
 */
import { fieldAt } from '@shared/hyperparams';
import type { CompareRunsResult } from '@shared/runs';
import { configValue } from './run-format';

/** A legend is read at a glance: at most this many differences are named. */
const MAX_SHOWN = 2;

export function differingValues(result: Pick<CompareRunsResult, 'config' | 'runs'>, runIndex: number): string[] {
  const name = result.runs[runIndex]?.name ?? '';
  const namesAlike = result.runs.filter((r) => r.name === name).length > 1;
  if (!namesAlike) return [];
  return result.config
    .filter((f) => f.differs && f.used[runIndex])
    .map((f) => `${fieldAt(f.key)?.flag ?? f.key}=${configValue(f.key, f.values[runIndex] ?? null)}`)
    .filter((text) => !name.includes(text))
    .slice(0, MAX_SHOWN);
}

/** `#3 quick · conv-activation=relu`: the run's id, its name and what its name leaves unsaid. */
export function compareRunLabel(result: Pick<CompareRunsResult, 'config' | 'runs'>, runIndex: number): string {
  const r = result.runs[runIndex];
  if (!r) return '';
  const extra = differingValues(result, runIndex);
  return `#${r.id} ${r.name}${extra.length ? ` · ${extra.join(' ')}` : ''}`;
}
