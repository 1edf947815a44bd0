/**
 * A run's status, as one state machine. Every status the store writes comes from `nextStatus`, and
 * main sends the stored status with each event (`StoredDelta.status`), so no other part of the
 * studio (the window least of all) works a status out again from event types.
 *
 *   (created) ──────────────────────────────▶ queued
 *   queued ──started──▶ running
 *   queued, running ──completed | stopped | diverged | failed──▶ that status
 *   queued, running ──owner-gone (its process ended; found on open)──▶ interrupted
 *   any final status ──resume (continue or extend: core/runs/resume-policy.ts says which)──▶ queued
 *
 * Any other trainer event (batch, epoch, evaluation, …) leaves the status as it is.
 */
import { ACTIVE_STATUSES, FINAL_STATUSES, type RunStatus } from '../../shared/runs';
import type { FinalStatus } from '../../shared/training';
import { StoreError } from './errors';

export const INITIAL_STATUS: RunStatus = 'queued';

/** What moves a run from one status to another. */
export type StatusTransition = 'started' | FinalStatus | 'owner-gone' | 'resume';

/** The statuses each transition may start from, and where it leads. */
const TRANSITIONS: Record<StatusTransition, { from: readonly RunStatus[]; to: RunStatus }> = {
  started: { from: ['queued'], to: 'running' },
  completed: { from: ACTIVE_STATUSES, to: 'completed' },
  stopped: { from: ACTIVE_STATUSES, to: 'stopped' },
  diverged: { from: ACTIVE_STATUSES, to: 'diverged' },
  failed: { from: ACTIVE_STATUSES, to: 'failed' },
  'owner-gone': { from: ACTIVE_STATUSES, to: 'interrupted' },
  resume: { from: FINAL_STATUSES, to: 'queued' },
};

/** The statuses `transition` may start from (the SQL that finds such runs uses this list). */
export function statusesBefore(transition: StatusTransition): readonly RunStatus[] {
  return TRANSITIONS[transition].from;
}

/** The status after `transition`; a 'conflict' StoreError when the run's status does not allow it. */
export function nextStatus(run: { id: number; status: RunStatus }, transition: StatusTransition): RunStatus {
  const { from, to } = TRANSITIONS[transition];
  if (!from.includes(run.status)) {
    const what = transition === 'resume' || transition === 'owner-gone' ? transition : `'${transition}' event`;
    throw new StoreError('conflict', `Run ${run.id} is already ${run.status}; a ${what} cannot change it.`);
  }
  return to;
}
