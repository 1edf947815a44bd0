import type { BackendName } from '../../../shared/training';

/** The tfjs backend a trainer runs on, as reported in the `started` event. */
export interface SelectedBackend {
  name: BackendName;
  tfjsVersion: string;
  /** Threads the backend computes with (wasm: XNNPACK's pool; 1 on cpu; tensorflow: its own). */
  threads: number;
}
