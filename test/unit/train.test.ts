/**
 * The training loop on the wasm backend with a small synthetic dataset: event order and content,
 * reproducibility, tensor hygiene, stopping, early stopping, divergence, checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { loadCheckpoint } from '../../src/core/engine/checkpoint';
import { train, type TrainOptions } from '../../src/core/engine/train';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';
import { syntheticDataset } from './engine-fixtures';
import { RELU_MAX_RECIPE } from '../support/networks';

let backend: SelectedBackend;
const dataset = syntheticDataset(1200, 300);
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-train-'));

beforeAll(async () => {
  backend = await selectBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function config(overrides: Partial<Hyperparams> = {}): Hyperparams {
  return {
    ...RELU_MAX_RECIPE,
    epochs: 2,
    batchSize: 32,
    learningRate: 0.003,
    lrSchedule: 'constant',
    validationFraction: 0.1,
    trainSubset: 0,
    ...overrides,
  };
}

async function run(overrides: Partial<Hyperparams> = {}, extra: Partial<TrainOptions> = {}) {
  const events: TrainerEvent[] = [];
  const final = await train({
    config: config(overrides),
    dataset,
    backend,
    emit: (e) => events.push(e),
    ...extra,
  });
  return { events, final };
}

const ofType = <T extends TrainerEvent['type']>(events: TrainerEvent[], type: T) =>
  events.filter((e): e is Extract<TrainerEvent, { type: T }> => e.type === type);

describe('train', () => {
  it('emits started → batch… → epoch → evaluation/checkpoints → final, and learns', async () => {
    const dir = path.join(scratch, 'run-a');
    const { events, final } = await run({ epochs: 2 }, { checkpointDir: dir, batchEvery: 5 });
    expect(final).toEqual({ type: 'completed', epochs: 2, reason: 'epochs' });

    const started = events[0];
    expect(started.type).toBe('started');
    if (started.type !== 'started') return;
    expect(started).toMatchObject({
      backend: 'wasm',
      trainSize: 1080,
      validationSize: 120,
      testSize: 300,
      epochs: 2,
      batchesPerEpoch: 34,
      parameterCount: 61_706,
    });
    expect(started.testLabels).toEqual(dataset.test.labels);

    const batches = ofType(events, 'batch');
    expect(batches.length).toBe(2 * Math.floor(34 / 5));
    expect(batches[0]).toMatchObject({ epoch: 1, batch: 5, batchesPerEpoch: 34 });
    for (const b of batches) {
      expect(b.loss).toBeGreaterThan(0);
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.imagesPerSec).toBeGreaterThan(0);
    }

    const epochs = ofType(events, 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[1].testAccuracy).toBeGreaterThan(0.8); // the synthetic classes are easy
    expect(epochs[1].validationAccuracy).not.toBeNull();
    expect(epochs[1].learningRate).toBe(0.003);

    // Final comes last but one, right before `completed`, for the last epoch.
    const evaluations = ofType(events, 'evaluation');
    const finalEval = evaluations.at(-1)!;
    expect(events.at(-2)).toBe(finalEval);
    expect(finalEval).toMatchObject({ role: 'final', epoch: 2 });
    expect(finalEval.predicted).toBeInstanceOf(Uint8Array);
    expect(finalEval.predicted.length).toBe(300);
    expect(finalEval.probabilities).toBeInstanceOf(Float32Array);
    expect(finalEval.probabilities.length).toBe(3000);
    expect(finalEval.confusion.length).toBe(100);
    expect(finalEval.confusion.reduce((a, b) => a + b, 0)).toBe(300);
    expect(finalEval.f1.length).toBe(10);
    const best = evaluations.filter((e) => e.role === 'best');
    expect(best[0].epoch).toBe(1); // the first epoch is always an improvement

    // Accuracy in the epoch event and in the evaluation agree.
    const correct = finalEval.confusion.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
    expect(correct / 300).toBeCloseTo(epochs[1].testAccuracy, 10);

    const checkpoints = ofType(events, 'checkpoint');
    expect(checkpoints.filter((c) => c.role === 'last').map((c) => c.epoch)).toEqual([1, 2]);
    expect(existsSync(path.join(dir, 'last', 'model.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'last', 'weights.bin'))).toBe(true);
    expect(existsSync(path.join(dir, 'last.partial'))).toBe(false);

    // The `last` checkpoint reproduces the final evaluation's probabilities.
    const restored = await loadCheckpoint(path.join(dir, 'last'));
    try {
      const probs = tf.tidy(() => {
        const x = tf.tensor4d(
          Float32Array.from(dataset.test.images.subarray(0, 784 * 20), (v) => v / 255),
          [20, 28, 28, 1],
        );
        return tf.softmax(restored.predict(x) as tf.Tensor).dataSync();
      });
      for (let i = 0; i < probs.length; i++) expect(probs[i]).toBeCloseTo(finalEval.probabilities[i], 5);
    } finally {
      restored.dispose();
    }
  });

  it('is reproducible: same config and seed → same first-epoch loss (to 1e-6)', async () => {
    const a = ofType((await run({ epochs: 1, trainSubset: 400, seed: 11 })).events, 'epoch')[0];
    const b = ofType((await run({ epochs: 1, trainSubset: 400, seed: 11 })).events, 'epoch')[0];
    const c = ofType((await run({ epochs: 1, trainSubset: 400, seed: 12 })).events, 'epoch')[0];
    expect(Math.abs(a.trainLoss - b.trainLoss)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(a.testLoss - b.testLoss)).toBeLessThanOrEqual(1e-6);
    expect(a.trainLoss).not.toBe(c.trainLoss);
  });

  it('does not leak tensors across epochs, and disposes everything at the end', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await run(
      { epochs: 4, trainSubset: 200, weightDecay: 1e-4 },
      { onEpochEnd: () => counts.push(tf.memory().numTensors) },
    );
    expect(counts.length).toBe(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('honours a stop request after the current batch, and evaluates the weights reached at the stop', async () => {
    let polls = 0;
    const batchesPerEpoch = Math.ceil(1080 / 32);
    const { events, final } = await run(
      { epochs: 5 },
      { stopRequested: () => ++polls >= batchesPerEpoch + 3 }, // 3 batches into epoch 2
    );
    expect(final).toEqual({ type: 'stopped', epochs: 1 });
    expect(ofType(events, 'epoch').length).toBe(1);
    const finalEval = events.at(-2) as Extract<TrainerEvent, { type: 'evaluation' }>;
    // The epoch in progress, on the weights after its third batch: not epoch 1's evaluation again.
    expect(finalEval).toMatchObject({ type: 'evaluation', role: 'final', epoch: 2 });
    const best = ofType(events, 'evaluation').find((e) => e.role === 'best')!;
    expect(best.epoch).toBe(1);
    expect(Array.from(finalEval.probabilities)).not.toEqual(Array.from(best.probabilities));
    expect(finalEval.confusion.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('a run stopped in its first epoch still ends with a test evaluation', async () => {
    const { events, final } = await run({ epochs: 3 }, { stopRequested: () => true });
    expect(final).toEqual({ type: 'stopped', epochs: 0 });
    expect(ofType(events, 'epoch').length).toBe(0);
    expect(events.at(-2)).toMatchObject({ type: 'evaluation', role: 'final', epoch: 1 });
  });

  it('stops early when validation accuracy stops improving (patience)', async () => {
    // A rate so small nothing changes: accuracy never improves after epoch 1.
    const { events, final } = await run({
      optimizer: 'sgd',
      learningRate: 1e-12,
      epochs: 10,
      earlyStoppingPatience: 2,
      trainSubset: 200,
    });
    expect(final).toEqual({ type: 'completed', epochs: 3, reason: 'early-stopping' });
    expect(
      ofType(events, 'evaluation')
        .filter((e) => e.role === 'best')
        .map((e) => e.epoch),
    ).toEqual([1]);
  });

  it('reports divergence with the epoch and batch where the loss stopped being finite', async () => {
    // SGD at rate 10 on the sigmoid network (no activation between its dense layers) blows up
    // within a few batches.
    const { events, final } = await run({
      ...PRESETS.seed,
      optimizer: 'sgd',
      learningRate: 10,
      batchSize: 32,
      epochs: 3,
    });
    expect(final.type).toBe('diverged');
    if (final.type !== 'diverged') return;
    expect(final.epoch).toBe(1);
    expect(final.batch).toBeGreaterThan(0);
    expect(Number.isFinite(final.loss)).toBe(false);
    expect(events.at(-1)).toBe(final);
    expect(ofType(events, 'evaluation').length).toBe(0);
  });

  it('applies the learning-rate schedule per epoch', async () => {
    const { events } = await run({
      epochs: 3,
      trainSubset: 64,
      lrSchedule: 'step',
      lrStepEpochs: 1,
      lrGamma: 0.5,
      learningRate: 0.01,
    });
    expect(ofType(events, 'epoch').map((e) => e.learningRate)).toEqual([0.01, 0.005, 0.0025]);
  });

  it.each(['sgd', 'momentum', 'adam', 'rmsprop'] as const)('trains with %s', async (optimizer) => {
    const learningRate = optimizer === 'sgd' || optimizer === 'momentum' ? 0.05 : 0.003;
    const { final, events } = await run({ optimizer, learningRate, epochs: 2 });
    expect(final.type).toBe('completed');
    const [first, second] = ofType(events, 'epoch');
    expect(second.trainLoss).toBeLessThan(first.trainLoss);
  });
});
