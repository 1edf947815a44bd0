/** The parallel-coordinates axes: the varied fields (log when they span 20×), then best test accuracy. */
import { describe, expect, it } from 'vitest';
import type { CompareRunsResult, ConfigField } from '../../src/shared/runs';
import { parallelAxes } from '../../src/shared/parallel-axes';

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
});
