/** Plain-words formatting shared by the panels. Display only: no metric is computed here. */
import type { RunEvent } from '@shared/run-events';
import { countOf } from '@shared/plural';

/** Where `percent` leaves out decimals that would say nothing. */
export interface PercentOptions {
  /** From 99.5% up, "100%" rather than "100.0%" (chart ticks, a prediction's confidence). */
  wholeNearFull?: boolean;
  /** Exactly 0 as "0%" (the shares of a confusion matrix's cells). */
  wholeAtZero?: boolean;
}

/** A fraction as a percentage with `digits` decimals: 0.8941 → "89.4%"; '—' when there is none. */
export function percent(value: number | null | undefined, digits = 1, options: PercentOptions = {}): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const whole = (options.wholeNearFull && value >= 0.995) || (options.wholeAtZero && value === 0);
  return `${(value * 100).toFixed(whole ? 0 : digits)}%`;
}

/** How sure a prediction is, written the same in the gallery and in Inspect: "65.6%", "100%" from 99.5%. */
export function confidence(value: number | null | undefined): string {
  return percent(value, 1, { wholeNearFull: true });
}

/** The sign of a change: '+', '−' (a minus sign, not a hyphen), or '±' for none. */
export function signOf(change: number): string {
  return change > 0 ? '+' : change < 0 ? '−' : '±';
}

/** A change of a fraction in percentage points, signed, without the unit: 0.012 → "+1.2". */
export function points(change: number, digits = 1): string {
  return `${signOf(change)}${Math.abs(change * 100).toFixed(digits)}`;
}

export function fixed(value: number | null | undefined, digits = 4): string {
  return value == null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function integer(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : Math.round(value).toLocaleString('en-US');
}

export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A path's last `segments` parts after "…/" (the separator it uses kept): what tells one folder from
 * another at a glance, where a narrow window cannot show the whole path (the whole goes in a tooltip).
 * "/tmp/x/home/.config/LeNet5 Studio/studio.db" → "…/LeNet5 Studio/studio.db".
 */
export function pathTail(path: string, segments = 2): string {
  const separator = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const parts = path.split(separator).filter((p, i) => p !== '' || i === 0);
  if (parts.length <= segments + 1) return path;
  return `…${separator}${parts.slice(-segments).join(separator)}`;
}

/** One line for the status bar describing a training event. */
export function describeRunEvent({ runId, event }: RunEvent): string {
  const run = `Run #${runId}`;
  switch (event.type) {
    case 'status':
      return `${run}: ${event.message}`;
    case 'started':
      return `${run}: started on ${event.backend} (${integer(event.trainSize)} training images)`;
    case 'batch':
      return `${run}: epoch ${event.epoch}, batch ${event.batch}/${event.batchesPerEpoch}, loss ${fixed(event.loss, 3)}`;
    case 'epoch':
      return `${run}: epoch ${event.epoch} done, test accuracy ${percent(event.testAccuracy)}`;
    case 'evaluation':
      return `${run}: evaluated epoch ${event.epoch} (${event.role})`;
    case 'checkpoint':
      return `${run}: saved ${event.role} checkpoint (epoch ${event.epoch})`;
    case 'lr-point':
      return `${run}: range test batch ${event.step}, learning rate ${event.learningRate.toExponential(1)}, loss ${fixed(event.smoothedLoss, 3)}`;
    case 'lr-range-result':
      return `${run}: range test done, ${event.learningRate === null ? 'no suggestion' : `suggests ${event.learningRate.toPrecision(2)}`}`;
    case 'completed':
      return event.reason === 'range-test'
        ? `${run}: range test completed`
        : `${run}: completed after ${countOf(event.epochs, 'epoch')}`;
    case 'stopped':
      return `${run}: stopped after ${countOf(event.epochs, 'epoch')}`;
    case 'diverged':
      return `${run}: diverged (loss ${event.loss}) at epoch ${event.epoch}, batch ${event.batch}`;
    case 'failed':
      return `${run}: failed — ${event.error}`;
  }
}
