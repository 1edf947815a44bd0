/**
 * Worker threads for the project's own kernels: each worker instantiates the module on the wasm
 * backend's memory (shared in the threaded build, the only one with several threads) and runs,
 * when told, one exported function with the arguments it is given. A kernel splits its work into
 * parts (`runParts`): the first part runs on this thread, the others on the workers, and the call
 * returns when all are done. The hand-over is a shared Int32Array
 * per worker and Atomics.wait/notify, so a kernel stays synchronous, as tfjs requires.
 *
 * The tfjs wasm backend's own threads (XNNPACK's pool) serve its kernels; these serve ours. Off
 * (no workers) unless `setOwnKernelThreads(n > 1)`, which selectBackend calls for a threaded wasm.
 */
import { Worker } from 'node:worker_threads';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ownModule, type OwnFunctionName, type OwnModule } from './own-kernels';

/** Slots of a worker's control block. */
const GENERATION = 0;
const DONE = 1;
const FAILED = 2;
const FUNCTION = 3;
const ARG_COUNT = 4;
const ARGS = 5;
const MAX_ARGS = 24;

/** The worker, as CommonJS source (evaluated, so no file has to be found beside any bundle). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const slots = new Int32Array(control);
let seen = 0;
for (;;) {
  Atomics.wait(slots, ${GENERATION}, seen);
  seen = Atomics.load(slots, ${GENERATION});
  const args = [];
  for (let i = 0; i < slots[${ARG_COUNT}]; i++) args.push(slots[${ARGS} + i]);
  try {
    kernels[names[slots[${FUNCTION}]]](...args);
    slots[${FAILED}] = 0;
  } catch {
    slots[${FAILED}] = 1;
  }
  Atomics.store(slots, ${DONE}, seen);
  Atomics.notify(slots, ${DONE});
}
`;

interface PoolWorker {
  worker: Worker;
  slots: Int32Array;
}

let wanted = 1;
const workers: PoolWorker[] = [];
/** The module instance the workers run (a new one means new workers). */
let workersRun: OwnModule | null = null;
let names: OwnFunctionName[] = [];

/** Threads our kernels may use, this one included (1 = no workers). */
export function setOwnKernelThreads(threads: number): void {
  wanted = Math.max(1, Math.floor(threads));
}

export function ownKernelThreads(): number {
  return wanted;
}

function ensureWorkers(own: OwnModule): PoolWorker[] {
  if (workersRun !== own) {
    for (const { worker } of workers.splice(0)) void worker.terminate();
    workersRun = own;
  }
  if (workers.length >= wanted - 1) return workers;
  const { module, memory, kernels } = own;
  names = Object.keys(kernels) as OwnFunctionName[];
  while (workers.length < wanted - 1) {
    const control = new SharedArrayBuffer((ARGS + MAX_ARGS) * 4);
    // No inherited execArgv: the worker needs no loader the parent runs under (tsx's hooks), and
    // its start-up should not depend on a main thread that runParts blocks in Atomics.wait.
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { module, memory, control, names },
    });
    // Idle workers must not keep a finished trainer alive.
    worker.unref();
    workers.push({ worker, slots: new Int32Array(control) });
  }
  return workers;
}

/**
 * Run `name` once per argument list in `parts`, in parallel, and return when all have finished.
 * With one thread, one part or an unshared memory they simply run here, one after the other.
 */
export function runParts(backend: BackendWasm, name: OwnFunctionName, parts: number[][]): void {
  const own = ownModule(backend);
  const direct = own.kernels[name];
  if (wanted <= 1 || parts.length <= 1 || !own.shared) {
    for (const args of parts) direct(...args);
    return;
  }
  const pool = ensureWorkers(own);
  const handed: { slots: Int32Array; generation: number }[] = [];
  parts.slice(1).forEach((args, i) => {
    if (i >= pool.length) throw new Error(`runParts: ${parts.length} parts for ${pool.length + 1} threads`);
    const { slots } = pool[i];
    slots[FUNCTION] = names.indexOf(name);
    slots[ARG_COUNT] = args.length;
    slots.set(args, ARGS);
    const generation = Atomics.add(slots, GENERATION, 1) + 1;
    Atomics.notify(slots, GENERATION);
    handed.push({ slots, generation });
  });
  direct(...parts[0]);
  for (const { slots, generation } of handed) {
    for (;;) {
      const done = Atomics.load(slots, DONE);
      if (done === generation) break;
      Atomics.wait(slots, DONE, done);
    }
    if (slots[FAILED]) throw new Error(`own wasm kernel ${name} failed on a worker thread`);
  }
}

/** `count` items split into at most `threads` consecutive ranges, as [start, length] pairs. */
export function splitRange(count: number, threads: number): [number, number][] {
  const parts = Math.max(1, Math.min(threads, count));
  const ranges: [number, number][] = [];
  for (let p = 0, start = 0; p < parts; p++) {
    const length = Math.floor(count / parts) + (p < count % parts ? 1 : 0);
    ranges.push([start, length]);
    start += length;
  }
  return ranges;
}
