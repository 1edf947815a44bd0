/**
 * Child of test/unit/wasm-threads.test.ts: a fresh process (a wasm backend initialises once per
 * process) selects wasm with the thread count in argv[2], runs the training kernels that
 * XNNPACK parallelises (conv forward, both conv gradients, a matmul) and our own kernels (with
 * their pool on 1 thread, then on all) on fixed inputs, and prints one JSON line: the threads in
 * use, the outputs, and what a part that traps on a worker thread throws, for the parent to check.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../src/core/engine/backend';
import {
  ownKernelThreads,
  runParts,
  setOwnKernelThreads,
} from '../../src/core/engine/backend/wasm-kernels/own-kernel-pool';
import { kernelOutputs, ownKernelOutputs } from './wasm-threads-inputs';

/** filterGradTasks with a 1×1 task on x at `x`: harmless at 0, a trap far past the heap. */
const filterGradArgs = (x: number) => [x, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4];

function trapOnWorker(backend: BackendWasm): { error: string; afterwards: string } {
  const attempt = (parts: number[][]) => {
    try {
      runParts(backend, 'filterGradTasks', parts);
      return 'no error';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  // Part 1 (the worker's) points past the heap: its trap must reach this thread.
  const error = attempt([filterGradArgs(0), filterGradArgs(0x7fff0000)]);
  return { error, afterwards: attempt([filterGradArgs(0), filterGradArgs(0)]) };
}

async function main(): Promise<void> {
  const threads = Number(process.argv[2]);
  const selected = await selectBackend('wasm', { threads });
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const values = kernelOutputs();
  const ownThreads = ownKernelThreads();
  setOwnKernelThreads(1);
  const ownOneThread = ownKernelOutputs();
  setOwnKernelThreads(ownThreads);
  const own = ownKernelOutputs();
  const trap = trapOnWorker(tf.backend() as BackendWasm);
  const line = { selected, wasmThreads: getThreadsCount(), values, ownThreads, ownOneThread, own, trap };
  // Exit only once the (large, piped) line is out; the pthread workers would keep us alive.
  process.stdout.write(`${JSON.stringify(line)}\n`, () => process.exit(0));
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
