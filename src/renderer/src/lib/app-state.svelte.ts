/** What main reported about the machine, plus the latest training activity for the status bar. */
import type { AppInfo } from '@shared/api';
import { isFinalEvent } from '@shared/training';
import { type RunEvent } from '@shared/run-events';
import { invoke } from './api';
import { Resource } from './resource.svelte';
import { runEvents } from './run-events';

class AppState {
  readonly #info = new Resource<AppInfo>();
  lastRunEvent = $state<RunEvent | null>(null);
  /** Runs training now and the backend each trains on (how it was chosen), in start order. */
  trainingBackends = $state<{ runId: number; backend: string }[]>([]);

  get info(): AppInfo | null {
    return this.#info.current ?? null;
  }

  get infoError(): string | null {
    return this.#info.error?.message ?? null;
  }

  async load(): Promise<void> {
    await this.#info.fetch(() => invoke('app:info'));
  }

  /** Follows main's training events; returns the unsubscribe function. */
  listen(): () => void {
    return runEvents.listen((event) => {
      this.lastRunEvent = event;
      const others = this.trainingBackends.filter((t) => t.runId !== event.runId);
      if (event.event.type === 'started') {
        const { backend, backendChoice } = event.event;
        this.trainingBackends = [...others, { runId: event.runId, backend: backendChoice ?? backend }];
      } else if (isFinalEvent(event.event)) {
        this.trainingBackends = others;
      }
    });
  }
}

export const appState = new AppState();
