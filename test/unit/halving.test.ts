/**
 * Successive halving: the ASHA rule (ties, n = 1, 2, 3), the definition's `halving` field and its
 * refusals, the recorded reason, and the Sweep form's field.
 */
import { describe, expect, it } from 'vitest';
import {
  describeHalving,
  expectedEpochs,
  halvingProblem,
  isPruned,
  parseHalvingEpochs,
  prunedAtEpoch,
  prunedReason,
  survivesRung,
} from '../../src/shared/halving';
import { PRESETS } from '../../src/shared/hyperparams';
import { selectionAccuracy } from '../../src/shared/runs';
import { parseSweepDefinition, parseVarySpec, sweepDefinitionSchema } from '../../src/shared/sweep';
import { buildDefinition, type SweepFormValues } from '../../src/renderer/src/lib/sweep-form';

describe('survivesRung (top ceil(n/2) go on)', () => {
  it('n = 1: a lone run always goes on', () => {
    expect(survivesRung(0.1, [0.1])).toBe(true);
  });

  it('n = 2: the better goes on, the worse stops; a tie keeps both', () => {
    expect(survivesRung(0.8, [0.8, 0.7])).toBe(true);
    expect(survivesRung(0.7, [0.8, 0.7])).toBe(false);
    expect(survivesRung(0.75, [0.75, 0.75])).toBe(true);
  });

  it('n = 3: the top two go on, the worst stops', () => {
    const scores = [0.9, 0.6, 0.7];
    expect(survivesRung(0.9, scores)).toBe(true);
    expect(survivesRung(0.7, scores)).toBe(true);
    expect(survivesRung(0.6, scores)).toBe(false);
  });

  it('ties share a rank: a run stops only when ceil(n/2) runs did strictly better', () => {
    // n = 3, keep 2: two tied below one better run both go on (only one did better).
    expect(survivesRung(0.7, [0.9, 0.7, 0.7])).toBe(true);
    // n = 4, keep 2: two tied at the top, two tied below them: the lower pair stops.
    expect(survivesRung(0.8, [0.8, 0.8, 0.6, 0.6])).toBe(true);
    expect(survivesRung(0.6, [0.8, 0.8, 0.6, 0.6])).toBe(false);
    // n = 4: one better, three tied: nobody tied has two runs above it.
    expect(survivesRung(0.6, [0.9, 0.6, 0.6, 0.6])).toBe(true);
  });

  it('a run with no figure (-Infinity) stops unless it is alone', () => {
    expect(survivesRung(-Infinity, [-Infinity])).toBe(true);
    expect(survivesRung(-Infinity, [0.5, -Infinity])).toBe(false);
  });
});

describe('selectionAccuracy: the training loop’s “best” figure', () => {
  it('is validation accuracy, or test accuracy without a validation set', () => {
    expect(selectionAccuracy({ validationAccuracy: 0.7, testAccuracy: 0.9 })).toBe(0.7);
    expect(selectionAccuracy({ validationAccuracy: null, testAccuracy: 0.9 })).toBe(0.9);
  });
});

