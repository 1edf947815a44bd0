/**
 * `npm run report -- --runs 3,4 --out report.html [--db PATH]`: one self-contained HTML report of
 * a run or a comparison, through the window's own operation (`runs:report`), with --out as the
 * chosen file, so the same checks apply (it never writes over the studio's own files).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDbPath } from '../core/paths';
import { callProcedure } from '../core/procedures';
import { MAX_REPORT_RUNS } from '../shared/runs';
import { openCliContext } from './context';
import { explainArgsError } from './did-you-mean';
import { CommandUsageError, parsedOrExit, parseRunIds } from './usage';

const USAGE = `Usage: npm run report -- --runs 3,4 --out report.html [--db PATH]
  --runs LIST     comma-separated run ids, 1 to ${MAX_REPORT_RUNS} (one run, or a comparison)
  --out FILE      the HTML file to write (self-contained: opens offline in any browser)
  --db PATH       run database (default: $LENET_STUDIO_DB, else the app's studio.db)`;

const OPTIONS = {
  runs: { type: 'string' },
  out: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]): { runs: number[]; out: string; db: string } | 'help' {
  let values;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CommandUsageError(explainArgsError(err, Object.keys(OPTIONS)));
  }
  if (values.help) return 'help';
  if (!values.runs) throw new CommandUsageError('--runs is required (e.g. --runs 3 or --runs 3,4)');
  if (!values.out) throw new CommandUsageError('--out is required (the .html file to write)');
  const runs = parseRunIds(values.runs);
  return { runs, out: resolve(values.out), db: resolveDbPath(values.db ? ['--db', values.db] : []) };
}

/** The process exit code: 0 written, 1 refused or failed, 2 usage. */
export async function runReport(argv: string[]): Promise<number> {
  const args = parsedOrExit('report', USAGE, () => parse(argv));
  if (typeof args === 'number') return args;
  if (!existsSync(args.db)) {
    process.stderr.write(`report: There is no run database at ${args.db} (name one with --db PATH).\n`);
    return 1;
  }
  const out = args.out;
  const ctx = await openCliContext('report', args.db, {
    dbMustExist: true,
    dbReadOnly: true,
    log: () => {},
    chooseSavePath: async () => out,
  });
  if (!ctx) return 1;
  try {
    const r = await callProcedure(ctx, 'runs:report', [{ ids: args.runs }]);
    if (!r.ok) {
      process.stderr.write(`report: ${r.error.message}\n`);
      return r.error.code === 'invalid-input' ? 2 : 1;
    }
    const { path, bytes, runs } = r.data!; // null only when a save dialog is cancelled
    process.stdout.write(
      `report: wrote ${runs} run${runs === 1 ? '' : 's'} to ${path} (${(bytes / 1024).toFixed(0)} KB, self-contained)\n`,
    );
    return 0;
  } finally {
    await ctx.dispose();
  }
}
