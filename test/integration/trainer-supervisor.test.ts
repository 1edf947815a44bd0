/**
 * Real trainer processes (child_process.fork of src/core/trainer/process.ts under tsx) on the real
 * FashionMNIST files, driven through TrainerSupervisor: a short run learns, stop, divergence,
 * a killed trainer, and a dataset error. One supervisor for the whole file: it must keep working
 * after a trainer died.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainerSupervisor, type StartOptions } from '../../src/core/trainer/supervisor';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';
import { RELU_MAX_RECIPE } from '../support/networks';

const SYSTEM_DATA = '/usr/share/datasets/fashion-mnist';
const haveData = existsSync(path.join(SYSTEM_DATA, 'train-images-idx3-ubyte.gz'));
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-trainer-'));
const supervisor = new TrainerSupervisor({ exitGraceMs: 2_000, stopTimeoutMs: 20_000 });
let nextRunId = 1;

afterAll(async () => {
  await supervisor.stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

const FINAL = new Set(['completed', 'stopped', 'diverged', 'failed']);

/** Start a run; resolve with all its events once a final one arrives. */
function startRun(
  config: Hyperparams,
  extra: Partial<StartOptions> = {},
  onEvent?: (event: TrainerEvent, runId: number) => void,
): { runId: number; done: Promise<TrainerEvent[]> } {
  const runId = nextRunId++;
  const events: TrainerEvent[] = [];
  const done = new Promise<TrainerEvent[]>((resolve) => {
    supervisor.start(runId, { config, backend: 'wasm', batchEvery: 5, ...extra }, (event) => {
      events.push(event);
      onEvent?.(event, runId);
      if (FINAL.has(event.type)) resolve(events);
    });
  });
  return { runId, done };
}

const quick = (overrides: Partial<Hyperparams> = {}): Hyperparams => ({
  ...RELU_MAX_RECIPE,
  epochs: 1,
  batchSize: 32,
  learningRate: 0.003,
  lrSchedule: 'constant',
  trainSubset: 2000,
  ...overrides,
});

describe.skipIf(!haveData)('trainer process (real FashionMNIST)', () => {
  it('a short run on 2,000 images learns well above chance, with typed arrays intact', async () => {
    const checkpointDir = path.join(scratch, 'learns');
    const events = await startRun(quick(), { checkpointDir }).done;
    const final = events.at(-1)!;
    expect(final).toEqual({ type: 'completed', epochs: 1, reason: 'epochs' });

    const started = events.find((e) => e.type === 'started');
    expect(started).toMatchObject({ type: 'started', backend: 'wasm', trainSize: 2000, testSize: 10_000 });
    expect(started?.type === 'started' && started.dataset.official).toBe(true);
    expect(started?.type === 'started' && started.testLabels).toBeInstanceOf(Uint8Array);

    const epoch = events.find((e) => e.type === 'epoch');
    expect(epoch?.type === 'epoch' && epoch.testAccuracy).toBeGreaterThan(0.5);

    const evaluation = events.find((e) => e.type === 'evaluation' && e.role === 'final');
    if (evaluation?.type !== 'evaluation') throw new Error('no final evaluation');
    expect(evaluation.predicted).toBeInstanceOf(Uint8Array);
    expect(evaluation.predicted.length).toBe(10_000);
    expect(evaluation.probabilities).toBeInstanceOf(Float32Array);
    expect(evaluation.probabilities.length).toBe(100_000);

    expect(existsSync(path.join(checkpointDir, 'best', 'model.json'))).toBe(true);
    expect(existsSync(path.join(checkpointDir, 'last', 'weights.bin'))).toBe(true);
  });

  it('stop mid-run: the trainer finishes its batch and reports `stopped`', async () => {
    let stopAsked = false;
    const { done } = startRun(quick({ epochs: 5, trainSubset: 20_000 }), {}, (event, runId) => {
      if (event.type === 'batch' && !stopAsked) {
        stopAsked = true;
        expect(supervisor.stop(runId)).toBe(true);
      }
    });
    const events = await done;
    expect(events.at(-1)).toEqual({ type: 'stopped', epochs: 0 });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(0);
    // Stopped right after the first reported batch: far fewer batches than an epoch.
    expect(events.filter((e) => e.type === 'batch').length).toBeLessThanOrEqual(2);
  });

  it('a divergent config ends `diverged` with its epoch and batch', async () => {
    const events = await startRun({
      ...PRESETS.seed,
      optimizer: 'sgd',
      learningRate: 10,
      batchSize: 32,
      epochs: 2,
      trainSubset: 2000,
    }).done;
    const final = events.at(-1)!;
    expect(final.type).toBe('diverged');
    if (final.type !== 'diverged') return;
    expect(final.epoch).toBe(1);
    expect(final.batch).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(final.loss)).toBe(false);
  });

  it('SIGKILL of a trainer yields `failed` naming the signal, and the supervisor keeps working', async () => {
    let killed = false;
    const { done } = startRun(quick({ epochs: 5, trainSubset: 20_000 }), {}, (event, runId) => {
      if (event.type === 'batch' && !killed) {
        killed = true;
        process.kill(supervisor.pidOf(runId)!, 'SIGKILL');
      }
    });
    const events = await done;
    const final = events.at(-1)!;
    expect(final.type).toBe('failed');
    expect(final.type === 'failed' && final.error).toMatch(/SIGKILL/);

    const next = await startRun(quick({ trainSubset: 500 })).done;
    expect(next.at(-1)).toMatchObject({ type: 'completed' });
    expect(supervisor.runningIds).toEqual([]);
  });

  it('a dataset error ends `failed` with the file named', async () => {
    const dataDir = path.join(scratch, 'broken-data');
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir);
    for (const name of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      symlinkSync(path.join(SYSTEM_DATA, `${name}.gz`), path.join(dataDir, `${name}.gz`));
    }
    writeFileSync(path.join(dataDir, 'train-labels-idx1-ubyte'), Buffer.from('this is not an IDX file'));
    const events = await startRun(quick(), { dataDir }).done;
    const final = events.at(-1)!;
    expect(final.type).toBe('failed');
    expect(final.type === 'failed' && final.error).toMatch(/train-labels-idx1-ubyte/);
  });
});
