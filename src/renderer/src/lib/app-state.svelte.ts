/** What main reported about the machine, plus the latest training activity for the status bar. */
import type { AppInfo } from '@shared/api';
import type { RunEvent } from '@shared/training';
import { invoke } from './api';
import { Resource } from './resource.svelte';
import { runEvents } from './run-events';

class AppState {
  readonly #info = new Resource<AppInfo>();
  lastRunEvent = $state<RunEvent | null>(null);

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
    });
  }
}

export const appState = new AppState();
