import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_POINTS, openStore, StoreError } from '../../src/core/store/index';
import type { Store } from '../../src/core/store/index';
import { PRESETS } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';
import {
  config,
  datasetFolderWithLabels,
  epochEvent,
  evaluationEvent,
  makeLabels,
  startedEvent,
  tempDir,
} from './store-fixtures';

const SYSTEM_LABELS = '/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz';

function fresh(): { store: Store; file: string } {
  const file = join(tempDir(), 'studio.db');
  return { store: openStore(file), file };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return (error as StoreError).code;
  }
  return 'no error';
}

describe('createRun', () => {
  it('stores a queued run owned by this process with a readable default name', () => {
    const { store, file } = fresh();
    const id = store.createRun(structuredClone(PRESETS.seed), {
      tags: ['baseline', ' paper ', 'baseline'],
      notes: 'first try',
    });
    const run = store.getRun(id);
    expect(run).toMatchObject({
      id,
      name: 'seed',
      status: 'queued',
      preset: 'seed',
      optimizer: 'adam',
      learningRate: PRESETS.seed.learningRate,
      batchSize: PRESETS.seed.batchSize,
      epochs: PRESETS.seed.epochs,
      seed: 42,
      convActivation: 'sigmoid',
      pooling: 'avg',
      tags: ['baseline', 'paper'],
      notes: 'first try',
      epochsDone: 0,
    });
    expect(run.config).toEqual(PRESETS.seed);
    const custom = store.createRun(config({ learningRate: 0.0123 }));
    expect(store.getRun(custom)).toMatchObject({ name: 'custom', preset: null });
    expect(store.getRun(store.createRun(config(), { name: 'mine', preset: 'modern' }))).toMatchObject({
      name: 'mine',
      preset: 'modern',
    });
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT owner_pid, owner_host IS NOT NULL AS host FROM runs WHERE id = ?').get(id)).toEqual({
      owner_pid: process.pid,
      host: 1,
    });
    db.close();
  });

  it('refuses an invalid configuration with the schema’s words', () => {
    const { store } = fresh();
    expect(() => store.createRun({ ...config(), learningRate: -1 })).toThrow(/learningRate: must be > 0/);
    expect(codeOf(() => store.createRun({ ...config(), learningRate: -1 }))).toBe('invalid-input');
    expect(codeOf(() => store.createRun(config(), { tags: 'nope' as unknown as string[] }))).toBe('invalid-input');
    store.close();
  });
});

