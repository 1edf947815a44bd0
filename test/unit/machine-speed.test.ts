/**
 * One machine-speed estimate for every "how long will this take" before a start: New run asks
 * `runs:machine-speed`, a sweep's preview sums the same per-run estimate over its runs.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store/index';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { previewSweep } from '../../src/core/runs/sweep-service';
import { PRESETS } from '../../src/shared/hyperparams';
import { estimateRunSeconds, planOf, speedFromEpochs } from '../../src/shared/run-estimate';
import { tempDir } from './store-fixtures';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = tempDir('machine-speed-');
  store = openStore(join(dir, 'studio.db'), { checkpointRoot: join(dir, 'checkpoints') });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const expectedFor = (id: number) => {
  const run = store.getRun(id);
  return speedFromEpochs(run.epochMetrics, planOf(run.config));
};

describe('latestMachineSpeed', () => {
  it('is null before any run was timed, and a sweep preview then has no estimate', () => {
    expect(store.machineSpeed()).toBeNull();
    seedRun(store, { end: 'running', epochs: 2, evaluations: false });
    expect(store.machineSpeed()).toBeNull();
    const preview = previewSweep(store, { base: PRESETS.quick, vary: [{ flag: 'lr', values: [0.001, 0.01] }] }, 1);
    expect(preview.estimatedSeconds).toBeNull();
  });

  it('takes the latest finished run with timed epochs, skipping running and failed ones', () => {
    const older = seedRun(store, { epochs: 3, evaluations: false, seed: 1 });
    const newer = seedRun(store, { epochs: 2, evaluations: false, seed: 2, end: 'stopped' });
    seedRun(store, { epochs: 2, evaluations: false, seed: 3, end: 'running' });
    seedRun(store, { epochs: 2, evaluations: false, seed: 4, end: 'failed' });
    const speed = store.machineSpeed();
    expect(speed).not.toBeNull();
    expect(speed!.runId).toBe(newer);
    expect(speed).toMatchObject(expectedFor(newer)!);
    expect(speed!.trainImagesPerSec).not.toBe(expectedFor(older)!.trainImagesPerSec);
  });

  it("gives a sweep's preview the sum of New run's per-run estimates, shared among its trainers", () => {
    const id = seedRun(store, { epochs: 3, evaluations: false });
    const speed = expectedFor(id)!;
    const definition = {
      base: { ...PRESETS.quick, epochs: 3 },
      vary: [{ flag: 'batch-size', values: [32, 128] }],
      seeds: 2,
    };
    const perRun = [32, 32, 128, 128].map((batchSize) =>
      estimateRunSeconds(planOf({ ...PRESETS.quick, epochs: 3, batchSize }), speed),
    );
    const preview = previewSweep(store, definition, 2);
    expect(preview.runCount).toBe(4);
    expect(preview.estimatedSeconds).toBeCloseTo(perRun.reduce((a, b) => a + b, 0) / 2, 6);
  });

  it('counts the epochs successive halving is expected to leave: half the runs go on after each rung', () => {
    const id = seedRun(store, { epochs: 3, evaluations: false });
    const speed = expectedFor(id)!;
    const base = { ...PRESETS.quick, epochs: 6 };
    const definition = { base, vary: [{ flag: 'lr', values: [0.001, 0.002, 0.003, 0.004] }] };
    const full = previewSweep(store, definition, 1).estimatedSeconds!;
    const halved = previewSweep(store, { ...definition, halving: { epochs: [2, 4] } }, 1).estimatedSeconds!;
    // Epochs 1–2 by every run, 3–4 by half, 5–6 by a quarter: 3.5 of 6 epochs' time.
    expect(full).toBeCloseTo(4 * estimateRunSeconds(planOf(base), speed), 6);
    expect(halved / full).toBeCloseTo(3.5 / 6, 6);
  });
});
