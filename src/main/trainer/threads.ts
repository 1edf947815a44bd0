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
 * Why the default is 1 and not every core: on the 2-core machine this was built on, loaded by
 * other work, the threaded wasm build trains slower than one thread and sometimes collapses
 * (XNNPACK's pool spin-waits for a core another process holds). Measured 2026-12-02 with
 * `npm run bench -- pytorch --backend wasm --threads 2` against `--threads 1`, three processes
 * each, load average 5–12: 2 threads 1,926 / 432 / 2,016 training images/s (37–165 s a process),
 * 1 thread 2,456 / 2,735 / 4,324 (17–30 s); a second round, busier still, 2 threads 1,049 / 480 /
 * 519, 1 thread 496 / 398 / 1,515. On a quiet machine 2 threads were 1.2–1.4× one (issue 12).
 * So every core is opt-in: the `app:max-threads` setting or `--threads`. Re-measure on a quiet
 * machine before raising the default.
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
