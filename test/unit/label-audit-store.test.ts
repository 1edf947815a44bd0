/**
 * The label audit's storage and its bad-input answers (migration 006, store/label-audit.ts): the
 * ranked list from stored margins, a run recorded before margins existed, a run stopped before its
 * first epoch, a run trained on a subset, marks that outlive their run and marks on a dataset
 * folder whose files changed since.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store';
import type { MarginsEvent, TrainerEvent } from '../../src/shared/training';
import { config, epochEvent, makeLabels, startedEvent, tempDir, TEST_SIZE } from './store-fixtures';

const COUNT = 20;
const labelsOfTraining = Uint8Array.from({ length: COUNT }, (_, i) => i % 10);

/** Margins over 2 epochs: image i has sum `sums[i]` (NaN = not trained on), believed (label+1)%10. */
function marginsEvent(sums: number[]): MarginsEvent {
  return {
    type: 'margins',
    epoch: 2,
    epochs: 2,
    sums: Float32Array.from(sums),
    believed: Uint8Array.from(labelsOfTraining, (l) => (l + 1) % 10),
    labels: labelsOfTraining.slice(),
  };
}

function started(store: Store, opts: { trainImagesSha?: string; dir?: string } = {}): number {
  const { sha256 } = makeLabels(TEST_SIZE);
  const id = store.createRun(config());
  const event = startedEvent(sha256, { dir: opts.dir ?? '/data/fashion' }) as Extract<
    TrainerEvent,
    { type: 'started' }
  >;
  if (opts.trainImagesSha) event.dataset.sha256['train-images-idx3-ubyte'] = opts.trainImagesSha;
  store.recordEvent(id, event);
  return id;
}

/** Sums: image i gets 10 − i, so images 11… are negative and the lowest is the last. */
const falling = Array.from({ length: COUNT }, (_, i) => 10 - i);

