/**
 * The renderer's only way to main: the preload's `window.api`. Helpers here turn a `Result` into a
 * value or a readable error so components stay short.
 */
import type { Api, ApiError, Result } from '../../../shared/api';

export const api: Api = window.api;

/** Thrown by `unwrap` so a component can show `message` in plain words. */
export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ApiFailure(result.error);
  return result.data;
}
