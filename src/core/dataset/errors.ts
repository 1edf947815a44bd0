/**
 * Every dataset problem the user can act on (missing folder, corrupt or foreign file, failed
 * download) is a `DatasetError`. Its message always starts with the file (or folder) concerned,
 * then says what is wrong, so it can be shown as-is in the UI, the CLI and a run's `failed` event.
 */
export class DatasetError extends Error {
  /** The file or folder the message is about (as named in the message). */
  readonly subject: string;

  constructor(subject: string, problem: string, options?: { cause?: unknown }) {
    super(`${subject}: ${problem}`, options);
    this.name = 'DatasetError';
    this.subject = subject;
  }
}

/** 60000 → "60,000": counts in messages are read by people. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
