import { describe, expect, it } from 'vitest';
import { parseHyperparams, PRESET_NAMES, PRESETS } from '../../src/shared/hyperparams';

const seed = PRESETS.seed;

describe('hyperparameter schema', () => {
  it.each(PRESET_NAMES)('accepts the %s preset', (name) => {
    expect(parseHyperparams(PRESETS[name])).toEqual({ ok: true, data: PRESETS[name] });
  });

  it.each([
    ['epochs', 0, 'epochs: must be an integer from 1 to 1000'],
    ['epochs', 1001, 'epochs: must be an integer from 1 to 1000'],
    ['batchSize', 4097, 'batchSize: must be an integer from 1 to 4096'],
    ['learningRate', 0, 'learningRate: must be > 0 and ≤ 10'],
    ['learningRate', 10.5, 'learningRate: must be > 0 and ≤ 10'],
    ['learningRate', Number.NaN, 'learningRate: must be a number > 0 and ≤ 10'],
    ['learningRate', '0.1', 'learningRate: must be a number > 0 and ≤ 10'],
    ['validationFraction', 0.6, 'validationFraction: must be from 0 to 0.5'],
    ['trainSubset', 60_001, 'trainSubset: must be an integer from 0 to 60000'],
    ['weightDecay', -1, 'weightDecay: must be from 0 to 1'],
    ['seed', 1.5, 'seed: must be an integer from 0 to 2147483647'],
  ])('refuses %s = %s, naming the field and the range', (field, value, message) => {
    const r = parseHyperparams({ ...seed, [field]: value });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toContain(message);
  });

  it('refuses unknown fields and bad model options', () => {
    const r = parseHyperparams({ ...seed, dropout: 0.5, model: { ...seed.model, pooling: 'median' } });
    expect(r.ok).toBe(false);
    const errors = !r.ok ? r.errors.join('\n') : '';
    expect(errors).toMatch(/dropout/);
    expect(errors).toMatch(/model\.pooling/);
  });

  it('refuses a missing configuration', () => {
    expect(parseHyperparams(undefined).ok).toBe(false);
    expect(parseHyperparams(null).ok).toBe(false);
  });
});