describe('recordEvent', () => {
  it('follows a run from started to completed, keeping metrics, best/final accuracy and checkpoints', () => {
    const { store } = fresh();
    const { labels, sha256 } = makeLabels();
    const id = store.createRun(config({ epochs: 3 }));
    store.recordEvent(id, { type: 'status', message: 'loading data' });
    store.recordEvent(id, startedEvent(sha256, { epochs: 3 }));
    let run = store.getRun(id);
    expect(run).toMatchObject({
      status: 'running',
      backend: 'wasm',
      tfjsVersion: '4.22.0',
      datasetOfficial: true,
      trainSize: 5400,
      testSize: 10000,
      batchesPerEpoch: 169,
      parameterCount: 61706,
    });
    expect(run.startedAt).toBeGreaterThan(0);
    expect(run.dataset?.sha256['t10k-labels-idx1-ubyte']).toBe(sha256);

    // Validation picks the best epoch (2), not the test accuracy (3 is higher on test).
    store.recordEvent(id, epochEvent(1, 0.7, 0.71));
    store.recordEvent(id, epochEvent(2, 0.8, 0.84));
    store.recordEvent(id, epochEvent(3, 0.82, 0.83));
    store.recordEvent(
      id,
      evaluationEvent('best', 2, labels, (i) => i % 5 === 0),
    );
    store.recordEvent(
      id,
      evaluationEvent('final', 3, labels, (i) => i % 6 === 0),
    );
    store.recordEvent(id, { type: 'checkpoint', epoch: 2, role: 'best', path: '/tmp/ck/run-1/best' });
    store.recordEvent(id, { type: 'checkpoint', epoch: 3, role: 'last', path: 'file:///tmp/ck/run-1/last' });
    store.recordEvent(id, { type: 'completed', epochs: 3, reason: 'epochs' });

    run = store.getRun(id);
    expect(run).toMatchObject({
      status: 'completed',
      bestEpoch: 2,
      bestTestAccuracy: 0.8,
      finalTestAccuracy: 0.82,
      epochsDone: 3,
      endReason: 'epochs',
      error: null,
    });
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt!);
    expect(run.epochMetrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
    expect(run.epochMetrics[1]).toEqual({
      epoch: 2,
      trainLoss: 0.5,
      trainAccuracy: 0.81,
      validationLoss: 0.55,
      validationAccuracy: 0.84,
      testLoss: 0.6,
      testAccuracy: 0.8,
      learningRate: 0.005,
      seconds: 3.5,
      imagesPerSec: 1700,
    });
    expect(run.evaluations.map((e) => [e.role, e.epoch, e.hasPredictions])).toEqual([
      ['best', 2, true],
      ['final', 3, true],
    ]);
    expect(run.evaluations[0].accuracy).toBeCloseTo(0.8, 5);
    expect(run.evaluations[0].confusion).toHaveLength(100);
    expect(run.evaluations[0]).not.toHaveProperty('predicted');
    expect(run.checkpoints.map((c) => [c.role, c.epoch, c.path])).toEqual([
      ['best', 2, '/tmp/ck/run-1/best'],
      ['last', 3, '/tmp/ck/run-1/last'],
    ]);
    store.close();
  });

  it('replaces an older best evaluation and its predictions in place', () => {
    const { store } = fresh();
    const { labels, sha256 } = makeLabels();
    const id = store.createRun(config());
    store.recordEvent(id, { ...startedEvent(sha256), testLabels: labels } as TrainerEvent);
    store.recordEvent(
      id,
      evaluationEvent('best', 1, labels, () => true),
    );
    store.recordEvent(
      id,
      evaluationEvent('best', 2, labels, () => false),
    );
    const run = store.getRun(id);
    expect(run.evaluations).toHaveLength(1);
    expect(run.evaluations[0]).toMatchObject({ epoch: 2, accuracy: 1 });
    expect(store.predictions({ runId: id, role: 'best', correct: false }).total).toBe(0);
    store.close();
  });

  it('records diverged, stopped and failed runs with their reason', () => {
    const { store } = fresh();
    const diverged = store.createRun(config());
    store.recordEvent(diverged, epochEvent(1, 0.5));
    store.recordEvent(diverged, { type: 'diverged', epoch: 2, batch: 17, loss: Number.NaN });
    expect(store.getRun(diverged)).toMatchObject({
      status: 'diverged',
      error: 'loss became NaN at epoch 2 batch 17',
      epochsDone: 1,
    });

    const stopped = store.createRun(config());
    store.recordEvent(stopped, { type: 'stopped', epochs: 0 });
    expect(store.getRun(stopped)).toMatchObject({ status: 'stopped', error: null });

    const failed = store.createRun(config());
    store.recordEvent(failed, { type: 'failed', error: 'dataset folder vanished' });
    expect(store.getRun(failed)).toMatchObject({ status: 'failed', error: 'dataset folder vanished' });
    store.close();
  });

  it('refuses a second final event or a restart of a finished run (conflict), and unknown runs (not-found)', () => {
    const { store } = fresh();
    const { sha256 } = makeLabels();
    const id = store.createRun(config());
    store.recordEvent(id, { type: 'completed', epochs: 2, reason: 'epochs' });
    expect(codeOf(() => store.recordEvent(id, { type: 'failed', error: 'late' }))).toBe('conflict');
    expect(codeOf(() => store.recordEvent(id, startedEvent(sha256)))).toBe('conflict');
    expect(store.getRun(id).status).toBe('completed');
    expect(codeOf(() => store.recordEvent(999, epochEvent(1, 0.5)))).toBe('not-found');
    expect(
      codeOf(() =>
        store.recordEvent(999, {
          type: 'batch',
          epoch: 1,
          batch: 1,
          batchesPerEpoch: 10,
          loss: 1,
          accuracy: 0,
          imagesPerSec: 1,
        }),
      ),
    ).toBe('not-found');
    expect(codeOf(() => store.recordEvent(-1, epochEvent(1, 0.5)))).toBe('invalid-input');
    expect(codeOf(() => store.recordEvent(id, { type: 'bogus' } as never))).toBe('invalid-input');
    expect(codeOf(() => store.recordEvent(id, { ...epochEvent(1, 0.5), epoch: 0 } as never))).toBe('invalid-input');
    const ev = evaluationEvent('final', 1, makeLabels().labels, () => false);
    expect(codeOf(() => store.recordEvent(id, { ...ev, probabilities: new Float32Array(5) }))).toBe('invalid-input');
    expect(codeOf(() => store.recordEvent(id, { ...ev, confusion: [1, 2, 3] }))).toBe('invalid-input');
    store.close();
  });

  it('keeps at most 2,000 batch points per run, each the mean of its slice, deterministically', () => {
    const { store } = fresh();
    const epochs = 200;
    const batchesPerEpoch = 100; // 20,000 planned batches → slices of 10
    const record = (id: number, every: number) => {
      for (let e = 1; e <= epochs; e++) {
        for (let b = every; b <= batchesPerEpoch; b += every) {
          const step = (e - 1) * batchesPerEpoch + b;
          store.recordEvent(id, {
            type: 'batch',
            epoch: e,
            batch: b,
            batchesPerEpoch,
            loss: step,
            accuracy: 0.5,
            imagesPerSec: 1,
          });
        }
      }
    };
    const a = store.createRun(config({ epochs }));
    const b = store.createRun(config({ epochs }));
    record(a, 1);
    record(b, 1);
    const pointsA = store.getRun(a).batches;
    expect(pointsA).toHaveLength(MAX_BATCH_POINTS);
    expect(pointsA[0]).toEqual({ step: 1, epoch: 1, batch: 1, loss: 5.5, accuracy: 0.5, samples: 10 }); // mean of steps 1..10
    expect(pointsA[MAX_BATCH_POINTS - 1]).toMatchObject({ step: 19_991, epoch: 200, batch: 91, loss: 19_995.5 });
    expect(store.getRun(b).batches).toEqual(pointsA);

    // A trainer reporting every 7th batch still lands in ≤ 2,000 slices.
    const c = store.createRun(config({ epochs }));
    record(c, 7);
    const pointsC = store.getRun(c).batches;
    expect(pointsC.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(pointsC.reduce((n, p) => n + p.samples, 0)).toBe(epochs * Math.floor(batchesPerEpoch / 7));

    // Short runs keep every batch.
    const d = store.createRun(config({ epochs: 2 }));
    for (let batch = 1; batch <= 30; batch++)
      store.recordEvent(d, {
        type: 'batch',
        epoch: 1,
        batch,
        batchesPerEpoch: 30,
        loss: 1,
        accuracy: 0,
        imagesPerSec: 1,
      });
    expect(store.getRun(d).batches).toHaveLength(30);
    store.close();
  });

  it('reads test labels from the dataset folder named in the started event, checking their SHA-256', () => {
    const { store } = fresh();
    const { labels, sha256, idx } = makeLabels();
    const dir = datasetFolderWithLabels(idx);
    const id = store.createRun(config());
    store.recordEvent(id, startedEvent(sha256, { dir }));
    store.recordEvent(
      id,
      evaluationEvent('final', 2, labels, (i) => i < 100),
    );
    expect(store.predictions({ runId: id, role: 'final', correct: false }).total).toBe(100);

    // A folder whose labels do not hash to the identity is ignored: no labels, class filters refused.
    const other = makeLabels(10_000);
    const id2 = store.createRun(config());
    store.recordEvent(id2, startedEvent('f'.repeat(64), { dir }));
    store.recordEvent(
      id2,
      evaluationEvent('final', 2, other.labels, () => false),
    );
    const page = store.predictions({ runId: id2, role: 'final', limit: 3 });
    expect(page.labels).toBe(false);
    expect(page.rows[0].trueClass).toBeNull();
    expect(codeOf(() => store.predictions({ runId: id2, role: 'final', correct: false }))).toBe('invalid-input');
    store.close();
  });

  it.skipIf(!existsSync(SYSTEM_LABELS))(
    'reads the official FashionMNIST test labels from the system dataset folder',
    () => {
      const idx = gunzipSync(readFileSync(SYSTEM_LABELS));
      const sha = createHash('sha256').update(idx).digest('hex');
      const { store } = fresh();
      const id = store.createRun(config());
      store.recordEvent(id, startedEvent(sha, { dir: dirname(SYSTEM_LABELS) }));
      const truth = idx.subarray(8);
      store.recordEvent(
        id,
        evaluationEvent('final', 1, truth, () => false),
      );
      const page = store.predictions({ runId: id, role: 'final', limit: 5 });
      expect(page.labels).toBe(true);
      expect(page.rows.map((r) => r.trueClass)).toEqual([...truth.subarray(0, 5)]);
      expect(store.predictions({ runId: id, role: 'final', trueClass: 9 }).total).toBe(1000);
      store.close();
    },
  );

  it('accepts test labels only when they match the labels file hash', () => {
    const { store } = fresh();
    const { labels, sha256 } = makeLabels();
    expect(codeOf(() => store.saveTestLabels('0'.repeat(64), labels))).toBe('invalid-input');
    // Mismatched labels in a started event are dropped; the run still starts.
    const id = store.createRun(config());
    store.recordEvent(id, { ...startedEvent('0'.repeat(64)), testLabels: labels } as TrainerEvent);
    expect(store.getRun(id).status).toBe('running');
    store.saveTestLabels(sha256, labels);
    store.saveTestLabels(sha256, labels); // idempotent
    store.close();
  });

  it('writes each event in its own transaction (a failed event leaves the earlier ones intact)', () => {
    const { store } = fresh();
    const id = store.createRun(config());
    store.recordEvent(id, epochEvent(1, 0.5));
    expect(() =>
      store.recordEvent(id, {
        ...evaluationEvent('final', 1, makeLabels().labels, () => false),
        predicted: new Uint8Array(10_000).fill(12),
      }),
    ).toThrow(/not 0–9/);
    const run = store.getRun(id);
    expect(run.epochMetrics).toHaveLength(1);
    expect(run.evaluations).toHaveLength(0);
    store.close();
  });
});
