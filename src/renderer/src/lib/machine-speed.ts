/**
 * This machine's measured training speed (main's estimate, the one sweeps use too), for the
 * estimate New run shows before Start. Null when no run has been timed yet.
 */
import type { MachineSpeed } from '@shared/run-estimate';
import type { Result } from '@shared/errors';
import { invoke, settle } from './api';

export type { MachineSpeed };

export function loadMachineSpeed(): Promise<Result<MachineSpeed | null>> {
  return settle(() => invoke('runs:machine-speed'));
}
