/** Turns an error from main into a heading and a sentence a person can act on. */
import type { ApiError, ErrorCode } from '@shared/errors';

export interface PlainError {
  title: string;
  detail: string;
  code: string;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  'invalid-input': 'The request was refused',
  'not-found': 'Not found',
  'unknown-procedure': 'Not available in this build',
  busy: 'Main is busy',
  dataset: 'The dataset could not be used',
  internal: 'Something went wrong in main',
  conflict: 'That conflicts with what is stored',
  corrupt: 'The run database looks damaged',
  locked: 'The run database is locked by another program',
  'read-only': 'The run database is read-only',
  'newer-schema': 'The run database was written by a newer version',
  io: 'A file could not be read or written',
};

export function plainError(error: ApiError | Error | string | unknown): PlainError {
  if (typeof error === 'string') return { title: 'Something went wrong', detail: error, code: 'internal' };
  if (error && typeof error === 'object' && 'message' in error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : 'internal';
    const message = String((error as { message: unknown }).message);
    return { title: TITLES[code as ErrorCode] ?? 'Something went wrong', detail: sentence(message), code };
  }
  return { title: 'Something went wrong', detail: String(error), code: 'internal' };
}

/** First letter up, a full stop at the end: messages from main are lower-case fragments. */
function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return '';
  // Capitalise a plain word only: never a URL, path, file or key name ("train-images…: …").
  const plainWord = /^[a-z]+(\s|$)/.test(trimmed);
  const first = plainWord ? trimmed[0].toUpperCase() + trimmed.slice(1) : trimmed;
  return /[.!?…)]$/.test(first) ? first : `${first}.`;
}
