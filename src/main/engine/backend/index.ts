/**
 * Backend selection for the trainer process: the native `tensorflow` backend from
 * @tensorflow/tfjs-node where it loads, otherwise WebAssembly (SIMD, one thread — measured fastest
 * on this 2-core machine, and the trainer must leave a core to the UI), with `cpu` only as a
 * numerical reference or when forced. This is the only engine module that names a backend.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from '../../../shared/training';
import type { SelectedBackend } from './types';
import { registerWasmTrainingKernels } from './wasm-kernels';

export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels';
// The probe lives in its own module so main can import it without loading tfjs.
export { probeBackend } from './probe';

export type { SelectedBackend } from './types';

const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

// Resolved relative to this file: works under tsx (src/) and from out/main when electron-vite
// bundles main with dependencies externalized (node_modules stays next to out/).
const requireFromHere = createRequire(import.meta.url);

/** The folder holding tfjs-backend-wasm's .wasm binaries (its dist/ folder). */
export function wasmBinaryDir(): string {
  const entry = requireFromHere.resolve(TFJS_WASM); // …/dist/tf-backend-wasm.node.js
  return path.dirname(entry) + path.sep;
}

async function tryTensorflow(): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const specifier = TFJS_NODE;
    await import(/* @vite-ignore */ specifier);
    if (!(await tf.setBackend('tensorflow'))) return 'tfjs-node loaded but its backend did not initialise';
    return null;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Both calls must precede the backend's initialisation; harmless if it already happened.
    if (tf.findBackend('wasm') == null) {
      wasm.setWasmPaths(wasmBinaryDir());
      // One XNNPACK thread: measured faster than 2 on this 2-core machine (no contention with the
      // JS thread and main), and Node builds have no wasm threads anyway.
      wasm.setThreadsCount(1);
    }
    registerWasmTrainingKernels();
    const ok = await withoutEmscriptenProcessHandlers(() => tf.setBackend('wasm'));
    return ok ? null : 'the wasm backend did not initialise';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Emscripten's Node glue adds `uncaughtException`/`unhandledRejection` listeners that rethrow,
 * which turns any stray rejection anywhere in the process into a crash (bypassing the trainer's
 * own "report `failed`" handler). Remove the listeners that instantiating the module added.
 */
async function withoutEmscriptenProcessHandlers<T>(init: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  // Typed loosely: the two events' listener signatures differ in @types/node.
  const emitter = process as unknown as {
    listeners(event: string): Listener[];
    removeListener(event: string, listener: Listener): void;
  };
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await init();
  } finally {
    for (const e of events) {
      for (const listener of emitter.listeners(e)) {
        if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener);
      }
    }
  }
}

async function tryCpu(): Promise<string | null> {
  return (await tf.setBackend('cpu')) ? null : 'the cpu backend did not initialise';
}

const ATTEMPTS: Record<BackendName, () => Promise<string | null>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Make `preferred` (or else the fastest that loads: tensorflow → wasm → cpu) the active tfjs
 * backend. A forced backend that cannot load is an error, not a silent fallback, so benches and
 * tests measure what they asked for.
 */
export async function selectBackend(preferred?: BackendName): Promise<SelectedBackend> {
  const order: BackendName[] = preferred ? [preferred] : ['tensorflow', 'wasm', 'cpu'];
  const reasons: string[] = [];
  for (const name of order) {
    const failure = await ATTEMPTS[name]();
    if (failure === null) return { name, tfjsVersion: tf.version.tfjs };
    reasons.push(`${name}: ${failure}`);
  }
  throw new Error(`no tfjs backend could be loaded (${reasons.join('; ')})`);
}
