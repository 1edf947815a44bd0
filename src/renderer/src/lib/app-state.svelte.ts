/** What main reported about the machine, plus the latest training activity for the status bar. */
import type { AppInfo } from '@shared/api';
import { isFinalStatus, type RunStatus } from '@shared/runs';
import { type RunEvent } from '@shared/run-events';
import { invoke } from './api';
import { Resource } from './resource.svelte';
import { runEvents } from './run-events';

class AppState {
  readonly #info = new Resource<AppInfo>();
  lastRunEvent = $state<RunEvent | null>(null);
  /**
   * The run of the latest training event, unless main stored an ended status for it (a run with no
   * status stored yet counts as still going); null otherwise.
   */
  latestActiveRun = $state<number | null>(null);
  /** Runs stored as `running` and the backend each trains on (how it was chosen), in start order. */
  trainingBackends = $state<{ runId: number; backend: string }[]>([]);
  /** Each run's status as main last stored it with one of its events. */
  readonly #statuses = new Map<number, RunStatus>();
  /** The backend each run's `started` event named. */
  readonly #backends = new Map<number, string>();

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
    return runEvents.listen((e) => {
      const { runId, event, stored } = e;
      if (event.type === 'started') this.#backends.set(runId, event.backendChoice ?? event.backend);
      // An event the store could not record leaves the run's status as it was.
      if (stored) this.#statuses.set(runId, stored.status);
      const status = this.#statuses.get(runId);
      this.lastRunEvent = e;
      this.latestActiveRun = status && isFinalStatus(status) ? null : runId;
      if (stored) this.#followTraining(runId, stored.status);
    });
  }

  /** A run is listed while its stored status is `running` and its backend is known. */
  #followTraining(runId: number, status: RunStatus): void {
    const backend = this.#backends.get(runId);
    const listed = this.trainingBackends.find((t) => t.runId === runId);
    const others = this.trainingBackends.filter((t) => t.runId !== runId);
    if (status === 'running' && backend !== undefined) {
      if (listed?.backend !== backend) this.trainingBackends = [...others, { runId, backend }];
    } else if (listed) {
      this.trainingBackends = others;
    }
  }
}

export const appState = new AppState();
