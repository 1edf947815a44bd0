/**
 * Calls into main that never throw: a missing preload method (a channel this build does not have
 * yet) or a rejected invoke becomes an ordinary `{ ok: false }` Result the page can show.
 */
import type { ApiError, Result } from '../../../shared/api';

export async function call<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await fn();
  } catch (err) {
    const missing = err instanceof TypeError && /undefined|not a function/.test(err.message);
    const error: ApiError = missing
      ? { code: 'unknown-channel', message: `this build of the app has no such request yet (${err.message})` }
      : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
    return { ok: false, error };
  }
}

/**
 * `call` for an `$effect` that fetches: `use` gets the answer only if the effect has not re-run or
 * been torn down in the meantime, so a slow answer to an old question never overwrites a newer one.
 * Return what this returns from the effect: it is the cleanup.
 */
export function callLatest<T>(fn: () => Promise<Result<T>>, use: (result: Result<T>) => void): () => void {
  let current = true;
  void call(fn).then((result) => {
    if (current) use(result);
  });
  return () => {
    current = false;
  };
}
