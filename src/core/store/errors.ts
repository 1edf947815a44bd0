/**
 * One error type for everything the store refuses or cannot do. `code` is stable (the IPC layer
 * sends it to the renderer); `message` says what happened in words and names the file when the
 * problem is the database file itself.
 */
import type { z } from 'zod';
import type { StoreErrorCode } from '../../shared/errors';
import { describeZodIssues } from '../../shared/validation';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The one wording for a database that cannot be changed (its file or folder is not writable, or
 * the file system refused a write), naming the file. `why` adds SQLite's or the OS's own words.
 */
export function readOnlyError(file: string, why?: string, cause?: unknown): StoreError {
  const detail = why ? ` (${why})` : '';
  return new StoreError(
    'read-only',
    `The run database ${file} is read-only${detail}: runs can be viewed but not started or changed.`,
    cause === undefined ? undefined : { cause },
  );
}

/** better-sqlite3's SqliteError carries the extended result code name, e.g. SQLITE_BUSY_SNAPSHOT. */
function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/**
 * Translate a SQLite (or file system) error into a StoreError naming the database file.
 * StoreErrors pass through unchanged; anything unrecognised is rethrown as is.
 */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const detail = (error as Error | null)?.message ?? String(error);
  if (code) {
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return new StoreError('not-found', `The run this refers to no longer exists in ${file}.`, { cause: error });
    }
    if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
      return new StoreError(
        'corrupt',
        `The run database ${file} is damaged or not a SQLite database (${detail}). It was left untouched; move it aside to start a new one.`,
        { cause: error },
      );
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return new StoreError(
        'locked',
        `The run database ${file} is locked by another process (${detail}); try again when it has finished writing.`,
        { cause: error },
      );
    }
    if (code.startsWith('SQLITE_READONLY')) return readOnlyError(file, detail, error);
    if (
      code.startsWith('SQLITE_CANTOPEN') ||
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_FULL') ||
      code.startsWith('SQLITE_PERM')
    ) {
      return new StoreError('io', `The run database ${file} could not be read or written (${detail}).`, {
        cause: error,
      });
    }
  }
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
    return readOnlyError(file, detail, error);
  }
  return error;
}

/** Parse untrusted input with a shared schema; refuse with 'invalid-input' listing each problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new StoreError('invalid-input', `Invalid ${what}: ${describeZodIssues(result.error).join('; ')}`);
}
