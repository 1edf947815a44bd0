/**
 * How many compute threads a trainer uses, in one place. In order, the first that is set wins, and
 * every answer is capped at the machine's cores:
 *   1. the start command's `threads` (a supervisor running several trainers passes 1 to each, or
 *      they fight over the cores);
 *   2. the `LENET5_THREADS` environment variable (the CLI's `--threads`, or a user's own cap: the
 *      more specific request beats the app setting);
 *   3. the start command's `maxThreads` (the app's `app:max-threads` setting);
 *   4. `DEFAULT_THREADS`, every core.
 * The last two are caps, not orders: a run whose batches are smaller than `THREADED_MIN_BATCH`
 * gets one thread, because on such small kernels handing work to other threads costs more than it
 * saves (a run the fused LeNet step trains is the exception: it splits whole images over two
 * threads, which pays at batch 32; trainer/run-trainer.ts `wasmThreads`). Both rules are measured, not assumed: `npm run bench -- engine --batch B --threads T`
 * (training images/s by batch size and thread count) and `npm run bench -- pytorch --scaling`
 * (what the second core gains, beside PyTorch's gain on the same machine) check them.
 */
import os from 'node:os';

export const THREADS_ENV = 'LENET5_THREADS';
export const DEFAULT_THREADS = os.availableParallelism();

/** The smallest batch for which a trainer uses more than one thread unless told to. */
export const THREADED_MIN_BATCH = 128;

export interface ThreadRequest {
  threads?: number;
  maxThreads?: number;
  config?: { batchSize: number };
}

/** Threads to use: `requested` capped at the machine's cores, else all cores; at least 1. */
export function resolveThreadCount(requested?: number | null): number {
  const cores = os.availableParallelism();
  if (requested == null || !Number.isFinite(requested)) return cores;
  return Math.max(1, Math.min(cores, Math.floor(requested)));
}

function fromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[THREADS_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

export function trainerThreads(request: ThreadRequest = {}, env: NodeJS.ProcessEnv = process.env): number {
  const exact = request.threads ?? fromEnv(env);
  if (exact !== undefined) return resolveThreadCount(exact);
  const smallBatches = request.config !== undefined && request.config.batchSize < THREADED_MIN_BATCH;
  return smallBatches ? 1 : resolveThreadCount(request.maxThreads ?? DEFAULT_THREADS);
}
