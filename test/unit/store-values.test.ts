/**
 * A metric's last, best or at-epoch value per run as the store answers it (`runs:values`, the
 * export's `--value`), and range tests kept out of comparisons and reports with a clear refusal.
 * Expected figures are the ones recorded below, read off by hand.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError, type Store } from '../../src/core/store/index';
import { collectReport } from '../../src/core/report/report-data';
import { PRESETS } from '../../src/shared/hyperparams';
import { config, epochEvent, tempDir } from './store-fixtures';

let store: Store;
afterEach(() => store?.close());

/** Run 1: test accuracy 0.6, 0.8, 0.7 over three epochs (best at 2); run 2: one epoch at 0.5; run 3: none. */
function database(): number[] {
  store = openStore(join(tempDir(), 'studio.db'));
  const a = store.createRun(config(), { name: 'three epochs' });
  [0.6, 0.8, 0.7].forEach((acc, i) => store.recordEvent(a, epochEvent(i + 1, acc)));
  const b = store.createRun(config(), { name: 'one epoch' });
  store.recordEvent(b, epochEvent(1, 0.5));
  const c = store.createRun(config(), { name: 'queued' });
  return [a, b, c];
}

describe('runs:values', () => {
  it('last, best and at an epoch, each with the epoch it comes from; a missing value says why', () => {
    const [a, b, c] = database();
    const ids = [a, b, c];
    expect(store.runValues({ ids, metric: 'testAccuracy', value: 'last' }).map((v) => v.shown)).toEqual([
      { value: 0.7, epoch: 3 },
      { value: 0.5, epoch: 1 },
      { value: null, why: 'No epoch recorded yet' },
    ]);
    expect(store.runValues({ ids: [a], metric: 'testAccuracy', value: 'best' })[0].shown).toEqual({
      value: 0.8,
      epoch: 2,
    });
    // The fixture's test loss is 1.2 / epoch: lowest at the last epoch.
    expect(store.runValues({ ids: [a], metric: 'testLoss', value: 'best' })[0].shown).toEqual({
      value: 1.2 / 3,
      epoch: 3,
    });
    const at2 = store.runValues({ ids: [a, b], metric: 'testAccuracy', value: 'epoch:2' });
    expect(at2).toEqual([
      { runId: a, shown: { value: 0.8, epoch: 2 } },
      { runId: b, shown: { value: null, why: 'Did not reach epoch 2: its last epoch is 1' } },
    ]);
  });

  it('refuses a bad choice, an unknown metric and a missing run, naming what is wrong', () => {
    const [a] = database();
    expect(() => store.runValues({ ids: [a], metric: 'testAccuracy', value: 'epoch:0' })).toThrow(
      /"epoch:0" is not a value to show/,
    );
    expect(() => store.runValues({ ids: [a], metric: 'seconds' as 'testAccuracy', value: 'last' })).toThrow(
      /metric: must be one of testAccuracy/,
    );
    expect(() => store.runValues({ ids: [a, 99], metric: 'testAccuracy', value: 'last' })).toThrow(
      /Run 99 does not exist/,
    );
  });
});

describe('range tests and comparisons', () => {
  it('Compare refuses a range test, naming it and where to look instead', () => {
    const [a, b] = database();
    const test = store.createLrRangeTest(structuredClone(PRESETS.seed), { steps: 50 });
    expect(store.compareRuns([a, b]).runs).toHaveLength(2);
    let refusal: unknown;
    try {
      store.compareRuns([a, test]);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StoreError);
    expect((refusal as StoreError).code).toBe('invalid-input');
    expect((refusal as StoreError).message).toBe(
      `Run #${test} is a learning-rate range test, not a training run: it is left out of every comparison. ` +
        'Open it on its own page for its curve and suggested learning rate.',
    );
  });

  it('a report refuses a range test the same way, before reading any image', async () => {
    const [a] = database();
    const test = store.createLrRangeTest(structuredClone(PRESETS.seed), { steps: 50 });
    const images = () => Promise.reject(new Error('no image should be read'));
    await expect(collectReport(store, [a, test], images)).rejects.toThrow(
      `Run #${test} is a learning-rate range test, not a training run: it is left out of every report.`,
    );
  });
});
