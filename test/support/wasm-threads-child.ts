/**
 * Child of test/unit/wasm-threads.test.ts: a fresh process (a wasm backend initialises once per
 * process) selects wasm with the thread count in argv[2], runs the training kernels that
 * XNNPACK parallelises (conv forward, both conv gradients, a matmul) on fixed inputs, and prints
 * one JSON line: the threads in use and the outputs, for the parent to compare with `cpu`.
 */
import { selectBackend } from '../../src/main/engine/backend';
import { kernelOutputs } from './wasm-threads-inputs';

async function main(): Promise<void> {
  const threads = Number(process.argv[2]);
  const selected = await selectBackend('wasm', { threads });
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const values = kernelOutputs();
  // Exit only once the (large, piped) line is out; the pthread workers would keep us alive.
  process.stdout.write(`${JSON.stringify({ selected, wasmThreads: getThreadsCount(), values })}\n`, () =>
    process.exit(0),
  );
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
