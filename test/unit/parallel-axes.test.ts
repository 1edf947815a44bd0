/**
 * The parallel-coordinates axes: the varied fields (log for the learning rate, or when they span
 * 20×; whole-number ticks for integer fields), then best test accuracy.
 */
import { describe, expect, it } from 'vitest';
import type { CompareRunsResult, ConfigField } from '../../src/shared/runs';
import { integerTicks, parallelAxes } from '../../src/shared/parallel-axes';

const field = (key: string, values: ConfigField['values'], differs = true, used = values.map(() => true)) =>
  ({ key, values, used, differs }) satisfies ConfigField;

function compared(config: ConfigField[], best: (number | null)[]): CompareRunsResult {
  return {
    runs: [],
    config,
    epochs: [],
    series: [],
    best: best.map((bestTestAccuracy, i) => ({ runId: i + 1, bestEpoch: 1, bestTestAccuracy })),
  };
}

describe('parallelAxes', () => {
  it('has one axis per varied field and one for best test accuracy', () => {
    const axes = parallelAxes(
      compared(
        [
          field('learningRate', [0.0001, 0.01, 0.001]),
          field('batchSize', [64, 64, 64], false),
          field('convActivation', ['relu', 'tanh', 'relu']),
          field('momentum', [0.9, 0.5, 0.9], true, [true, false, true]),
        ],
        [0.8, 0.85, null],
      ),
    );
    expect(axes.map((a) => [a.key, a.numeric, a.log])).toEqual([
      ['learningRate', true, true],
      ['convActivation', false, false],
      ['momentum', true, false],
      ['bestTestAccuracy', true, false],
    ]);
    // A field a run does not use has no value on that run's axis.
    expect(axes[2].values).toEqual([0.9, null, 0.9]);
    expect(axes[3].values).toEqual([0.8, 0.85, null]);
  });

  it('reads the learning rate on a log axis even over a small span, and other fields by their spread', () => {
    const axes = parallelAxes(
      compared(
        [
          // 3×: a linear axis would hide that 0.001 → 0.003 is as big a step as 0.003 → 0.009.
          field('learningRate', [0.001, 0.003]),
          field('momentum', [0.5, 0.9]),
          field('weightDecay', [0, 0.001]),
        ],
        [0.8, 0.82],
      ),
    );
    expect(axes.map((a) => [a.key, a.log])).toEqual([
      ['learningRate', true],
      ['momentum', false],
      ['weightDecay', false],
      ['bestTestAccuracy', false],
    ]);
  });

  it('marks integer fields (seed, batch size) and no other', () => {
    const axes = parallelAxes(
      compared(
        [field('seed', [42, 43]), field('batchSize', [32, 64]), field('learningRate', [0.001, 0.01])],
        [0.8, 0.82],
      ),
    );
    expect(axes.map((a) => [a.key, a.integer])).toEqual([
      ['seed', true],
      ['batchSize', true],
      ['learningRate', false],
      ['bestTestAccuracy', false],
    ]);
  });
});

describe('integerTicks', () => {
  it('keeps the whole numbers among a scale’s ticks', () => {
    // d3's ticks over [1, 3]: 1, 1.2, …, 3 — the seed axis the issue saw labelled 1.2, 1.4.
    expect(integerTicks([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8, 3], [1, 3])).toEqual([1, 2, 3]);
  });
  it('gives every whole number of a short span when the ticks hold fewer than two', () => {
    expect(integerTicks([42, 42.2, 42.4, 42.6, 42.8], [42, 42.8])).toEqual([42]);
    expect(integerTicks([42.2, 42.4, 42.6, 42.8], [42.1, 43.9])).toEqual([43]);
    expect(integerTicks([42.5], [42, 43])).toEqual([42, 43]);
  });
  it('thins a long span to at most `max` ticks, whole numbers only', () => {
    const ticks = integerTicks([0.5], [0, 100], 8);
    expect(ticks.every(Number.isInteger)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0]).toBe(0);
  });
});
