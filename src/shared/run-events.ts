/**
 * What the window receives about a run: each trainer event without its 10,000-row arrays, and what
 * main stored because of it (the run's status among it: the window shows that status, it never
 * works one out from event types).
 */
import type { BatchPoint, EpochMetrics, RunStatus, RunSummary } from './runs';
import { isFinalEvent, type TrainerEvent } from './training';

/** Events after which the run's stored row (status, best and final figures) has changed. */
export function changesRunRow(event: { type: string }): boolean {
  return event.type === 'started' || event.type === 'epoch' || event.type === 'evaluation' || isFinalEvent(event);
}

/** What the renderer receives: the event without the 10,000-row arrays. */
export type RunEventPayload =
  | Exclude<TrainerEvent, { type: 'evaluation' | 'started' | 'snapshot' | 'margins' }>
  | (Omit<Extract<TrainerEvent, { type: 'started' }>, 'testLabels' | 'leftOut'> & {
      /** With `excludeMarked`: how many training images the run left out (which: the run's detail). */
      leftOutCount?: number;
    })
  | (Omit<Extract<TrainerEvent, { type: 'evaluation' }>, 'predicted' | 'probabilities'> & {
      type: 'evaluation';
    });

/**
 * What main stored for an event, sent with it so the window can append and patch instead of
 * asking again. Absent when the store could not record the event, and with progress text
 * (`status` events), which is not stored.
 */
export interface StoredDelta {
  /** The run's status once the event is stored (core/store/run-status.ts is the one machine). */
  status: RunStatus;
  /** The run's row after the event: status, best and final figures, epochs done. */
  summary?: RunSummary;
  /** With `epoch`: the epoch's row as stored. */
  epochRow?: EpochMetrics;
  /** With `batch`: the point, numbered from the start of the run. */
  batchPoint?: BatchPoint;
}

/** A batch event as a point of the run's loss curve, numbered from the start of the run. */
export function batchPointOf(event: Extract<TrainerEvent, { type: 'batch' }>): BatchPoint {
  const { epoch, batch, batchesPerEpoch, loss, accuracy } = event;
  return { step: (epoch - 1) * batchesPerEpoch + batch, epoch, batch, loss, accuracy, samples: 1 };
}

/** An epoch event as the epoch's row (the store keeps exactly these fields). */
export function epochRowOf(event: Extract<TrainerEvent, { type: 'epoch' }>): EpochMetrics {
  const { type: _type, ...row } = event;
  return row;
}

export interface RunEvent {
  runId: number;
  event: RunEventPayload;
  stored?: StoredDelta;
}
