/**
 * A count with its noun, singular for exactly one ("1 epoch", "3 epochs", "0 epochs"): the one
 * plural rule of the CLI and the window, so no message reads "(1 epochs)".
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
