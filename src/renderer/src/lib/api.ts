/**
 * The renderer's only way to main: the preload's `window.studio`, one generic `invoke(name, input)`
 * over the procedure table and one `subscribe(event, listener)`. `settle` is the one path from any
 * call to a `Result` (a rejected invoke becomes a readable `{ code, message }` too); `resource`
 * (./resource.svelte) builds on it for everything a panel shows.
 */
import type { ProcedureName, ResultOf, InvokeArgs, StudioBridge } from '@shared/procedures';
import type { ApiError, Result } from '@shared/errors';

export const { invoke, subscribe }: StudioBridge = window.studio;

/** A failed call as a thrown error, for loaders that must throw (the image galleries' pages). */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/**
 * Runs a call and answers its `Result`, never throwing: a rejection (no handler in main, a broken
 * bridge) or a thrown `ApiFailure` becomes an ordinary `{ ok: false }` the page can show.
 */
export async function settle<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await fn();
  } catch (err) {
    return { ok: false, error: asApiError(err) };
  }
}

/** `invoke` that answers the data or throws an `ApiFailure` (for gallery page loaders). */
export async function invokeData<N extends ProcedureName>(name: N, ...args: InvokeArgs<N>): Promise<ResultOf<N>> {
  const result = await settle(() => invoke(name, ...args));
  if (!result.ok) throw new ApiFailure(result.error);
  return result.data;
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.error;
  const message = err instanceof Error ? err.message : String(err);
  // A name main has no handler for, or a bridge without the method: this build lacks the operation.
  const missing =
    (err instanceof TypeError && /is not a function/.test(message)) || /No handler registered/.test(message);
  return missing
    ? { code: 'unknown-procedure', message: `this build of the app has no such request yet (${message})` }
    : { code: 'internal', message };
}
