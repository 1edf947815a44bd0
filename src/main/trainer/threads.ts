/**
 * How many compute threads a trainer uses, in one place. In order, the first that is set wins, and
 * every answer is capped at the machine's cores:
 *   1. the start command's `threads` (a supervisor running several trainers passes 1 to each, or
 *      they fight over the cores);
 *   2. the `LENET5_THREADS` environment variable (the CLI's `--threads`, or a user's own cap: the
 *      more specific request beats the app setting);
 *   3. the start command's `maxThreads` (the app's `app:max-threads` setting);
 *   4. `DEFAULT_THREADS`.
 *
 * Why the default is 1 and not every core, measured on the 2-core machines this was built on:
 * - quiet, `npm run bench -- pytorch --threads 2` against `--threads 1` (2026-12-02, three pairs
 *   each): 2 threads 4,305 / 5,148 / 4,956 training images/s, 1 thread 5,618 / 5,520 / 5,702, while
 *   our own kernels were single-threaded.
 * - since our kernels split across threads too (engine/backend/wasm-kernels/own-kernel-pool.ts),
 *   on a noisier AMD EPYC: 2 threads 3,443 / 3,679 images/s against 1 thread 3,390 / 3,019 / 3,105
 *   (another hour's figures): at most a tie, because XNNPACK's threaded build makes every small
 *   element-wise op dearer.
 * - loaded by other work (load average 5–12), the threaded wasm build collapses: XNNPACK's pool
 *   spin-waits for a core another process holds (2 threads 432–2,016 images/s, 1 thread
 *   2,456–4,324).
 * So every core is opt-in: the `app:max-threads` setting or `--threads`. Re-measure before raising
 * the default.
 */
import { resolveThreadCount } from '../engine/backend/wasm-threads';

export const THREADS_ENV = 'LENET5_THREADS';
export const DEFAULT_THREADS = 1;

export interface ThreadRequest {
  threads?: number;
  maxThreads?: number;
}

function fromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[THREADS_ENV];
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 1 ? n : undefined;
}

export function trainerThreads(request: ThreadRequest = {}, env: NodeJS.ProcessEnv = process.env): number {
  return resolveThreadCount(request.threads ?? fromEnv(env) ?? request.maxThreads ?? DEFAULT_THREADS);
}
