/** What the small commands (export, report) share about reading their command line. */

/** A bad command line: shown with the usage, exit status 2. */
export class CommandUsageError extends Error {}

/** `--runs 1,2,3`: positive integer ids; "1e2", "0x10", "3.0" and " " are not run ids. */
export function parseRunIds(list: string): number[] {
  return list.split(',').map((part) => {
    const text = part.trim();
    if (!/^[1-9][0-9]*$/.test(text))
      throw new CommandUsageError(`--runs: ${JSON.stringify(part)} is not a run id (positive integer)`);
    return Number(text);
  });
}

/**
 * The parsed arguments, or the exit status after printing: 0 for --help (the usage on stdout),
 * 2 for a bad command line (the reason and the usage on stderr).
 */
export function parsedOrExit<T>(command: string, usage: string, parse: () => T | 'help'): T | number {
  let args: T | 'help';
  try {
    args = parse();
  } catch (error) {
    if (!(error instanceof CommandUsageError)) throw error;
    process.stderr.write(`${command}: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (args !== 'help') return args;
  process.stdout.write(`${usage}\n`);
  return 0;
}
