/**
 * How many compute threads a trainer uses: the start command's `threads`, else the
 * `LENET5_THREADS` environment variable (the CLI's `--threads`, or a user's cap), else
 * `DEFAULT_THREADS`; always capped at the machine's cores. A supervisor that runs several trainers
 * at once passes `threads: 1` to each.
 *
 * Why the default is 1 and not every core: on the 2-core machine this was built on, loaded by
 * other work, the threaded wasm build trained ~10× slower than one thread (XNNPACK's pool
 * spin-waits; see the issue-12 note). Re-measure on a quiet machine with
 * `npm run bench -- pytorch --threads 2` against `--threads 1` before raising it.
 */
import { resolveThreadCount } from '../engine/backend/wasm-threads';

export const THREADS_ENV = 'LENET5_THREADS';
export const DEFAULT_THREADS = 1;

export function trainerThreads(requested: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env[THREADS_ENV] === undefined || env[THREADS_ENV] === '' ? undefined : Number(env[THREADS_ENV]);
  return resolveThreadCount(requested ?? fromEnv ?? DEFAULT_THREADS);
}
