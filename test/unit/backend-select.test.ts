/** Backend selection on this machine: tfjs-node cannot install here, so wasm is the fastest. */
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
    const selected = await selectBackend();
    expect(selected.name).toBe(probed === 'tensorflow' ? selected.name : probed);
    expect(tf.getBackend()).toBe(selected.name);
    expect(selected.tfjsVersion).toBe(tf.version.tfjs);
  });

  it('a forced backend that cannot load is an error naming the reason, not a silent fallback', async () => {
    const probed = await probeBackend();
    if (probed === 'tensorflow') return; // tfjs-node is installed on this machine
    await expect(selectBackend('tensorflow')).rejects.toThrow(/tensorflow: .*tfjs-node/);
  });

  it('can switch to cpu (the numerical reference) and back', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
