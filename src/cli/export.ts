/**
 * `npm run export -- [--db PATH] [--runs 1,2,3|all] [--format json|csv] [--value last|best|epoch:N] [--out FILE]`
 *
 * Writes the runs as JSON (everything but the prediction blobs) or their per-epoch metrics as
 * CSV, to FILE or to stdout; `--value` picks each metric's last, best or at-epoch value per run.
 * The database defaults to $LENET_STUDIO_DB, else the app's own file.
 * The same operation as the window's Export buttons (`runs:export`), so the same checks apply.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDbPath } from '../core/paths';
import { callProcedure } from '../core/procedures';
import { openCliContext } from './context';
import { closestFlag } from './did-you-mean';
import { parseValueChoice } from '../shared/metric-value';
import { CommandUsageError, parsedOrExit, parseRunIds } from './usage';

const USAGE = `Usage: npm run export -- [--db PATH] [--runs 1,2,3|all] [--format json|csv] [--value last|best|epoch:N] [--out FILE]
  --db PATH       run database (default: $LENET_STUDIO_DB, else the app's studio.db)
  --runs LIST     comma-separated run ids, or "all" (default: all)
  --format F      json (whole runs) or csv (per-epoch metrics); default from --out's extension, else json
  --value V       each metric's last value, its best (highest accuracy, lowest loss) or the one at epoch N,
                  with the epoch it comes from: csv gives one row per run, json adds "values" to each run
  --out FILE      write here instead of stdout`;

interface ExportArgs {
  db: string;
  runs: number[] | 'all';
  format: 'json' | 'csv';
  out: string | null;
  value: string | undefined;
}

const EXPORT_FLAGS = ['db', 'runs', 'format', 'value', 'out', 'help'];

function parseArgs(argv: readonly string[]): ExportArgs | 'help' {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--(db|runs|format|value|out)(?:=(.*))?$/.exec(arg);
    if (!match) {
      const typed = /^--?([^=]+)/.exec(arg)?.[1];
      const suggestion = typed && closestFlag(typed, EXPORT_FLAGS);
      throw new CommandUsageError(
        `unknown argument ${JSON.stringify(arg)}${suggestion ? `: did you mean --${suggestion}?` : ''}`,
      );
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new CommandUsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  let runs: number[] | 'all' = 'all';
  if (values.runs !== undefined && values.runs !== 'all') {
    runs = parseRunIds(values.runs);
  }
  const out = values.out ? resolve(values.out) : null;
  const format = values.format ?? (out && extname(out).toLowerCase() === '.csv' ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv')
    throw new CommandUsageError(`--format must be json or csv (got ${JSON.stringify(format)})`);
  if (values.value !== undefined) {
    try {
      parseValueChoice(values.value);
    } catch (error) {
      throw new CommandUsageError(`--value: ${(error as Error).message}`);
    }
  }
  return { db: resolveDbPath(values.db ? ['--db', values.db] : []), runs, format, out, value: values.value };
}

/**
 * Run the export through `runs:export`, the window's own operation, with --out as the chosen
 * file; without --out into a temporary file that is then printed and removed. Resolves to the
 * process exit code (0 ok, 1 store error or a damaged run left out, 2 usage).
 */
export async function runExport(argv: readonly string[]): Promise<number> {
  const args = parsedOrExit('export', USAGE, () => parseArgs(argv));
  if (typeof args === 'number') return args;
  // Nothing to export from: say how to get a database, not just that there is none.
  if (!existsSync(args.db)) {
    process.stderr.write(
      `export: There is no run database at ${args.db}.\n` +
        `  Train a run first (npm run train -- --preset quick --db ${args.db}, or in the app: npm start),\n` +
        `  or name the database to export from: npm run export -- --db PATH\n`,
    );
    return 1;
  }
  // Without --out, a scratch folder (made only once the operation asks where to save), whose file
  // is printed and which is removed below.
  const scratch = { dir: null as string | null };
  const ctx = await openCliContext('export', args.db, {
    dbMustExist: true,
    dbReadOnly: true,
    log: () => {},
    chooseSavePath: async (name) =>
      args.out ?? join((scratch.dir = mkdtempSync(join(tmpdir(), 'lenet5-export-'))), name),
  });
  if (!ctx) return 1;
  try {
    const r = await callProcedure(ctx, 'runs:export', [{ ids: args.runs, format: args.format, value: args.value }]);
    if (!r.ok) {
      process.stderr.write(`export: ${r.error.message}\n`);
      return 1;
    }
    const { path, runs, skipped } = r.data!; // null only when a save dialog is cancelled
    if (scratch.dir) process.stdout.write(readFileSync(path, 'utf8'));
    else process.stderr.write(`export: wrote ${runs} run${runs === 1 ? '' : 's'} as ${args.format} to ${path}\n`);
    // The rest was saved; the damaged runs are named and the exit status says not everything was.
    for (const run of skipped) process.stderr.write(`export: left out run #${run.id}: ${run.reason}\n`);
    return skipped.length ? 1 : 0;
  } finally {
    await ctx.dispose();
    if (scratch.dir) rmSync(scratch.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runExport(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
