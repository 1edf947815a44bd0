import type { BackendName } from '../../../shared/training';

/** The tfjs backend a trainer runs on, as reported in the `started` event. */
export interface SelectedBackend {
  name: BackendName;
  tfjsVersion: string;
}
