/** The one rule for "did not learn" (shared/chance.ts): finished, ≥ 1 epoch, final test accuracy ≤ 11%. */
import { describe, expect, it } from 'vitest';
import { didNotLearn } from '../../src/shared/chance';

const run = { status: 'completed' as const, epochsDone: 2, finalTestAccuracy: 0.1 };

describe('didNotLearn', () => {
  it('flags a finished run at chance, up to one point above it', () => {
    expect(didNotLearn(run)).toBe(true);
    expect(didNotLearn({ ...run, finalTestAccuracy: 0.11 })).toBe(true);
    expect(didNotLearn({ ...run, status: 'stopped' })).toBe(true);
  });
  it('leaves alone a run that learned a little, has no epoch or figure, or has not finished', () => {
    expect(didNotLearn({ ...run, finalTestAccuracy: 0.14 })).toBe(false);
    expect(didNotLearn({ ...run, epochsDone: 0 })).toBe(false);
    expect(didNotLearn({ ...run, finalTestAccuracy: null })).toBe(false);
    expect(didNotLearn({ ...run, status: 'running' })).toBe(false);
    // Diverged and failed runs have their own note.
    expect(didNotLearn({ ...run, status: 'diverged' })).toBe(false);
  });
});
