/**
 * Backend selection for the trainer process: the native `tensorflow` backend from
 * @tensorflow/tfjs-node where it loads, otherwise WebAssembly (SIMD, with as many XNNPACK threads
 * as the caller asks: the trainer asks for all cores when one run trains, one each when several
 * do), with `cpu` only as a numerical reference or when forced. Outside this folder no engine
 * module names a backend (./filled-tensor.ts is where one needs to know).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from '../../../shared/training';
import type { SelectedBackend } from './types';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { setOwnKernelThreads } from './wasm-kernels/own-kernel-pool';
import { withNodeWasmThreads } from './wasm-threads';

export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels';
export { filledFloat32Tensor } from './filled-tensor';
export { ADAM_STEP, adamConstants, type AdamStepAttrs } from './wasm-kernels/adam-step';
export { adamInPlace, type AdamSlot } from './adam-in-place';

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

async function tryWasm(threads: number): Promise<string | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // These calls must precede the backend's initialisation; it happens once per process, so a
    // later call with another thread count keeps the first one's.
    const initialise = tf.findBackend('wasm') == null;
    if (initialise) {
      wasm.setWasmPaths(wasmBinaryDir());
      wasm.setThreadsCount(threads);
      // Node's default answer is false (no threaded build in Node): see ./wasm-threads.ts.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
    }
    registerWasmTrainingKernels();
    const start = () => withoutEmscriptenProcessHandlers(() => tf.setBackend('wasm'));
    const ok = initialise && threads > 1 ? await withNodeWasmThreads(threads, start) : await start();
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

const ATTEMPTS: Record<BackendName, (threads: number) => Promise<string | null>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

export interface SelectOptions {
  /** wasm compute threads (already capped at the cores by the caller: core/trainer/threads.ts); default 1. */
  threads?: number;
}

/** The thread count the active backend really uses. */
async function threadsInUse(name: BackendName, asked: number): Promise<number> {
  if (name !== 'wasm') return name === 'cpu' ? 1 : asked;
  return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
}

/**
 * Make `preferred` (or else the fastest that loads: tensorflow → wasm → cpu) the active tfjs
 * backend. A forced backend that cannot load is an error, not a silent fallback, so benches and
 * tests measure what they asked for.
 */
export async function selectBackend(preferred?: BackendName, options: SelectOptions = {}): Promise<SelectedBackend> {
  const order: BackendName[] = preferred ? [preferred] : ['tensorflow', 'wasm', 'cpu'];
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const reasons: string[] = [];
  for (const name of order) {
    const failure = await ATTEMPTS[name](threads);
    if (failure === null) {
      const used = await threadsInUse(name, threads);
      // Our own kernels (wasm-kernels/own-kernel-pool.ts) use as many threads as XNNPACK does.
      if (name === 'wasm') setOwnKernelThreads(used);
      return { name, tfjsVersion: tf.version.tfjs, threads: used };
    }
    reasons.push(`${name}: ${failure}`);
  }
  throw new Error(`no tfjs backend could be loaded (${reasons.join('; ')})`);
}
