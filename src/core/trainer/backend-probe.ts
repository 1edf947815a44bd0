/**
 * Which backend a new run would train on, answered without loading tfjs, tfjs-node or any wasm:
 * main calls this for the status bar and must stay light (the trainer process loads tfjs).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from '../../shared/training';

const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

// Resolved relative to this file: works under tsx (src/) and from out/main when electron-vite
// bundles main with dependencies externalized (node_modules stays next to out/).
const requireFromHere = createRequire(import.meta.url);

/** Is the tfjs-node package installed with its native binding built? Loads nothing. */
export function tfjsNodeLooksInstalled(): boolean {
  try {
    const pkg = requireFromHere.resolve(`${TFJS_NODE}/package.json`);
    const lib = path.join(path.dirname(pkg), 'lib');
    return readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(path.join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

/** Smallest module using a SIMD instruction (from wasm-feature-detect, as tfjs-backend-wasm uses). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11,
]);

export function wasmAvailable(): boolean {
  try {
    requireFromHere.resolve(TFJS_WASM);
    // lib "ES2022" without DOM declares WebAssembly's types but not the global value.
    const wa = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    return wa !== undefined && wa.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Which backend `selectBackend()` would pick. It can be optimistic: a tfjs-node whose binding
 * exists but fails to load is reported as `tensorflow`, and the trainer then falls back to wasm
 * (and records the backend it really used).
 */
export async function probeBackend(): Promise<BackendName> {
  if (tfjsNodeLooksInstalled()) return 'tensorflow';
  if (wasmAvailable()) return 'wasm';
  return 'cpu';
}
