/** A trainer's thread count (src/core/trainer/threads.ts): who wins, and the cap at the cores. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THREADS, THREADED_MIN_BATCH, THREADS_ENV, trainerThreads } from '../../src/core/trainer/threads';

const cores = os.availableParallelism();

describe('trainer threads', () => {
  it('alone and unconfigured: every core (see threads.ts for the measurement)', () => {
    expect(DEFAULT_THREADS).toBe(cores);
    expect(trainerThreads({}, {})).toBe(cores);
    expect(trainerThreads(undefined, { [THREADS_ENV]: '' })).toBe(cores);
  });

  it('the setting raised to every core gives every core to a trainer running alone', () => {
    expect(trainerThreads({ maxThreads: cores }, {})).toBe(cores);
  });

  it("the supervisor's exact count (1 each when several trainers run) beats everything", () => {
    expect(trainerThreads({ threads: 1, maxThreads: 8 }, { [THREADS_ENV]: '8' })).toBe(1);
  });

  it('--threads ($LENET5_THREADS) beats the app setting; both are capped at the cores', () => {
    expect(trainerThreads({ maxThreads: 1 }, { [THREADS_ENV]: '2' })).toBe(Math.min(2, cores));
    expect(trainerThreads({}, { [THREADS_ENV]: '10000' })).toBe(cores);
  });

  it('the app setting caps a trainer running alone', () => {
    expect(trainerThreads({ maxThreads: 1 }, {})).toBe(1);
    expect(trainerThreads({ maxThreads: 10_000 }, {})).toBe(cores);
  });

  it('small batches get one thread unless a count is asked for exactly', () => {
    const small = { config: { batchSize: THREADED_MIN_BATCH - 1 } };
    const large = { config: { batchSize: THREADED_MIN_BATCH } };
    expect(THREADED_MIN_BATCH).toBe(128);
    expect(trainerThreads(small, {})).toBe(1);
    expect(trainerThreads({ ...small, maxThreads: cores }, {})).toBe(1); // the setting is a cap
    expect(trainerThreads(large, {})).toBe(cores);
    expect(trainerThreads({ ...small, threads: 2 }, {})).toBe(Math.min(2, cores));
    expect(trainerThreads(small, { [THREADS_ENV]: '2' })).toBe(Math.min(2, cores));
  });

  it('an unusable $LENET5_THREADS is ignored rather than meaning 0 threads', () => {
    expect(trainerThreads({ maxThreads: 1 }, { [THREADS_ENV]: 'lots' })).toBe(1);
    expect(trainerThreads({ maxThreads: 1 }, { [THREADS_ENV]: '0' })).toBe(1);
  });
});
