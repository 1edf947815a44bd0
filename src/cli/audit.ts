/**
 * `npm run audit -- [--db PATH] --run ID [--pair Shirt,T-shirt] [--top N] [--json]`
 *
 * The label audit of a run (shared/audit.ts): its training images most likely mislabeled or
 * ambiguous, lowest area under the margin first: index, given label, the class the network believes,
 * the AUM, why flagged and the user's mark. A run without margins (recorded before they existed,
 * or stopped before its first epoch) is said so and the exit status is 1.
 * Through the app's own `audit:list`.
 */
import { parseArgs } from 'node:util';
import { callProcedure } from '../core/procedures';
import { resolveDbPath } from '../core/paths';
import { DEFAULT_AUDIT_TOP, type AuditEntry } from '../shared/audit';
import { CLASS_NAMES } from '../shared/training';
import { openCliContext } from './context';
import { closestFlag, explainArgsError } from './did-you-mean';

const USAGE = `Usage: npm run audit -- [--db PATH] --run ID [--pair A,B] [--top N] [--json]
  --db PATH     run database (default: $LENET_STUDIO_DB, else the app's studio.db)
  --run ID      the run whose training images are audited
  --pair A,B    only images given one of the two classes and believed to be the other
                (class names as in the app, e.g. Shirt,T-shirt; case does not matter)
  --top N       how many images to list (default ${DEFAULT_AUDIT_TOP})
  --json        the whole answer as JSON`;

const FLAGS = ['db', 'run', 'pair', 'top', 'json', 'help'];

class UsageError extends Error {}

interface AuditArgs {
  db: string;
  run: number;
  pair?: [number, number];
  top: number;
  json: boolean;
}

/** A class by its name, or the part before "/" ("T-shirt" for "T-shirt/top"), any case. */
function classByName(text: string): number {
  const wanted = text.trim().toLowerCase();
  const names = CLASS_NAMES.map((n) => n.toLowerCase());
  const found = names.findIndex((n) => n === wanted || n.split('/')[0] === wanted);
  if (found >= 0) return found;
  const guess = closestFlag(wanted, names);
  throw new UsageError(
    `--pair: ${JSON.stringify(text)} is not a class${guess ? `: did you mean ${CLASS_NAMES[names.indexOf(guess)]}?` : ''} (classes: ${CLASS_NAMES.join(', ')})`,
  );
}

function parse(argv: string[]): AuditArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        db: { type: 'string' },
        run: { type: 'string' },
        pair: { type: 'string' },
        top: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(explainArgsError(err, FLAGS));
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (!values.run || !/^[1-9][0-9]*$/.test(values.run))
    throw new UsageError(
      `--run needs a run id (a positive integer)${values.run ? `, got ${JSON.stringify(values.run)}` : ''}`,
    );
  if (values.top !== undefined && !/^[1-9][0-9]*$/.test(values.top))
    throw new UsageError(`--top needs a positive whole number, got ${JSON.stringify(values.top)}`);
  let pair: [number, number] | undefined;
  if (values.pair !== undefined) {
    const parts = values.pair.split(',');
    if (parts.length !== 2)
      throw new UsageError(`--pair needs two class names separated by a comma, got ${JSON.stringify(values.pair)}`);
    pair = [classByName(parts[0]), classByName(parts[1])];
    if (pair[0] === pair[1])
      throw new UsageError(`--pair needs two different classes, got ${CLASS_NAMES[pair[0]]} twice`);
  }
  return {
    db: resolveDbPath(values.db ? ['--db', values.db] : []),
    run: Number(values.run),
    ...(pair && { pair }),
    top: values.top === undefined ? DEFAULT_AUDIT_TOP : Number(values.top),
    json: values.json,
  };
}

function line(e: AuditEntry): string {
  const mark = e.mark ? `  [marked ${e.mark}]` : '';
  return `#${String(e.index).padEnd(6)} ${e.aum.toFixed(2).padStart(7)}  ${e.flag.padEnd(17)} ${e.reason}${mark}`;
}

/** Resolves to the exit code: 0 a list, 1 no margins for the run or a store error, 2 usage. */
export async function runAudit(argv: string[]): Promise<number> {
  let args: AuditArgs | 'help';
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`audit: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const ctx = await openCliContext('audit', args.db, { dbMustExist: true, dbReadOnly: true, log: () => {} });
  if (!ctx) return 1;
  try {
    const r = await callProcedure(ctx, 'audit:list', [
      { runId: args.run, top: args.top, ...(args.pair && { pair: args.pair }) },
    ]);
    if (!r.ok) {
      process.stderr.write(`audit: ${r.error.message}\n`);
      return 1;
    }
    const result = r.data;
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${result.message}\n`);
      if (result.entries.length) process.stdout.write(`image      AUM  flag              why\n`);
      for (const entry of result.entries) process.stdout.write(`${line(entry)}\n`);
    }
    return result.state === 'ready' ? 0 : 1;
  } finally {
    await ctx.dispose();
  }
}
