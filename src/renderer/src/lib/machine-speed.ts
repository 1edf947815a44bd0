/**
 * This machine's measured training speed, from the most recently finished run that recorded a
 * timed epoch (for estimates before Start). Null when no run has been timed yet.
 */
import { planOf, speedFromEpochs, type MeasuredSpeed } from '@shared/run-estimate';
import type { Result } from '@shared/procedures';
import { invokeData, settle } from './api';

export interface MachineSpeed extends MeasuredSpeed {
  /** The run the speed was measured on. */
  runId: number;
  runName: string;
}

export function loadMachineSpeed(): Promise<Result<MachineSpeed | null>> {
  return settle(async () => {
    const { rows } = await invokeData('runs:list', {
      status: ['completed', 'stopped'],
      sort: 'finishedAt',
      direction: 'desc',
      limit: 5,
    });
    for (const row of rows.filter((r) => r.epochsDone > 0)) {
      const run = await invokeData('runs:get', { id: row.id });
      const speed = speedFromEpochs(run.epochMetrics, planOf(run.config));
      if (speed) return { ok: true, data: { ...speed, runId: run.id, runName: run.name } };
    }
    return { ok: true, data: null };
  });
}
