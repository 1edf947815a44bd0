/**
 * The training-speed measurement (src/core/engine/backend/measure.ts) on wasm. The `tensorflow`
 * backend's checks (gradients against cpu, the trainer against wasm, a measured choice) are
 * test/tensorflow/backend-tensorflow.test.ts, a required step of CI with tfjs-node set up.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { measureTrainingSpeed } from '../../src/core/engine/backend/measure';
import type { Hyperparams } from '../../src/shared/hyperparams';
import { RELU_MAX_RECIPE } from '../support/networks';

const quick: Hyperparams = { ...RELU_MAX_RECIPE, batchSize: 64 };

describe('training-speed measurement', () => {
  it('times the real loop on the active backend and leaves no tensor behind', async () => {
    const backend = await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const speed = await measureTrainingSpeed(quick, backend, { warmupBatches: 1, timedBatches: 2 });
    expect(Number.isFinite(speed)).toBe(true);
    expect(speed).toBeGreaterThan(50); // cpu-backend territory (~16 img/s) would mean the wrong backend
    expect(tf.memory().numTensors).toBe(before);
  });
});
