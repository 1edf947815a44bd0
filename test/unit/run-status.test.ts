/**
 * A run's status is one state machine (src/core/store/run-status.ts): the store writes only what
 * it allows, and answers each recorded event with the status it now holds, which main sends to the
 * window. Expected statuses here are the documented graph, written out, not read from the module.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextStatus, statusesBefore, type StatusTransition } from '../../src/core/store/run-status';
import { openStore, StoreError } from '../../src/core/store';
import { RUN_STATUSES, type RunStatus } from '../../src/shared/runs';
import { config, epochEvent, startedEvent, tempDir } from './store-fixtures';

/** A dataset identity whose labels are nowhere: the events need none here. */
const NO_LABELS = '0'.repeat(64);

/** The graph as the module's header and the README describe it: transition → (from → to). */
const GRAPH: Record<StatusTransition, [RunStatus[], RunStatus]> = {
  started: [['queued'], 'running'],
  completed: [['queued', 'running'], 'completed'],
  stopped: [['queued', 'running'], 'stopped'],
  diverged: [['queued', 'running'], 'diverged'],
  failed: [['queued', 'running'], 'failed'],
  'owner-gone': [['queued', 'running'], 'interrupted'],
  resume: [['completed', 'stopped', 'diverged', 'failed', 'interrupted'], 'queued'],
};

describe('the run status machine', () => {
  it('allows exactly the documented transitions and refuses every other with a conflict naming the run', () => {
    for (const [transition, [from, to]] of Object.entries(GRAPH) as [StatusTransition, [RunStatus[], RunStatus]][]) {
      expect([...statusesBefore(transition)].sort(), transition).toEqual([...from].sort());
      for (const status of RUN_STATUSES) {
        const run = { id: 7, status };
        if (from.includes(status)) expect(nextStatus(run, transition)).toBe(to);
        else {
          expect(() => nextStatus(run, transition)).toThrow(StoreError);
          expect(() => nextStatus(run, transition)).toThrow(`Run 7 is already ${status}`);
        }
      }
    }
  });

  it('the store answers each event with the status it now holds, and refuses events after the end', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    try {
      const id = store.createRun(config({ epochs: 2 }));
      expect(store.getRun(id).status).toBe('queued');
      expect(store.recordEvent(id, startedEvent(NO_LABELS))).toBe('running');
      expect(store.recordEvent(id, epochEvent(1, 0.6))).toBe('running');
      expect(store.recordEvent(id, { type: 'completed', epochs: 2, reason: 'epochs' })).toBe('completed');
      expect(store.getRun(id).status).toBe('completed');
      expect(() => store.recordEvent(id, startedEvent(NO_LABELS))).toThrow(
        `Run ${id} is already completed; a 'started' event cannot change it.`,
      );
      const queued = store.createRun(config());
      expect(store.recordEvent(queued, { type: 'stopped', epochs: 0 })).toBe('stopped');
    } finally {
      store.close();
    }
  });
});