describe('label audit store', () => {
  it('ranks the trained images lowest AUM first, with given and believed class, filtered by a pair', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const id = started(store);
    store.recordEvent(id, epochEvent(1, 0.5));
    store.recordEvent(id, marginsEvent(falling));
    const audit = store.audit({ runId: id, top: 3 });
    expect(audit.state).toBe('ready');
    expect(audit.entries.map((e) => e.index)).toEqual([19, 18, 17]);
    expect(audit.entries[0]).toMatchObject({ given: 9, believed: 0, aum: -4.5, mark: null });
    expect(audit.entries[0].reason).toMatch(
      /T-shirt\/top led its label Ankle boot by 4\.50 logits on average over 2 epochs/,
    );
    expect(audit.covered).toBe(COUNT);
    expect(audit.message).not.toMatch(/covers only/);
    // Pair Sandal (5) ↔ Shirt (6): image 5 and 15 are Sandals believed Shirt.
    const pair = store.audit({ runId: id, pair: [6, 5], top: 10 });
    expect(pair.entries.map((e) => e.index)).toEqual([15, 5]);
  });

  it('says so for a run recorded before margins existed, and for one stopped before its first epoch', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const old = started(store);
    store.recordEvent(old, epochEvent(1, 0.5)); // an epoch, but no margins event: an older trainer
    const before = store.audit({ runId: old });
    expect(before.state).toBe('not-recorded');
    expect(before.message).toMatch(
      /recorded before .* per-image margins.*Compute its final network's margins from its last checkpoint, or start a run from its settings/,
    );
    const early = started(store);
    store.recordEvent(early, { type: 'stopped', epochs: 0 });
    const none = store.audit({ runId: early });
    expect(none.state).toBe('no-epoch');
    expect(none.message).toMatch(/no completed epoch/);
    expect(none.entries).toEqual([]);
  });

  it('covers only the images a subset run trained on, and says so', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const id = started(store);
    const sums = falling.map((v, i) => (i % 4 === 0 ? NaN : v));
    store.recordEvent(id, marginsEvent(sums));
    const audit = store.audit({ runId: id, top: COUNT });
    expect(audit.covered).toBe(15);
    expect(audit.entries.map((e) => e.index).every((i) => i % 4 !== 0)).toBe(true);
    expect(audit.message).toMatch(/covers only the 15 of 20 training images this run trained on/);
  });

  it('keeps marks when their run is deleted, and keeps but sets apart marks on a changed folder', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'studio.db'));
    const first = started(store);
    store.recordEvent(first, marginsEvent(falling));
    store.markImage({ runId: first, imageIndex: 19, mark: 'wrong' });
    store.markImage({ runId: first, imageIndex: 18, mark: 'ambiguous' });
    store.markImage({ runId: first, imageIndex: 17, mark: 'wrong' });
    store.markImage({ runId: first, imageIndex: 17, mark: null }); // cleared
    expect(store.audit({ runId: first, top: 2 }).entries.map((e) => e.mark)).toEqual(['wrong', 'ambiguous']);
    expect(store.imagesMarkedWrong(first)).toEqual([19]);

    // Another run on the same files sees the marks after the first run is deleted.
    const second = started(store);
    store.recordEvent(second, marginsEvent(falling));
    store.recordEvent(first, { type: 'stopped', epochs: 2 });
    store.deleteRun(first);
    expect(store.imagesMarkedWrong(second)).toEqual([19]);

    // The folder's images changed: its old marks are not shown on the new images, but kept.
    const changed = started(store, { trainImagesSha: 'f'.repeat(64) });
    store.recordEvent(changed, marginsEvent(falling));
    const audit = store.audit({ runId: changed, top: 2 });
    expect(audit.entries.map((e) => e.mark)).toEqual([null, null]);
    expect(audit.staleMarks).toBe(2);
    expect(audit.message).toMatch(/2 marks were made on this folder when its files were different: kept/);
    expect(store.imagesMarkedWrong(changed)).toEqual([]);
    store.close();
    const reopened = openStore(join(dir, 'studio.db'));
    expect(reopened.imagesMarkedWrong(second)).toEqual([19]);
    reopened.close();
  });

  it('lists the training runs for the picker with the epochs their margins cover, and counts marks wrong', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const audited = started(store);
    store.recordEvent(audited, marginsEvent(falling));
    const old = started(store);
    store.recordEvent(old, epochEvent(1, 0.5)); // an epoch but no margins: an older trainer
    const early = started(store);
    store.recordEvent(early, { type: 'stopped', epochs: 0 });
    const rangeTest = store.createLrRangeTest(config(), {});
    const listed = store.auditableRuns();
    expect(listed.map((r) => r.id)).toEqual([early, old, audited]); // newest first, no range test
    expect(listed.map((r) => r.id)).not.toContain(rangeTest);
    expect(listed.find((r) => r.id === audited)).toMatchObject({ marginEpochs: 2 });
    expect(listed.find((r) => r.id === old)).toMatchObject({ marginEpochs: null, epochsDone: 1 });
    expect(listed.find((r) => r.id === early)).toMatchObject({ marginEpochs: null, epochsDone: 0, status: 'stopped' });

    expect(store.audit({ runId: audited }).markedWrong).toBe(0);
    store.markImage({ runId: audited, imageIndex: 19, mark: 'wrong' });
    store.markImage({ runId: audited, imageIndex: 18, mark: 'wrong' });
    store.markImage({ runId: audited, imageIndex: 17, mark: 'ambiguous' });
    expect(store.audit({ runId: audited }).markedWrong).toBe(2);
    // The same training file: the marks count for every run on it, with or without margins.
    expect(store.audit({ runId: old })).toMatchObject({ state: 'not-recorded', markedWrong: 2 });
  });

  it('refuses bad marks and bad queries with the reason', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const id = started(store);
    store.recordEvent(id, marginsEvent(falling));
    expect(() => store.markImage({ runId: id, imageIndex: 5, mark: 'maybe' })).toThrow(/mark/);
    expect(() => store.markImage({ runId: id, imageIndex: COUNT, mark: 'wrong' })).toThrow(
      /Image 20 is not in run \d+'s training file/,
    );
    expect(() => store.audit({ runId: id, pair: [3, 3] })).toThrow(/two different classes/);
    expect(() => store.audit({ runId: 999 })).toThrow(/999/);
    expect(() => store.recordEvent(id, { ...marginsEvent(falling), believed: new Uint8Array(3) })).toThrow(
      /one length/,
    );
  });
});
