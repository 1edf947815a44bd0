/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { StudioBridge } from '@shared/procedures';

declare global {
  interface Window {
    /** Exposed by the preload (src/preload/index.ts) through contextBridge. */
    readonly studio: StudioBridge;
  }
}
