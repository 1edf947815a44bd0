/**
 * A run that leaves out the images the user marked "label is wrong" (hyperparameter
 * `excludeMarked`, migration 008): the marks handed to its trainer, what it left out recorded from
 * its `started` event and kept when the marks change, a resume given exactly that, Compare's
 * "left out" row, older stored configurations, and bad input.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store';
import { forRenderer, markedWrongFor } from '../../src/core/runs/run-service';
import { leftOutLine } from '../../src/cli/train';
import { marksOnFile } from '../../src/core/trainer/run-trainer';
import { parseHyperparams } from '../../src/shared/hyperparams';
import type { MarginsEvent, TrainerEvent } from '../../src/shared/training';
import { config, datasetIdentity, makeLabels, startedEvent, tempDir, TEST_SIZE } from './store-fixtures';

const COUNT = 20;
const labels = Uint8Array.from({ length: COUNT }, (_, i) => i % 10);
const margins: MarginsEvent = {
  type: 'margins',
  epoch: 1,
  epochs: 1,
  sums: Float32Array.from({ length: COUNT }, (_, i) => 10 - i),
  believed: Uint8Array.from(labels, (l) => (l + 1) % 10),
  labels,
};

type Started = Extract<TrainerEvent, { type: 'started' }>;

/** A run started on the fixtures' training file (or the one whose images hash to `imagesSha`). */
function startRun(store: Store, opts: { leftOut?: number[]; imagesSha?: string; exclude?: boolean } = {}): number {
  const id = store.createRun(config({ excludeMarked: opts.exclude === false ? 'none' : 'wrong' }));
  const event = startedEvent(makeLabels(TEST_SIZE).sha256) as Started;
  if (opts.imagesSha) event.dataset.sha256['train-images-idx3-ubyte'] = opts.imagesSha;
  if (opts.leftOut) event.leftOut = Uint32Array.from(opts.leftOut);
  store.recordEvent(id, event);
  store.recordEvent(id, margins);
  return id;
}

const FILE = datasetIdentity('x').sha256;

