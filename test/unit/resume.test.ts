/**
 * Resume on the wasm backend with a small synthetic dataset: a seeded run stopped after epoch 1
 * and resumed continues exactly as its uninterrupted twin (train loss equal to 1e-5), and
 * checkpoints that cannot be resumed from are refused with the reason, before anything is loaded.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { train } from '../../src/core/engine/train';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import { TRAINING_STATE_JSON } from '../../src/shared/resume';
import type { TrainerEvent } from '../../src/shared/training';
import { collectEvents, syntheticDataset } from './engine-fixtures';

let backend: SelectedBackend;
const dataset = syntheticDataset(600, 200);
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-resume-'));

beforeAll(async () => {
  backend = await selectBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const base = (overrides: Partial<Hyperparams> = {}): Hyperparams => ({
  ...PRESETS.seed,
  epochs: 3,
  batchSize: 32,
  lrSchedule: 'cosine',
  validationFraction: 0.1,
  seed: 7,
  ...overrides,
});

async function trainRun(config: Hyperparams, checkpointDir: string, resume = false, stopAfterEpoch?: number) {
  const { events, emit, stopRequested } = collectEvents(stopAfterEpoch);
  const final = await train({ config, dataset, backend, checkpointDir, resume, emit, stopRequested });
  const epochs = events.filter((e): e is Extract<TrainerEvent, { type: 'epoch' }> => e.type === 'epoch');
  return { final, epochs, events };
}

describe.each(['adam', 'momentum'] as const)('resume with %s', (optimizer) => {
  it('continues a run stopped after epoch 1 exactly as its uninterrupted twin', async () => {
    const config = base({ optimizer, learningRate: optimizer === 'adam' ? 0.003 : 0.05 });
    const beforeTwin = tf.memory().numTensors;
    const twin = await trainRun(config, path.join(scratch, `${optimizer}-twin`));
    // tfjs's MomentumOptimizer.dispose leaves its learning-rate scalar behind; resuming adds nothing to that.
    const twinLeak = tf.memory().numTensors - beforeTwin;
    expect(twin.final.type).toBe('completed');

    const dir = path.join(scratch, `${optimizer}-resumed`);
    const first = await trainRun(config, dir, false, 1);
    expect(first.final).toEqual({ type: 'stopped', epochs: 1 });
    const tensorsBefore = tf.memory().numTensors;
    const second = await trainRun(config, dir, true);
    expect(tf.memory().numTensors - tensorsBefore).toBe(twinLeak);
    expect(second.final).toEqual({ type: 'completed', epochs: 3, reason: 'epochs' });
    expect(second.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    for (const e of second.epochs) {
      const same = twin.epochs[e.epoch - 1];
      // Tolerance 1e-5 on the mean train loss: the same kernels on the same inputs in the same order.
      expect(Math.abs(e.trainLoss - same.trainLoss)).toBeLessThan(1e-5);
      expect(e.learningRate).toBe(same.learningRate);
      expect(e.testAccuracy).toBeCloseTo(same.testAccuracy, 6);
    }
  });
});

describe('resume with augmentation and label smoothing', () => {
  it('draws the same shifts and flips after a resume as the uninterrupted twin, and they change training', async () => {
    const config = base({ learningRate: 0.003, augmentShift: 2, augmentFlip: 'horizontal', labelSmoothing: 0.1 });
    const twin = await trainRun(config, path.join(scratch, 'augment-twin'));
    const plain = await trainRun(base({ learningRate: 0.003, labelSmoothing: 0.1 }), path.join(scratch, 'plain'));
    // The augmented batches are other images: the first epoch's loss is not the plain run's (by
    // far more than the 1e-5 that separates equal runs below).
    expect(Math.abs(twin.epochs[0].trainLoss - plain.epochs[0].trainLoss)).toBeGreaterThan(1e-4);

    const dir = path.join(scratch, 'augment-resumed');
    await trainRun(config, dir, false, 1);
    const second = await trainRun(config, dir, true);
    expect(second.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    for (const e of second.epochs) {
      // Same tolerance as above: the same augmentations in the same order give the same losses.
      expect(Math.abs(e.trainLoss - twin.epochs[e.epoch - 1].trainLoss)).toBeLessThan(1e-5);
      expect(e.testAccuracy).toBeCloseTo(twin.epochs[e.epoch - 1].testAccuracy, 6);
    }
  });
});

describe('resume refusals', () => {
  it('refuses a checkpoint without optimizer state, and one from another configuration, naming why', async () => {
    const config = base({ epochs: 2 });
    const dir = path.join(scratch, 'refusals');
    await trainRun(config, dir, false, 1);

    await expect(trainRun({ ...config, learningRate: 0.01 }, dir, true)).rejects.toThrow(
      /saved by another configuration than this run's/,
    );
    const statePath = path.join(dir, 'last', TRAINING_STATE_JSON);
    const saved = readFileSync(statePath, 'utf8');
    rmSync(statePath);
    await expect(trainRun(config, dir, true)).rejects.toThrow(/has no optimizer state/);
    writeFileSync(statePath, saved.replace('"format":1', '"format":99'));
    await expect(trainRun(config, dir, true)).rejects.toThrow(/unreadable or from another version/);
  });
});
