/** Last, best or at-epoch values of a per-epoch metric (shared/metric-value.ts), against figures read off by hand. */
import { describe, expect, it } from 'vitest';
import {
  alignedPoints,
  metricValue,
  parseValueChoice,
  shownValue,
  valueChoiceSchema,
  valueChoiceText,
} from '../../src/shared/metric-value';
import type { EpochMetrics } from '../../src/shared/runs';

const row = (epoch: number, testAccuracy: number | null, testLoss: number | null): EpochMetrics => ({
  epoch,
  trainLoss: null,
  trainAccuracy: null,
  validationLoss: null,
  validationAccuracy: null,
  testLoss,
  testAccuracy,
  learningRate: null,
  seconds: null,
  imagesPerSec: null,
});

// Stored out of order, with a gap (epoch 3 has no test figures) and a tie for best accuracy.
const EPOCHS = [row(4, 0.85, 0.41), row(1, 0.7, 0.9), row(2, 0.88, 0.38), row(3, null, null), row(5, 0.88, 0.45)];

describe('metric values', () => {
  it('last, best (earliest of a tie), and at an epoch', () => {
    expect(metricValue(EPOCHS, 'testAccuracy', { kind: 'last' })).toEqual({ value: 0.88, epoch: 5 });
    expect(metricValue(EPOCHS, 'testAccuracy', { kind: 'best' })).toEqual({ value: 0.88, epoch: 2 });
    expect(metricValue(EPOCHS, 'testAccuracy', { kind: 'epoch', epoch: 4 })).toEqual({ value: 0.85, epoch: 4 });
  });

  it('a loss is best at its lowest', () => {
    expect(metricValue(EPOCHS, 'testLoss', { kind: 'best' })).toEqual({ value: 0.38, epoch: 2 });
  });

  it('no value at an epoch without the figure, one the run did not reach, or for a run without epochs', () => {
    expect(metricValue(EPOCHS, 'testAccuracy', { kind: 'epoch', epoch: 3 })).toBeNull();
    expect(metricValue(EPOCHS, 'testAccuracy', { kind: 'epoch', epoch: 9 })).toBeNull();
    expect(metricValue([], 'testAccuracy', { kind: 'best' })).toBeNull();
  });

  it('parses last, best and epoch:N, and names a bad choice', () => {
    expect(parseValueChoice('best')).toEqual({ kind: 'best' });
    expect(parseValueChoice('epoch:3')).toEqual({ kind: 'epoch', epoch: 3 });
    for (const bad of ['epoch:0', 'epoch:x', 'first', ''])
      expect(() => parseValueChoice(bad)).toThrow(/write last, best or epoch:N/);
  });
});

describe('what a table cell shows', () => {
  const points = (values: (number | null)[]) => values.map((value, i) => ({ epoch: i + 1, value }));

  it('a value with its epoch, or why there is none', () => {
    expect(shownValue(points([0.7, 0.9, 0.8]), 'testAccuracy', { kind: 'best' })).toEqual({ value: 0.9, epoch: 2 });
    expect(shownValue(points([0.7, 0.9, 0.8]), 'testAccuracy', { kind: 'epoch', epoch: 5 })).toEqual({
      value: null,
      why: 'Did not reach epoch 5: its last epoch is 3',
    });
    expect(shownValue(points([0.7, null, 0.8]), 'testAccuracy', { kind: 'epoch', epoch: 2 })).toEqual({
      value: null,
      why: 'No test accuracy recorded at epoch 2',
    });
    expect(shownValue(points([null, null]), 'validationLoss', { kind: 'last' })).toEqual({
      value: null,
      why: 'No validation loss recorded',
    });
    expect(shownValue([], 'testAccuracy', { kind: 'last' })).toEqual({ value: null, why: 'No epoch recorded yet' });
  });

  it("reads Compare's aligned series only up to the run's own last epoch", () => {
    // The shared axis runs to epoch 4 (another run's); this run stopped after epoch 2.
    const aligned = alignedPoints([1, 2, 3, 4], [0.5, 0.6, null, null], 2);
    expect(aligned).toEqual([
      { epoch: 1, value: 0.5 },
      { epoch: 2, value: 0.6 },
    ]);
    expect(shownValue(aligned, 'testAccuracy', { kind: 'epoch', epoch: 4 })).toMatchObject({
      why: 'Did not reach epoch 4: its last epoch is 2',
    });
  });

  it('the --value text crosses IPC as text, checked with the same words', () => {
    expect(valueChoiceText(parseValueChoice('epoch:12'))).toBe('epoch:12');
    expect(valueChoiceSchema.safeParse('best').success).toBe(true);
    const bad = valueChoiceSchema.safeParse('epoch:0');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/"epoch:0" is not a value to show/);
    expect(valueChoiceSchema.safeParse(3).success).toBe(false);
  });
});
