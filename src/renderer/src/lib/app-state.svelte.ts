/** What main reported about the machine, plus the latest training activity for the status bar. */
import type { AppInfo } from '../../../shared/api';
import type { RunEvent } from '../../../shared/training';
import { api } from './api';

class AppState {
  info = $state<AppInfo | null>(null);
  infoError = $state<string | null>(null);
  lastRunEvent = $state<RunEvent | null>(null);

  async load(): Promise<void> {
    const result = await api.app.info();
    if (result.ok) {
      this.info = result.data;
      this.infoError = null;
    } else {
      this.infoError = result.error.message;
    }
  }

  /** Subscribes to main's training events; returns the unsubscribe function. */
  listen(): () => void {
    return api.onRunEvent((event) => {
      this.lastRunEvent = event;
    });
  }
}

export const appState = new AppState();