describe('halving epochs', () => {
  it('parses "2, 4" and refuses non-numbers, naming them', () => {
    expect(parseHalvingEpochs('2, 4')).toEqual([2, 4]);
    expect(parseHalvingEpochs('1')).toEqual([1]);
    expect(() => parseHalvingEpochs('2,x')).toThrow('"x" is not an epoch number');
    expect(() => parseHalvingEpochs('1.5')).toThrow('"1.5" is not an epoch number');
    expect(() => parseHalvingEpochs('-1')).toThrow('"-1" is not an epoch number');
    expect(() => parseHalvingEpochs('2,,4')).toThrow('an empty item');
  });

  it('must be strictly increasing integers from 1, below the sweep’s epochs', () => {
    expect(halvingProblem([1, 2], 3)).toBeNull();
    expect(halvingProblem([0], 3)).toMatch(/0 is not an epoch number/);
    expect(halvingProblem([1.5], 3)).toMatch(/1.5 is not an epoch number/);
    expect(halvingProblem([3], 3)).toMatch(/epoch 3 is not before the sweep's last epoch \(3\)/);
    expect(halvingProblem([2, 1], 5)).toMatch(/strictly increasing \(got 2, 1\)/);
    expect(halvingProblem([2, 2], 5)).toMatch(/strictly increasing/);
  });

  it('says the reason once and reads it back; other endings are no pruning', () => {
    expect(prunedReason(2)).toBe('pruned by successive halving at epoch 2');
    expect(prunedAtEpoch(prunedReason(12))).toBe(12);
    for (const other of ['stopped', 'epochs', 'early-stopping', null, undefined])
      expect(prunedAtEpoch(other)).toBeNull();
    expect(isPruned({ status: 'stopped', endReason: prunedReason(1) })).toBe(true);
    expect(isPruned({ status: 'stopped', endReason: 'stopped' })).toBe(false);
    // A resumed run is queued again (its reason is cleared then, but the status alone says it).
    expect(isPruned({ status: 'queued', endReason: prunedReason(1) })).toBe(false);
  });

  it('describes itself for the preview', () => {
    expect(describeHalving({ epochs: [2, 4] })).toBe('stops the worse half at epochs 2, 4');
    expect(describeHalving({ epochs: [1] })).toBe('stops the worse half at epoch 1');
  });
});

describe('the sweep definition’s halving', () => {
  const base = { ...PRESETS.quick, epochs: 5 };
  const definition = (halving: unknown) => ({ base, vary: [parseVarySpec('lr=0.001,0.003')], halving });

  it('is optional and stored as given', () => {
    expect(parseSweepDefinition(definition(undefined)).halving).toBeUndefined();
    expect(parseSweepDefinition(definition({ epochs: [2, 4] })).halving).toEqual({ epochs: [2, 4] });
  });

  it('refuses bad epochs with a zod error naming halving.epochs', () => {
    for (const [epochs, words] of [
      [[5], /halving\.epochs: epoch 5 is not before the sweep's last epoch \(5\)/],
      [[3, 2], /halving\.epochs: must be strictly increasing/],
      [[0], /halving\.epochs: 0 is not an epoch number/],
      [[2.5], /halving\.epochs: 2.5 is not an epoch number/],
      [[], /halving\.epochs: give at least one epoch/],
      [['2'], /halving\.epochs\.0: must be whole epoch numbers/],
    ] as const) {
      expect(() => parseSweepDefinition(definition({ epochs })), JSON.stringify(epochs)).toThrow(words);
      expect(sweepDefinitionSchema.safeParse(definition({ epochs })).success).toBe(false);
    }
    expect(() => parseSweepDefinition(definition({ epochs: [1], factor: 3 }))).toThrow(/halving/);
  });
});

describe('the Sweep form’s halving field', () => {
  const form = (halving: string): SweepFormValues => ({
    name: '',
    rows: [{ flag: 'lr', mode: 'values', values: '0.001, 0.003', min: '', max: '', log: false, points: '3' }],
    method: 'grid',
    samples: '10',
    seeds: '1',
    parallel: '2',
    halving,
  });
  const base = { ...PRESETS.quick, epochs: 3 };

  it('empty is off; "1, 2" halves at 1 and 2', () => {
    const off = buildDefinition(form('  '), base, 'quick');
    expect(off.ok && off.definition.halving).toBeUndefined();
    const on = buildDefinition(form('1, 2'), base, 'quick');
    expect(on.ok && on.definition.halving).toEqual({ epochs: [1, 2] });
  });

  it('names itself in its refusals', () => {
    expect(buildDefinition(form('3'), base, 'quick')).toEqual({
      ok: false,
      message: "Successive halving: epoch 3 is not before the sweep's last epoch (3); halve at epochs 1 to 2",
    });
    expect(buildDefinition(form('two'), base, 'quick')).toEqual({
      ok: false,
      message: 'Successive halving: "two" is not an epoch number (whole numbers from 1)',
    });
  });
});

describe('expectedEpochs (the sweep estimate under halving)', () => {
  it('is every epoch without halving, and halves the share after each rung', () => {
    expect(expectedEpochs(undefined, 5)).toBe(5);
    // Epoch 1 by all, 2–3 by half, 4 by a quarter.
    expect(expectedEpochs({ epochs: [1, 3] }, 4)).toBe(1 + 0.5 + 0.5 + 0.25);
    expect(expectedEpochs({ epochs: [9] }, 10)).toBe(9.5);
  });
});
