/** Last, best or at-epoch values of a per-epoch metric (shared/metric-value.ts), against figures read off by hand. */
import { describe, expect, it } from 'vitest';
import { metricValue, parseValueChoice } from '../../src/shared/metric-value';
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
