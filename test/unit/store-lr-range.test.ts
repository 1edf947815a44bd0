/** Range tests in the store (migration 007): their own kind, their curve, kept out of the runs list. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError, type Store } from '../../src/core/store/index';
import { PRESETS } from '../../src/shared/hyperparams';
import { makeLabels, startedEvent, tempDir } from './store-fixtures';

let store: Store;
afterEach(() => store?.close());

function open(): Store {
  store = openStore(join(tempDir(), 'studio.db'));
  return store;
}

describe('learning-rate range tests in the store', () => {
  it('records a range test as its own kind, hidden from the default list, with its points and outcome', () => {
    open();
    const runId = store.createRun(structuredClone(PRESETS.seed));
    const testId = store.createLrRangeTest(structuredClone(PRESETS.seed), { steps: 50 });
    expect(store.listRuns({}).rows.map((r) => r.id)).toEqual([runId]);
    expect(store.listRuns({ kind: 'lr-range-test' }).rows.map((r) => r.id)).toEqual([testId]);
    expect(store.listRuns({ kind: 'all' }).total).toBe(2);
    expect(store.lrRangeSettings(testId)).toEqual({ minLr: 1e-6, maxLr: 1, steps: 50 });
    expect(store.lrRangeSettings(runId)).toBeNull();

    store.recordEvent(testId, startedEvent(makeLabels().sha256));
    store.recordEvent(testId, { type: 'lr-point', step: 1, learningRate: 1e-6, loss: 2.3, smoothedLoss: 2.3 });
    store.recordEvent(testId, { type: 'lr-point', step: 2, learningRate: 2e-6, loss: 2.2, smoothedLoss: 2.25 });
    store.recordEvent(testId, {
      type: 'lr-range-result',
      learningRate: 2e-6,
      rule: 'steepest descent',
      minLossLearningRate: 2e-6,
      stopReason: 'diverged',
      steps: 2,
    });
    expect(store.recordEvent(testId, { type: 'completed', epochs: 0, reason: 'range-test' })).toBe('completed');
    const detail = store.lrRange(testId);
    expect(detail.points.map((p) => p.smoothedLoss)).toEqual([2.3, 2.25]);
    expect(detail).toMatchObject({ learningRate: 2e-6, stopReason: 'diverged', settings: { steps: 50 } });

    store.deleteRun(testId);
    expect(store.listRuns({ kind: 'all' }).total).toBe(1);
  });

  it('refuses a range whose lowest rate is not below its highest, a non-finite point, and asking a training run for its curve', () => {
    open();
    expect(() => store.createLrRangeTest(structuredClone(PRESETS.seed), { minLr: 1, maxLr: 0.1 })).toThrow(
      /lowest learning rate \(1\) must be below its highest \(0\.1\)/,
    );
    expect(store.listRuns({ kind: 'all' }).total).toBe(0);
    const testId = store.createLrRangeTest(structuredClone(PRESETS.seed), {});
    expect(() =>
      store.recordEvent(testId, { type: 'lr-point', step: 1, learningRate: 1e-6, loss: Number.NaN, smoothedLoss: 1 }),
    ).toThrow(/loss must be a finite number/);
    const runId = store.createRun(structuredClone(PRESETS.seed));
    expect(() => store.lrRange(runId)).toThrow(StoreError);
    expect(() => store.lrRange(runId)).toThrow(/is a training run, not a learning-rate range test/);
  });
});
