/**
 * A RunService over a fresh store in `dir` with real trainer processes, as integration tests use
 * it (main's wiring without Electron): checkpoints and cache under `dir`, data from the usual
 * search order.
 */
import { join } from 'node:path';
import { RunService, type RunServiceOptions } from '../../src/core/runs/run-service';
import { openStore } from '../../src/core/store';
import { TrainerSupervisor } from '../../src/core/trainer/supervisor';

export function openRunService(
  dir: string,
  options: Partial<Pick<RunServiceOptions, 'supervisor' | 'concurrency' | 'batchEvery' | 'publish'>> = {},
) {
  const store = openStore(join(dir, 'studio.db'));
  const service = new RunService({
    store,
    supervisor: options.supervisor ?? new TrainerSupervisor(),
    checkpointRoot: join(dir, 'checkpoints'),
    cacheDir: join(dir, 'cache'),
    dataDir: () => undefined,
    batchEvery: options.batchEvery ?? 10,
    concurrency: options.concurrency ?? 1,
    publish: options.publish ?? (() => {}),
  });
  return { store, service };
}
