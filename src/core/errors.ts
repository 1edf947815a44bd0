/**
 * The error main's domains throw on purpose (the dataset, the run service, the procedures): its
 * `code` is one of the table's error codes and its message reaches the caller as it is. The store
 * has its own `StoreError` with the same shape; `toApiError` accepts both.
 */
import { ERROR_CODES, type ApiError, type ErrorCode } from '../shared/errors';

export class StudioError extends Error {
  override readonly name = 'StudioError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * What a caller is told about a failed operation. An error with a known code (StudioError,
 * StoreError) keeps its words; anything else is an `internal` error named after the operation.
 */
export function toApiError(operation: string, err: unknown): ApiError {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof StudioError) return { code: err.code, message };
  if (typeof code === 'string' && KNOWN_CODES.has(code))
    return { code: code as ErrorCode, message: `${operation}: ${message}` };
  return { code: 'internal', message: `${operation}: ${message}` };
}
