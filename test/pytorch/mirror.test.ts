/**
 * `npm run bench -- pytorch --preset`'s PyTorch side (tools/bench/pytorch/lenet5_preset.py) held
 * against the studio: the same network layer by layer for several configurations, the same
 * augmentation (augment.ts's images exactly, for given draws; the draws' distribution), the same
 * smoothed loss (tfjs's cpu backend), and evaluation in eval mode. Its own vitest project, which
 * exists only with LENET5_TEST_PYTORCH=<a Python that imports torch> (vitest.config.ts):
 *   LENET5_TEST_PYTORCH=/work/venv-torch/bin/python npx vitest run --project pytorch
 * Without torch it fails; it is never skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentImages, type ImageAugmentation } from '../../src/core/engine/augment';
import { smoothedCrossEntropy } from '../../src/core/engine/loss';
import { PRESETS, type Hyperparams, type ModelOptions } from '../../src/shared/hyperparams';
import { parameterCount } from '../../src/shared/lenet';
import { networkDifference, pytorchNetwork, studioNetwork } from '../../tools/bench/pytorch-preset';

const python = process.env['LENET5_TEST_PYTORCH'] ?? 'python3';
const PROBE = path.resolve('tools/bench/pytorch/mirror_probe.py');

/** mirror_probe.py's answer to `job`. */
function probe<T>(job: Record<string, unknown>): T {
  const run = spawnSync(python, [PROBE], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`mirror_probe.py ${String(job.probe)}: ${run.error ?? run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A deterministic stream in [0, 1) (a linear congruential generator: enough to vary the inputs). */
function stream(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const withModel = (base: Hyperparams, model: Partial<ModelOptions>): Hyperparams => ({
  ...base,
  model: { ...base.model, ...model },
});
const MODERN_LIKE = withModel(PRESETS.modern, { c1Maps: 16, c3Maps: 32, c5Units: 96, batchNorm: 'conv', dropout: 0.3 });

const CONFIGS: [string, Hyperparams][] = [
  ['the seed preset', PRESETS.seed],
  ['the modern preset', PRESETS.modern],
  ['16/32/96/84, batch norm after C1 and C3, dropout 0.3', MODERN_LIKE],
  ['the same with C5 as a convolution', withModel(MODERN_LIKE, { c5: 'conv' })],
  ['the same with batch norm after all four', withModel(MODERN_LIKE, { batchNorm: 'all' })],
  [
    'batch norm after all four, C5 as a convolution, 32×32 input, tanh between the dense layers',
    withModel(MODERN_LIKE, { batchNorm: 'all', c5: 'conv', inputSize: 32, denseActivation: 'tanh' }),
  ],
  [
    'odd widths 5/7/11/13, no dense activation',
    withModel(PRESETS.seed, { c1Maps: 5, c3Maps: 7, c5Units: 11, f6Units: 13 }),
  ],
];

describe(`lenet5_preset.py against the studio (${python})`, () => {
  it.each(CONFIGS)('builds the studio network, row for row: %s', (_, config) => {
    const pytorch = pytorchNetwork(python, config);
    expect(pytorch.trainableParams).toBe(parameterCount(config.model));
    expect(networkDifference(studioNetwork(config.model), pytorch)).toBeNull();
  });

  it("augments exactly as augment.ts does, for the same draws (flips, shifts to ±4, images' edges)", () => {
    const side = 28;
    const next = stream(7);
    const draws: ImageAugmentation[] = Array.from({ length: 40 }, (_, i) => ({
      // Every shift of −4…4 on each axis, with and without the flip, then random ones.
      dx: i < 18 ? (i % 9) - 4 : Math.floor(next() * 9) - 4,
      dy: i < 18 ? 4 - (i % 9) : Math.floor(next() * 9) - 4,
      flip: i < 18 ? i >= 9 : next() < 0.5,
    }));
    // Pixels as the dataset has them (k/255 in float32), so both sides hold the same numbers.
    const pixels = Float32Array.from({ length: draws.length * side * side }, () => Math.floor(next() * 256) / 255);
    const expected = augmentImages(pixels, side, draws);
    const { images } = probe<{ images: number[] }>({
      probe: 'shift',
      side,
      images: Array.from(pixels),
      dx: draws.map((d) => d.dx),
      dy: draws.map((d) => d.dy),
      mirror: draws.map((d) => d.flip),
    });
    expect(Float32Array.from(images)).toEqual(expected);
  });

  it('draws shifts uniform in −N…N on each axis and flips with probability ½, per image', () => {
    const [count, maxShift, row, column] = [20_000, 2, 10, 5];
    const { positions } = probe<{ positions: number[] }>({ probe: 'draws', count, maxShift, flip: true, row, column });
    // The lit pixel moves to (row + dy, column + dx), or (row + dy, 27 − column + dx) when mirrored.
    const tallies = { dx: new Map<number, number>(), dy: new Map<number, number>(), flips: 0 };
    const tally = (map: Map<number, number>, value: number) => map.set(value, (map.get(value) ?? 0) + 1);
    for (const position of positions) {
      expect(position).toBeGreaterThanOrEqual(0);
      const [y, x] = [Math.floor(position / 28), position % 28];
      const flipped = x > 13;
      tallies.flips += flipped ? 1 : 0;
      tally(tallies.dy, y - row);
      tally(tallies.dx, flipped ? x - (27 - column) : x - column);
    }
    // Each count within 5 standard deviations of its binomial mean (a false alarm ~1 in 10⁶ per count).
    const near = (observed: number, p: number) =>
      expect(Math.abs(observed - count * p)).toBeLessThan(5 * Math.sqrt(count * p * (1 - p)));
    near(tallies.flips, 0.5);
    for (const axis of [tallies.dx, tallies.dy]) {
      expect([...axis.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
      for (const n of axis.values()) near(n, 1 / (2 * maxShift + 1));
    }
    const unflipped = probe<{ positions: number[] }>({
      probe: 'draws',
      count: 500,
      maxShift,
      flip: false,
      row,
      column,
    });
    expect(unflipped.positions.every((p) => p % 28 <= 13)).toBe(true);
  });

  describe('the loss', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    it.each([0, 0.1, 0.3])("is the studio's smoothed cross-entropy (ε %s), on tfjs's cpu backend", (epsilon) => {
      const next = stream(11);
      const logits = Array.from({ length: 32 }, () => Array.from({ length: 10 }, () => 8 * next() - 4));
      const labels = Array.from({ length: 32 }, (_, i) => (i * 7) % 10);
      const { loss } = probe<{ loss: number }>({ probe: 'loss', logits, labels, epsilon });
      const studio = tf.tidy(
        () =>
          smoothedCrossEntropy(
            tf.oneHot(tf.tensor1d(labels, 'int32'), 10),
            tf.tensor2d(logits),
            epsilon,
          ).objective.dataSync()[0],
      );
      // Both float32 over ~320 terms of size ~3: a few float32 ulps of the result.
      expect(Math.abs(loss - studio)).toBeLessThan(2e-6);
    });
  });

  it("evaluates in eval mode (batch norm's moving averages, no dropout) and trains again after", () => {
    const config = withModel(MODERN_LIKE, { batchNorm: 'all', dropout: 0.5 });
    expect(probe({ probe: 'modes', config })).toEqual({ repeatable: true, statsKept: true, trainingAfter: true });
  });
});
