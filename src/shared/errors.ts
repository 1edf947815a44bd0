/**
 * How an operation fails, for every caller: a stable `code` and a message in words. Errors travel
 * as data (`Result`), because Electron's invoke drops custom fields of a thrown Error.
 */
/** Every way a call can fail, by code. The message says what happened in words. */
export const ERROR_CODES = [
  'invalid-input',
  'not-found',
  'unknown-procedure',
  'forbidden',
  'conflict',
  'busy',
  'unavailable',
  'dataset',
  'corrupt',
  'locked',
  'read-only',
  'newer-schema',
  'io',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** The codes the run store answers with (a subset: a store knows nothing of procedures or IPC). */
export const STORE_ERROR_CODES = [
  'not-found',
  'invalid-input',
  'conflict',
  'corrupt',
  'locked',
  'read-only',
  'newer-schema',
  'io',
] as const satisfies readonly ErrorCode[];
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];