describe('leaving out images marked wrong', () => {
  it('hands the trainer the wrong marks per training file, and the trainer keeps its own file’s', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const audited = startRun(store, { exclude: false });
    const other = startRun(store, { exclude: false, imagesSha: 'f'.repeat(64) });
    store.markImage({ runId: audited, imageIndex: 12, mark: 'wrong' });
    store.markImage({ runId: audited, imageIndex: 3, mark: 'wrong' });
    store.markImage({ runId: audited, imageIndex: 7, mark: 'ambiguous' });
    store.markImage({ runId: audited, imageIndex: 8, mark: 'fine' });
    store.markImage({ runId: other, imageIndex: 5, mark: 'wrong' });
    const marks = store.markedWrongByFile();
    expect(marks).toHaveLength(2);
    const mine = { imagesSha256: FILE['train-images-idx3-ubyte'], labelsSha256: FILE['train-labels-idx1-ubyte'] };
    expect(marks).toContainEqual({ ...mine, indices: [3, 12] });
    expect(marks).toContainEqual({ ...mine, imagesSha256: 'f'.repeat(64), indices: [5] });
    // The trainer loaded the fixtures' file: only its marks apply; a file with none, nothing.
    expect(marksOnFile(marks, datasetIdentity('x'))).toEqual([3, 12]);
    const unmarked = datasetIdentity('x');
    unmarked.sha256['train-labels-idx1-ubyte'] = 'e'.repeat(64);
    expect(marksOnFile(marks, unmarked)).toEqual([]);
    expect(marksOnFile(undefined, unmarked)).toEqual([]);
    store.close();
  });

  it('records what a run left out, keeps it when the marks change, and a resume gets exactly that', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const audited = startRun(store, { exclude: false });
    store.markImage({ runId: audited, imageIndex: 12, mark: 'wrong' });
    store.markImage({ runId: audited, imageIndex: 3, mark: 'wrong' });
    const run = startRun(store, { leftOut: [12, 3] });
    expect(store.getRun(run).leftOut).toEqual({ count: 2, indices: [3, 12] });
    expect(store.getRun(audited).leftOut).toBeNull();

    // The user changes their mind afterwards: the run's record does not move.
    store.markImage({ runId: audited, imageIndex: 12, mark: null });
    store.markImage({ runId: audited, imageIndex: 15, mark: 'wrong' });
    expect(store.getRun(run).leftOut).toEqual({ count: 2, indices: [3, 12] });
    const recorded = { imagesSha256: FILE['train-images-idx3-ubyte'], labelsSha256: FILE['train-labels-idx1-ubyte'] };
    // A resume leaves out what it left out; a new start the marks as they now are.
    expect(markedWrongFor(store, run, true)).toEqual([{ ...recorded, indices: [3, 12] }]);
    expect(markedWrongFor(store, run, false)).toEqual([{ ...recorded, indices: [3, 15] }]);
    // A run stopped before it started recorded nothing: its resume takes the marks.
    const queued = store.createRun(config({ excludeMarked: 'wrong' }));
    expect(markedWrongFor(store, queued, true)).toEqual([{ ...recorded, indices: [3, 15] }]);

    // Deleting the run deletes its record, not the marks.
    store.recordEvent(run, { type: 'stopped', epochs: 1 });
    store.deleteRun(run);
    const db = new Database(store.path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM run_left_out').pluck().get()).toBe(0);
    db.close();
    expect(store.imagesMarkedWrong(audited)).toEqual([3, 15]);
    store.close();
  });

  it('Compare shows how many images each run left out, beside the setting', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const plain = startRun(store, { exclude: false });
    const without = startRun(store, { leftOut: [3, 12, 19] });
    const result = store.compareRuns([plain, without]);
    const keys = result.config.map((f) => f.key);
    expect(keys.indexOf('leftOut')).toBe(keys.indexOf('excludeMarked') + 1);
    expect(result.config.find((f) => f.key === 'leftOut')).toEqual({
      key: 'leftOut',
      values: [0, 3],
      used: [true, true],
      differs: true,
    });
    expect(result.config.find((f) => f.key === 'excludeMarked')).toMatchObject({
      values: ['none', 'wrong'],
      differs: true,
    });
    store.close();
  });

  it('reads a configuration stored before the setting existed as leaving nothing out', () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'studio.db'));
    const now = startRun(store, { exclude: false });
    const old = startRun(store, { exclude: false });
    const { excludeMarked: _gone, ...older } = config();
    const db = new Database(store.path);
    db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(older), old);
    db.close();
    const parsed = parseHyperparams(older);
    expect(parsed.ok && parsed.data.excludeMarked).toBe('none');
    const field = store.compareRuns([now, old]).config.find((f) => f.key === 'excludeMarked');
    expect(field).toMatchObject({ values: ['none', 'none'], differs: false });
    store.close();
  });

  it('tells the window and the CLI how many were left out, not which', () => {
    const event = { ...(startedEvent(makeLabels(TEST_SIZE).sha256) as Started), leftOut: Uint32Array.of(3, 12) };
    const sent = forRenderer(event);
    expect(sent).toMatchObject({ type: 'started', leftOutCount: 2 });
    expect(sent).not.toHaveProperty('leftOut');
    expect(sent).not.toHaveProperty('testLabels');
    expect(forRenderer({ ...event, leftOut: undefined })).not.toHaveProperty('leftOutCount');
    expect(leftOutLine(undefined)).toBe('');
    expect(leftOutLine(0)).toMatch(/leaving out no image: none of its training images is marked wrong/);
    expect(leftOutLine(1)).toMatch(/leaving out the 1 training image marked wrong in the label audit/);
    expect(leftOutLine(37)).toMatch(/the 37 training images marked wrong/);
  });

  it('refuses a left-out list that is not training-file indices, and a started event without its file', () => {
    const store = openStore(join(tempDir(), 'studio.db'));
    const id = store.createRun(config({ excludeMarked: 'wrong' }));
    const event = startedEvent(makeLabels(TEST_SIZE).sha256) as Started;
    expect(() => store.recordEvent(id, { ...event, leftOut: [1.5] as unknown as Uint32Array })).toThrow(
      /must be training-file indices/,
    );
    const noFile = structuredClone(event);
    delete (noFile.dataset.sha256 as Partial<typeof noFile.dataset.sha256>)['train-images-idx3-ubyte'];
    expect(() => store.recordEvent(id, { ...noFile, leftOut: Uint32Array.of(1) })).toThrow(/name its training file/);
    // Nothing was half-written: the run is still queued, with no record.
    expect(store.getRun(id)).toMatchObject({ status: 'queued', leftOut: null });
    store.close();
  });
});
