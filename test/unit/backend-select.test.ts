/**
 * Backend selection on this machine. Where tfjs-node is not installed (npm test on CI) the probe
 * and selection say wasm; where it is, tensorflow. Each case asserts what this machine has.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend, wasmBinaryDir } from '../../src/core/engine/backend';
import { probeBackend } from '../../src/core/trainer';
import { existsSync } from 'node:fs';
import path from 'node:path';

describe('backend selection', () => {
  it('finds the wasm binaries in the package dist folder', () => {
    expect(existsSync(path.join(wasmBinaryDir(), 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });

  it('probes without loading anything, and agrees with what selection picks', async () => {
    const probed = await probeBackend();
    // The probe reads package folders only; selection loads. They must name the same backend.
    expect(['tensorflow', 'wasm']).toContain(probed);
    const selected = await selectBackend();
    expect(selected.name).toBe(probed);
    expect(tf.getBackend()).toBe(selected.name);
    expect(selected.tfjsVersion).toBe(tf.version.tfjs);
  });

  it('forcing tensorflow gives tensorflow where tfjs-node is installed, else an error naming why', async () => {
    const forced = selectBackend('tensorflow');
    if ((await probeBackend()) === 'tensorflow') await expect(forced).resolves.toMatchObject({ name: 'tensorflow' });
    else await expect(forced).rejects.toThrow(/tensorflow: .*tfjs-node/);
  });

  it('can switch to cpu (the numerical reference) and back', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
