/**
 * The path every run takes in the app and the CLI: RunService → real trainer process → store.
 * Covers the faults the run store must survive with the real trainer: SIGKILL mid-epoch, a stop
 * request, and queueing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { RunEvent } from '../../src/shared/run-events';
import { RunService } from '../../src/core/runs/run-service';
import { openStore, type Store } from '../../src/core/store';
import { TrainerSupervisor } from '../../src/core/trainer/supervisor';

const small = (over: Partial<Hyperparams> = {}): Hyperparams => ({ ...PRESETS.quick, trainSubset: 1500, ...over });

describe('RunService with a real trainer and store', () => {
  let dir: string;
  let store: Store;
  let supervisor: TrainerSupervisor;
  let service: RunService;
  const published: RunEvent[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lenet-runservice-'));
    store = openStore(join(dir, 'studio.db'));
    supervisor = new TrainerSupervisor();
    service = new RunService({
      store,
      supervisor,
      checkpointRoot: join(dir, 'checkpoints'),
      cacheDir: join(dir, 'cache'),
      dataDir: () => undefined,
      batchEvery: 5,
      publish: (e) => published.push(e),
    });
  });
  afterAll(async () => {
    await service.shutdown();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a trainer killed with SIGKILL mid-epoch ends the run failed, keeps its epochs, and the database stays sound', async () => {
    const run = service.start({ config: small({ epochs: 50 }), name: 'to be killed' });
    // Wait for a completed epoch, then for batches of the next one: "mid-epoch".
    await waitFor(() => published.some((e) => e.runId === run.id && e.event.type === 'epoch'));
    await waitFor(() => published.some((e) => e.runId === run.id && e.event.type === 'batch' && e.event.epoch === 2));
    const pid = supervisor.pidOf(run.id);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const end = await service.whenFinished(run.id);
    expect(end).toMatchObject({ type: 'failed' });
    expect(end.type === 'failed' && end.error).toMatch(/SIGKILL/);
    const detail = store.getRun(run.id);
    expect(detail.status).toBe('failed');
    expect(detail.error).toMatch(/SIGKILL/);
    expect(detail.epochMetrics.length).toBeGreaterThanOrEqual(1);
    expect(detail.epochMetrics[0]).toMatchObject({ epoch: 1 });
    expect(store.integrityCheck()).toBe('ok');
  });

  it('queues runs one at a time and stops a queued run before it starts', async () => {
    const first = service.start({ config: small({ epochs: 1 }) });
    const second = service.start({ config: small({ epochs: 1 }) });
    expect(store.getRun(second.id).status).toBe('queued');
    service.stop(second.id);
    expect(store.getRun(second.id).status).toBe('stopped');
    expect(await service.whenFinished(first.id)).toMatchObject({ type: 'completed' });
    expect(store.getRun(first.id)).toMatchObject({ status: 'completed', epochsDone: 1 });
    // The renderer never receives the 10,000-row arrays.
    const evaluation = published.find((e) => e.runId === first.id && e.event.type === 'evaluation');
    expect(evaluation?.event).not.toHaveProperty('predicted');
    expect(evaluation?.event).not.toHaveProperty('probabilities');
    expect(published.find((e) => e.runId === first.id && e.event.type === 'started')?.event).not.toHaveProperty(
      'testLabels',
    );
  });

  it('publishes what it stored with each event: the run row, the epoch row, the numbered batch point', async () => {
    const run = service.start({ config: small({ epochs: 2 }) });
    await service.whenFinished(run.id);
    const events = published.filter((e) => e.runId === run.id);
    const detail = store.getRun(run.id);
    const epochs = events.filter((e) => e.event.type === 'epoch');
    expect(epochs.map((e) => e.stored?.epochRow)).toEqual(detail.epochMetrics);
    // The last epoch's row summary carries the best/final figures the store computed.
    expect(epochs.at(-1)?.stored?.summary).toMatchObject({
      id: run.id,
      status: 'running',
      epochsDone: 2,
      bestEpoch: detail.bestEpoch,
      bestTestAccuracy: detail.bestTestAccuracy,
    });
    expect(events.at(-1)?.stored?.summary).toMatchObject({ status: 'completed', finishedAt: detail.finishedAt });
    expect(events.find((e) => e.event.type === 'started')?.stored?.summary?.status).toBe('running');
    const batches = events.filter((e) => e.event.type === 'batch');
    for (const { event, stored } of batches) {
      if (event.type !== 'batch') continue;
      expect(stored?.batchPoint).toMatchObject({ epoch: event.epoch, batch: event.batch, loss: event.loss });
      expect(stored?.batchPoint?.step).toBe((event.epoch - 1) * event.batchesPerEpoch + event.batch);
    }
    expect(batches.length).toBeGreaterThan(0);
    // Progress text changes nothing stored.
    expect(events.filter((e) => e.event.type === 'status').every((e) => e.stored === undefined)).toBe(true);
  });

  it('sends the status the store holds with every stored event, the same the store then answers', () => {
    const runIds = [...new Set(published.map((e) => e.runId))];
    expect(runIds.length).toBeGreaterThanOrEqual(3); // the killed, the stopped-while-queued, the completed
    for (const id of runIds) {
      const stored = published.filter((e) => e.runId === id && e.stored).map((e) => e.stored!.status);
      const final = store.getRun(id).status;
      // Every event before the last finds the run training; the last carries the status it ended in.
      expect(stored.at(-1), `run ${id}`).toBe(final);
      expect(new Set(stored.slice(0, -1)), `run ${id}`).toEqual(new Set(stored.length > 1 ? ['running'] : []));
    }
    // Progress text is not stored, so it carries no status.
    expect(published.filter((e) => e.event.type === 'status').every((e) => e.stored === undefined)).toBe(true);
  });

  it('refuses to stop a run that is not training, and an unknown run', async () => {
    const { rows } = store.listRuns({ status: 'completed' });
    expect(() => service.stop(rows[0]!.id)).toThrow(/is not training \(it is completed\)/);
    expect(() => service.stop(99_999)).toThrow(/99999/);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
