/**
 * The renderer's one subscription to main's training events (`run:event`), fanned out to every
 * part of the window that follows runs: the Runs table, a run's page, Compare, the status bar.
 * The bridge subscription is opened with the first listener and closed with the last.
 */
import type { RunEvent } from '@shared/run-events';
import { subscribe } from './api';

export { isFinalEvent } from '@shared/training';

export type RunEventListener = (event: RunEvent) => void;

class RunEvents {
  readonly #listeners = new Set<RunEventListener>();
  #unsubscribe: (() => void) | null = null;

  /** Every run's events; returns the unsubscribe function. */
  listen(listener: RunEventListener): () => void {
    // A wrapper per call, so the same function can be subscribed twice and removed once.
    const entry: RunEventListener = (e) => listener(e);
    this.#listeners.add(entry);
    this.#unsubscribe ??= subscribe('run:event', (e) => this.#dispatch(e));
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size === 0 && this.#unsubscribe) {
        this.#unsubscribe();
        this.#unsubscribe = null;
      }
    };
  }

  /** The events of the given runs only. */
  listenTo(runIds: number | readonly number[], listener: RunEventListener): () => void {
    const ids = typeof runIds === 'number' ? [runIds] : runIds;
    return this.listen((e) => {
      if (ids.includes(e.runId)) listener(e);
    });
  }

  #dispatch(event: RunEvent): void {
    // A copy: a listener may unsubscribe (or subscribe another) while the event is handed out.
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        // One broken listener must not starve the others; the error is still reported.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

export const runEvents = new RunEvents();
