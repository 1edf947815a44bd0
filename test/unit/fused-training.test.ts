/**
 * Training with the fused LeNet-5 step (engine/step-runner.ts) against the same run on tfjs's path
 * (LENET5_STEP=tfjs), on the wasm backend with a synthetic dataset: which runs take it, the
 * first batches' losses (same initial weights and data: equal to float32 summation noise, 1e-5),
 * and whole epochs (train loss within 3% and test accuracy within 3 points: two float32 paths
 * drift apart over hundreds of Adam steps, as two seeds would not, but no further), and that a
 * seed repeats a fused run bit for bit.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { LeNetStep } from '../../src/core/engine/fused/lenet-step';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { createOptimizer } from '../../src/core/engine/optimizer';
import { chooseStepRunner, fusedRefusal, STEP_ENV, type StepRunnerOptions } from '../../src/core/engine/step-runner';
import { train } from '../../src/core/engine/train';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';
import { syntheticDataset } from './engine-fixtures';
import { RELU_MAX, RELU_MAX_RECIPE } from '../support/networks';

let backend: SelectedBackend;
const dataset = syntheticDataset(1200, 300);

beforeAll(async () => {
  backend = await selectBackend('wasm');
});
afterEach(() => {
  delete process.env[STEP_ENV];
});

async function run(config: Hyperparams, path: 'fused' | 'tfjs', stepThreads = 1) {
  if (path === 'tfjs') process.env[STEP_ENV] = 'tfjs';
  else delete process.env[STEP_ENV];
  const events: TrainerEvent[] = [];
  const fusedSteps = vi.spyOn(LeNetStep.prototype, 'gradients');
  await train({ config, dataset, backend, stepThreads, batchEvery: 1, emit: (e) => events.push(e) });
  const batches = events.filter((e): e is Extract<TrainerEvent, { type: 'batch' }> => e.type === 'batch');
  const epochs = events.filter((e): e is Extract<TrainerEvent, { type: 'epoch' }> => e.type === 'epoch');
  const fusedCalls = fusedSteps.mock.calls.length;
  fusedSteps.mockRestore();
  return { batches, epochs, fusedCalls };
}

describe('the fused training step in the training loop', () => {
  it('is taken on wasm with Adam for the 28×28 C5-dense networks, and refused otherwise, naming why', () => {
    const model = buildLeNet5(PRESETS.seed.model, 1);
    const optimizer = createOptimizer(PRESETS.seed);
    const options = (overrides: Partial<StepRunnerOptions>): StepRunnerOptions => ({
      config: PRESETS.seed,
      backend,
      model,
      optimizer,
      trainSet: dataset.train,
      tfjsStep: () => {
        throw new Error('not called');
      },
      ...overrides,
    });
    expect(fusedRefusal(options({}))).toBeNull();
    expect(fusedRefusal(options({ config: { ...PRESETS.seed, optimizer: 'sgd' } }))).toMatch(/^the sgd optimizer/);
    expect(fusedRefusal(options({ backend: { ...backend, name: 'cpu' } }))).toBe('the cpu backend');
    const conv = { ...PRESETS.seed, model: { ...PRESETS.seed.model, c5: 'conv' as const } };
    expect(fusedRefusal(options({ config: conv }))).toMatch(/C5 as a convolution/);
    // Batch norm and dropout train on tfjs's step: the fused module has neither.
    const normed = { ...RELU_MAX_RECIPE, model: { ...RELU_MAX, batchNorm: 'conv' as const, dropout: 0.3 } };
    const normedModel = buildLeNet5(normed.model, 1);
    const normedOptions = options({
      config: normed,
      model: normedModel,
      tfjsStep: () => () => ({ loss: 0, correct: 0 }),
    });
    expect(fusedRefusal(normedOptions)).toBe('batch normalisation (the fused step has none)');
    const runner = chooseStepRunner(normedOptions);
    expect(runner.kind).toBe('tfjs');
    runner.dispose();
    normedModel.dispose();
    process.env[STEP_ENV] = 'tfjs';
    expect(fusedRefusal(options({}))).toBe('LENET5_STEP=tfjs');
    model.dispose();
    optimizer.dispose();
  });

  it('is reproducible: one seed, the same losses bit for bit', async () => {
    const config: Hyperparams = { ...RELU_MAX_RECIPE, epochs: 1, validationFraction: 0, trainSubset: 320, seed: 5 };
    const [a, b] = [await run(config, 'fused'), await run(config, 'fused')];
    expect(a.fusedCalls).toBe(10);
    expect(b.batches.map((e) => e.loss)).toEqual(a.batches.map((e) => e.loss));
    expect(b.epochs[0].testAccuracy).toBe(a.epochs[0].testAccuracy);
  });

  it('on two threads: reproducible bit for bit, and the same learning as on one', async () => {
    // Batch 32: a batch is split only from SPLIT_MIN_BATCH images. The seed preset's label smoothing reaches the worker too.
    const config: Hyperparams = {
      ...PRESETS.seed,
      batchSize: 32,
      epochs: 1,
      validationFraction: 0,
      trainSubset: 640,
      seed: 7,
    };
    const [a, b] = [await run(config, 'fused', 2), await run(config, 'fused', 2)];
    const one = await run(config, 'fused', 1);
    expect(a.fusedCalls).toBe(20); // the first half of each batch, on this thread
    expect(b.batches.map((e) => e.loss)).toEqual(a.batches.map((e) => e.loss));
    // Float32 sums in another order: the first losses agree to summation noise.
    for (const i of [0, 1, 2]) expect(Math.abs(a.batches[i].loss - one.batches[i].loss)).toBeLessThan(1e-5);
    expect(Math.abs(a.epochs[0].trainLoss - one.epochs[0].trainLoss) / one.epochs[0].trainLoss).toBeLessThan(0.03);
  });

  it.each([
    ['the seed preset (batch 8, label smoothing 0.1)', PRESETS.seed],
    ['ReLU and max pooling (batch 32)', RELU_MAX_RECIPE],
  ] as const)('%s: the same first losses and the same learning as tfjs’s path', async (_, recipe) => {
    const config: Hyperparams = { ...recipe, epochs: 2, validationFraction: 0.1, trainSubset: 0, seed: 11 };
    const fused = await run(config, 'fused');
    const reference = await run(config, 'tfjs');
    // 1,080 training images (1,200 less a tenth), in batches, 2 epochs.
    expect(fused.fusedCalls).toBe(2 * Math.ceil(1080 / config.batchSize));
    expect(reference.fusedCalls).toBe(0);
    for (const b of [0, 1, 2]) expect(Math.abs(fused.batches[b].loss - reference.batches[b].loss)).toBeLessThan(1e-5);
    expect(fused.epochs).toHaveLength(2);
    fused.epochs.forEach((e, i) => {
      const want = reference.epochs[i];
      expect(Math.abs(e.trainLoss - want.trainLoss) / want.trainLoss).toBeLessThan(0.03);
      expect(Math.abs(e.testAccuracy - want.testAccuracy)).toBeLessThan(0.03);
    });
  });
});
