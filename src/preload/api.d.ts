import type { Api } from '../shared/api';

declare global {
  interface Window {
    /** Exposed by the preload through contextBridge. */
    readonly api: Api;
  }
}

export {};
