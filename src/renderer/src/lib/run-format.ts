/** Formatting for run tables and headers. Display only: no metric is computed here. */
import type { RunSummary } from '@shared/runs';
import { LEFT_OUT_KEY, LEFT_OUT_LABEL, type ConfigValue, type RunStatus } from '@shared/runs';
import { countOf } from '@shared/plural';
import { ALL_FIELDS } from './hyperparam-fields';
import { duration } from './format';

/** A run status in words, as the status badge and the status filter show it. */
export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  stopped: 'Stopped',
  diverged: 'Diverged',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

/**
 * One format for a column of rates (learning rate, weight decay): decimals (0.001, 0.00225), or,
 * when any value is below 0.001, exponents for all (1e-3, 7.5e-4), so a column never mixes them.
 */
export function rateFormat(
  values: readonly (number | null | undefined)[],
): (value: number | null | undefined) => string {
  const exponent = values.some((v) => v != null && v !== 0 && Math.abs(v) < 1e-3);
  return (value) => {
    if (value == null || !Number.isFinite(value)) return '—';
    if (value === 0) return '0';
    const rounded = Number(value.toPrecision(3));
    return exponent ? rounded.toExponential().replace('e+', 'e') : String(rounded);
  };
}

/** A single rate as people write it: 0.001, 3e-4. */
export function rate(value: number | null | undefined): string {
  return rateFormat([value])(value);
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const FULL = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** "14:05" today, "3 Mar 14:05" otherwise. */
export function when(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? TIME.format(d) : `${DAY.format(d)} ${TIME.format(d)}`;
}

export function fullDate(ms: number | null | undefined): string {
  return ms == null ? '—' : FULL.format(new Date(ms));
}

/** Wall-clock time of a run: start to finish, or to now while it trains. */
export function runDuration(run: Pick<RunSummary, 'startedAt' | 'finishedAt' | 'status'>, now = Date.now()): string {
  if (run.startedAt == null) return '—';
  const end = run.finishedAt ?? (run.status === 'running' ? now : null);
  return end == null ? '—' : duration((end - run.startedAt) / 1000);
}

export function runSeconds(run: Pick<RunSummary, 'startedAt' | 'finishedAt'>): number | null {
  return run.startedAt != null && run.finishedAt != null ? (run.finishedAt - run.startedAt) / 1000 : null;
}

const FIELD_LABELS = new Map([
  ...ALL_FIELDS.map((f) => [f.key, f.label] as const),
  [LEFT_OUT_KEY, LEFT_OUT_LABEL] as const,
]);

/** "Learning rate" for `learningRate`, "Pooling" for `model.pooling`; unknown keys as they are. */
export function configLabel(key: string): string {
  return FIELD_LABELS.get(key) ?? key;
}

export function configValue(key: string, value: ConfigValue): string {
  if (value == null) return '—';
  if (typeof value === 'number') {
    if (key === 'learningRate' || key === 'weightDecay' || key === 'lrGamma') return rate(value);
    if (key === 'validationFraction') return `${Number((value * 100).toPrecision(3))}%`;
    if (key === 'trainSubset' && value === 0) return 'all';
    if (key === 'earlyStoppingPatience' && value === 0) return 'off';
    if (key === LEFT_OUT_KEY) return value === 0 ? 'none' : `${countOf(value, 'image')} marked wrong`;
    return Number.isInteger(value) ? value.toLocaleString('en-US') : String(Number(value.toPrecision(4)));
  }
  return String(value);
}

/** Plain words for why a run ended badly; `error` is main's text. */
export function statusSentence(status: RunSummary['status'], error: string | null): string | null {
  switch (status) {
    case 'diverged':
      return `${error ?? 'the loss stopped being a finite number'}, so training was ended. Try a lower learning rate, or relu activations with a smaller batch.`;
    case 'failed':
      return error
        ? `The trainer stopped with this error: ${error}`
        : 'The trainer stopped with an error and recorded no details.';
    case 'interrupted':
      return `This run was interrupted${error ? ` (${error})` : ''}: the app or its trainer exited while it was training. The epochs recorded before that are kept.`;
    default:
      return null;
  }
}
