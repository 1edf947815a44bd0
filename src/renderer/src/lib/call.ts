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
