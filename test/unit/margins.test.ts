/**
 * The trainer's area-under-the-margin recording (core/engine/margins.ts): the margin against a
 * plain-JS reference on the cpu backend, sums kept by dataset index (validation images NaN), and
 * sums that survive a resume (a run stopped after epoch 1 and resumed ends with its
 * uninterrupted twin's sums).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { MarginRecorder, marginRows, NOT_SEEN } from '../../src/core/engine/margins';
import { train } from '../../src/core/engine/train';
import { splitTrainValidation } from '../../src/core/dataset';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { MarginsEvent, TrainerEvent } from '../../src/shared/training';
import { collectEvents, syntheticDataset } from './engine-fixtures';

const dataset = syntheticDataset(600, 100);
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-margins-'));
let backend: SelectedBackend;

beforeAll(async () => {
  backend = await selectBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('marginRows', () => {
  it('is the label logit minus the largest other logit, and names that other class', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      const logits = [
        [2, 5, -1, 0, 0, 0, 0, 0, 0, 0.5],
        [-3, -4, -2, -8, -1, -7, -6, -5, -9, -10],
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      ];
      const labels = [1, 9, 4];
      // Reference written out by hand from the definition.
      const expected = logits.map((row, n) => {
        const others = row.map((v, c) => (c === labels[n] ? -Infinity : v));
        const top = Math.max(...others);
        return { margin: row[labels[n]] - top, other: others.indexOf(top) };
      });
      const rows = tf.tidy(() =>
        marginRows(tf.tensor2d(logits), tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D),
      );
      const values = rows.dataSync();
      rows.dispose();
      expected.forEach(({ margin, other }, n) => {
        expect(values[n]).toBeCloseTo(margin, 5); // float32
        expect(values[3 + n]).toBe(other);
      });
    } finally {
      await tf.setBackend(previous);
    }
  });
});

describe('MarginRecorder', () => {
  it('keeps sums by dataset index, not by position in the shuffled training set', () => {
    const labels = Uint8Array.from([3, 1, 4, 1, 5]);
    // Training set positions 0, 1, 2 are dataset images 4, 0, 2; images 1 and 3 not trained on.
    const recorder = new MarginRecorder(Uint32Array.from([4, 0, 2]), labels);
    recorder.add([2, 0], Float32Array.from([0.5, -2, 7, 8]));
    recorder.add([1], Float32Array.from([1.5, 6]));
    const event = recorder.endEpoch(1);
    expect(Array.from(event.sums)).toEqual([1.5, NaN, 0.5, NaN, -2]);
    expect(Array.from(event.believed)).toEqual([6, NOT_SEEN, 7, NOT_SEEN, 8]);
    expect(Array.from(event.labels)).toEqual([3, 1, 4, 1, 5]);
    expect(event.epochs).toBe(1);
  });
});

const config = (overrides: Partial<Hyperparams> = {}): Hyperparams => ({
  ...PRESETS.seed,
  epochs: 3,
  batchSize: 32,
  learningRate: 0.003,
  validationFraction: 0.1,
  seed: 11,
  ...overrides,
});

async function run(checkpointDir: string, resume = false, stopAfterEpoch?: number) {
  const { events, emit, stopRequested } = collectEvents(stopAfterEpoch);
  await train({ config: config(), dataset, backend, checkpointDir, resume, emit, stopRequested });
  return {
    margins: events.filter((e): e is MarginsEvent => e.type === 'margins'),
    epochs: events.filter((e): e is Extract<TrainerEvent, { type: 'epoch' }> => e.type === 'epoch'),
  };
}

describe('margins during training', () => {
  it('flushes once per completed epoch, NaN for the validation images, positive exactly where right', async () => {
    const { margins, epochs } = await run(path.join(scratch, 'plain'));
    expect(margins.map((m) => [m.epoch, m.epochs])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const { trainIndices } = splitTrainValidation(dataset.train, config());
    const trained = new Set(trainIndices);
    for (let i = 0; i < dataset.train.count; i++) expect(Number.isNaN(margins[2].sums[i])).toBe(!trained.has(i));
    // Independent of the margin code: a margin is positive exactly when the step's argmax was the
    // label, so each epoch's positive margins number its train accuracy × images (±1 for rounding
    // of the differences of sums).
    margins.forEach((m, e) => {
      const before = e > 0 ? margins[e - 1].sums : null;
      const positive = [...trained].filter((i) => m.sums[i] - (before ? before[i] : 0) > 0).length;
      expect(Math.abs(positive - epochs[e].trainAccuracy * trained.size)).toBeLessThanOrEqual(1);
    });
  });

  it('never trains on the images a run leaves out, and says which in its started event', async () => {
    const { trainIndices } = splitTrainValidation(dataset.train, config());
    const validationImage = [...Array(dataset.train.count).keys()].find((i) => !trainIndices.includes(i))!;
    // Two images it would train on and one of its validation images (not trained on anyway).
    const marked = [trainIndices[5], trainIndices[100], validationImage];
    const { events, emit } = collectEvents();
    const leaving = config({ epochs: 1, excludeMarked: 'wrong' });
    await train({ config: leaving, dataset, backend, emit, markedWrong: marked });
    const started = events.find((e) => e.type === 'started')!;
    expect(Array.from(started.leftOut ?? [])).toEqual([trainIndices[5], trainIndices[100]].sort((a, b) => a - b));
    expect(started.trainSize).toBe(trainIndices.length - 2);
    const sums = events.find((e): e is MarginsEvent => e.type === 'margins')!.sums;
    for (const i of marked) expect(Number.isNaN(sums[i])).toBe(true);
    expect(Number.isNaN(sums[trainIndices[6]])).toBe(false);
    // The same marks with the setting off: nothing left out, and no list in the event.
    const off = collectEvents();
    await train({ config: config({ epochs: 1 }), dataset, backend, emit: off.emit, markedWrong: marked });
    const plain = off.events.find((e) => e.type === 'started')!;
    expect(plain.leftOut).toBeUndefined();
    expect(plain.trainSize).toBe(trainIndices.length);
  });

  it('continues the same sums after a resume', async () => {
    const { margins: twin } = await run(path.join(scratch, 'twin'));
    const dir = path.join(scratch, 'resumed');
    const { margins: first } = await run(dir, false, 1);
    expect(first.map((m) => m.epoch)).toEqual([1]);
    const { margins: second } = await run(dir, true);
    expect(second.map((m) => [m.epoch, m.epochs])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    const a = twin[2].sums;
    const b = second[1].sums;
    // The same kernels on the same inputs in the same order (resume.test.ts): equal to 1e-4 logits.
    for (let i = 0; i < a.length; i++) {
      if (Number.isNaN(a[i])) expect(Number.isNaN(b[i])).toBe(true);
      else expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
    }
  });
});
