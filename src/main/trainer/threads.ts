/**
 * How many compute threads a trainer uses, in one place. In order, the first that is set wins, and
 * every answer is capped at the machine's cores:
 *   1. the start command's `threads` (a supervisor running several trainers passes 1 to each, or
 *      they fight over the cores);
 *   2. the `LENET5_THREADS` environment variable (the CLI's `--threads`, or a user's own cap: the
 *      more specific request beats the app setting);
 *   3. the start command's `maxThreads` (the app's `app:max-threads` setting);
 *   4. `DEFAULT_THREADS`.
 * The last two are caps, not orders: a run whose batches are smaller than `THREADED_MIN_BATCH`
 * gets one thread, because on such small kernels handing work to other threads costs more than
 * it saves. Measured on a 2-core Intel Xeon (2026-12-02), `npm run bench -- engine --batch B
 * --threads T`, training images/s, two runs each: batch 32, 1 thread 2,574 / 1,913 and 2 threads
 * 1,551 / 1,757; batch 256, 1 thread 3,705 / 3,309 and 2 threads 4,964 / 4,359. Steps timed on
 * their own in between put the break-even near 128 (1 thread 3,853 / 4,160, 2 threads 4,799 /
 * 4,366). Every preset trains at batch 32.
 *
 * The default is every core. Measured on the 2-core AMD EPYC this was built on (noisy: ±20%
 * between runs a minute apart), with our own kernels on the backend's heap and on the same threads
 * as XNNPACK (engine/backend/wasm-kernels/own-kernel-pool.ts), `npm run bench -- pytorch --pairs 3`
 * (2026-12-02): 2 threads 4,584 / 4,522 / 4,278 training images/s, 1 thread 3,649 / 3,595 / 3,778.
 * Beside one busy-looping process, `npm run bench -- kernels --batch 256`: 2 threads 3,010 / 2,541
 * images/s, 1 thread 2,874 / 3,225, so a busy machine costs about a tie, no longer the collapse of
 * the earlier threaded build (432–2,016 against 2,456–4,324 before our kernels were threaded).
 * `app:max-threads` or `--threads` caps it.
 */
import os from 'node:os';
import { resolveThreadCount } from '../engine/backend/wasm-threads';

export const THREADS_ENV = 'LENET5_THREADS';
export const DEFAULT_THREADS = os.availableParallelism();

/** The smallest batch for which a trainer uses more than one thread unless told to. */
export const THREADED_MIN_BATCH = 128;

export interface ThreadRequest {
  threads?: number;
  maxThreads?: number;
  config?: { batchSize: number };
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
