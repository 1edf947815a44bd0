/**
 * Successive halving on the real data with real trainer processes: a sweep of 4 quick runs
 * (2,000 training images, 3 epochs, halve at epoch 1, two trainers at once). Two learning rates
 * learn and two (1e-5) barely move, so whatever order the runs reach epoch 1 in, each slow one
 * meets two better runs there and is pruned; the runs that go on complete all 3 epochs. A pruned
 * run keeps its reason and checkpoints and can be resumed by hand, without being judged again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prunedAtEpoch } from '../../src/shared/halving';
import { PRESETS } from '../../src/shared/hyperparams';
import type { TrainerCommand } from '../../src/shared/training';
import type { RunService } from '../../src/core/runs/run-service';
import type { Store } from '../../src/core/store';
import { startSweep } from '../../src/core/runs/sweep-service';
import { forkTrainerProcess, TrainerSupervisor } from '../../src/core/trainer/supervisor';
import { openRunService } from '../support/run-service';

describe('a sweep with successive halving, real trainers', () => {
  let dir: string;
  let store: Store;
  let service: RunService;
  const starts: Extract<TrainerCommand, { type: 'start' }>[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lenet-sweep-halving-'));
    const supervisor = new TrainerSupervisor({
      forkTrainer: () => {
        const handle = forkTrainerProcess();
        const postMessage = (c: TrainerCommand): void => {
          if (c.type === 'start') starts.push(c);
          handle.postMessage(c);
        };
        return { ...handle, postMessage, pid: handle.pid };
      },
    });
    ({ store, service } = openRunService(dir, { supervisor }));
  });
  afterAll(async () => {
    await service.shutdown();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prunes the worse runs at epoch 1 (1 epoch stored) while the others complete 3; a pruned run resumes by hand', async () => {
    const base = { ...PRESETS.quick, epochs: 3, trainSubset: 2000, validationFraction: 0.1 };
    const lrs = [0.003, 0.002, 0.00001, 0.000011];
    const sweep = startSweep(
      store,
      service,
      { definition: { base, vary: [{ flag: 'lr', values: lrs }], parallel: 2, halving: { epochs: [1] } } },
      1,
    );
    expect(sweep.definition.halving).toEqual({ epochs: [1] });
    await Promise.all(sweep.runIds.map((id) => service.whenFinished(id)));
    expect(starts.map((c) => c.verdictAfterEpochs)).toEqual([[1], [1], [1], [1]]);

    const runs = sweep.runIds.map((id) => store.getRun(id));
    for (const run of runs) {
      const rung = prunedAtEpoch(run.endReason);
      if (rung !== null) {
        expect(run).toMatchObject({ status: 'stopped', endReason: 'pruned by successive halving at epoch 1' });
        expect(run.epochMetrics.map((e) => e.epoch)).toEqual([1]);
        expect(run.evaluations.find((e) => e.role === 'final')?.epoch).toBe(1);
        expect(run.checkpoints.find((c) => c.role === 'last')?.epoch).toBe(1);
      } else {
        expect(run).toMatchObject({ status: 'completed', endReason: 'epochs', epochsDone: 3 });
        expect(run.epochMetrics.map((e) => e.epoch)).toEqual([1, 2, 3]);
      }
    }
    const byLr = new Map(runs.map((r) => [r.config.learningRate, r]));
    // Each slow run reached epoch 1 after both fast ones had (it waited for a free slot).
    for (const slow of [0.00001, 0.000011]) expect(prunedAtEpoch(byLr.get(slow)!.endReason)).toBe(1);
    expect(runs.filter((r) => r.status === 'completed').length).toBeGreaterThanOrEqual(1);
    // The sweep as Runs reads it carries the reason on its runs' summaries.
    const detail = store.getSweep(sweep.id);
    expect(detail.runs.filter((r) => prunedAtEpoch(r.endReason) === 1).length).toBeGreaterThanOrEqual(2);

    // Resume by hand: it continues from its epoch-1 checkpoint to the end, judged by nobody.
    const pruned = byLr.get(0.00001)!;
    service.resume(pruned.id);
    expect(await service.whenFinished(pruned.id)).toMatchObject({ type: 'completed', epochs: 3 });
    expect(starts.at(-1)).toMatchObject({ resume: true });
    expect(starts.at(-1)?.verdictAfterEpochs).toBeUndefined();
    const resumed = store.getRun(pruned.id);
    expect(resumed).toMatchObject({ status: 'completed', endReason: 'epochs' });
    expect(resumed.epochMetrics.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });
});
