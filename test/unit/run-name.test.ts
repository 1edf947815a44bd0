/** A run's automatic name (src/shared/run-name.ts): its preset and what it changes from it. */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { automaticRunName } from '../../src/shared/run-name';

describe('automatic run name', () => {
  it('is the preset alone when nothing changes, and custom without a preset', () => {
    expect(automaticRunName(PRESETS.quick, 'quick')).toBe('quick');
    expect(automaticRunName(PRESETS.quick, null)).toBe('custom');
    // The preset stored as `seed` is called classic where people read it.
    expect(automaticRunName(PRESETS.seed, 'seed')).toBe('classic');
  });

  it('names each change as the CLI and sweeps do', () => {
    const relu = { ...PRESETS.quick, model: { ...PRESETS.quick.model, convActivation: 'relu' as const } };
    expect(automaticRunName(relu, 'quick')).toBe('quick · conv-activation=relu');
    expect(automaticRunName({ ...relu, learningRate: 0.001 }, 'quick')).toBe('quick · conv-activation=relu lr=0.001');
  });

  it('leaves out fields the configuration ignores, and sums up many changes', () => {
    // Momentum is unused under adam: changing it changes nothing the run does.
    expect(automaticRunName({ ...PRESETS.quick, momentum: 0.5 }, 'quick')).toBe('quick');
    const many = { ...PRESETS.quick, epochs: 3, batchSize: 64, learningRate: 0.01, seed: 7, trainSubset: 5000 };
    expect(automaticRunName(many, 'quick')).toBe('quick · epochs=3 batch-size=64 lr=0.01 +2 more');
  });
});
