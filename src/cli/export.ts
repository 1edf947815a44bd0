/**
 * `npm run export -- [--db PATH] [--runs 1,2,3|all] [--format json|csv] [--out FILE]`
 *
 * Writes the runs as JSON (everything but the prediction blobs) or their per-epoch metrics as
 * CSV, to FILE or to stdout. The database defaults to $LENET_STUDIO_DB, else the app's own file.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore, resolveDbPath, StoreError } from '../main/store/index';
import { exportRuns, metricsCsv } from '../main/store/queries/export';
import { MAX_EXPORT_RUNS } from '../shared/runs';

const USAGE = `Usage: npm run export -- [--db PATH] [--runs 1,2,3|all] [--format json|csv] [--out FILE]
  --db PATH       run database (default: $LENET_STUDIO_DB, else the app's studio.db)
  --runs LIST     comma-separated run ids, or "all" (default: all)
  --format F      json (whole runs) or csv (per-epoch metrics); default from --out's extension, else json
  --out FILE      write here instead of stdout`;

interface ExportArgs {
  db: string;
  runs: number[] | 'all';
  format: 'json' | 'csv';
  out: string | null;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): ExportArgs | 'help' {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--(db|runs|format|out)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  let runs: number[] | 'all' = 'all';
  if (values.runs !== undefined && values.runs !== 'all') {
    runs = values.runs.split(',').map((part) => {
      const text = part.trim();
      // Strict: "1e2", "0x10", "3.0" and " " are not run ids.
      if (!/^[1-9][0-9]*$/.test(text))
        throw new UsageError(`--runs: ${JSON.stringify(part)} is not a run id (positive integer)`);
      return Number(text);
    });
  }
  const out = values.out ? resolve(values.out) : null;
  const format = values.format ?? (out && extname(out).toLowerCase() === '.csv' ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv')
    throw new UsageError(`--format must be json or csv (got ${JSON.stringify(format)})`);
  return { db: resolveDbPath(values.db ? ['--db', values.db] : []), runs, format, out };
}

/** Run the export; resolves to the process exit code (0 ok, 1 store error, 2 usage). */
export async function runExport(argv: readonly string[]): Promise<number> {
  let args: ExportArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`export: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const store = openStore(args.db, { mustExist: true });
    try {
      let ids: number[];
      if (args.runs === 'all') {
        ids = [];
        for (let offset = 0; ; offset += 500) {
          const page = store.listRuns({ sort: 'id', direction: 'asc', limit: 500, offset });
          ids.push(...page.rows.map((r) => r.id));
          if (ids.length >= page.total || page.rows.length === 0) break;
        }
        if (ids.length === 0) {
          process.stderr.write(`export: ${store.path} holds no runs\n`);
          return 1;
        }
      } else ids = args.runs;
      const chunks: string[] = [];
      // Export in batches of the schema's limit; JSON documents are merged into one.
      for (let i = 0; i < ids.length; i += MAX_EXPORT_RUNS) {
        const batch = ids.slice(i, i + MAX_EXPORT_RUNS);
        chunks.push(store.run(args.format === 'csv' ? metricsCsv : exportRuns, batch));
      }
      const text =
        args.format === 'csv'
          ? chunks.map((c, i) => (i === 0 ? c : c.slice(c.indexOf('\r\n') + 2))).join('')
          : mergeJson(chunks);
      if (args.out) {
        writeFileSync(args.out, text);
        process.stderr.write(
          `export: wrote ${ids.length} run${ids.length === 1 ? '' : 's'} as ${args.format} to ${args.out}\n`,
        );
      } else process.stdout.write(text);
      return 0;
    } finally {
      store.close();
    }
  } catch (error) {
    if (error instanceof StoreError) {
      process.stderr.write(`export: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}

function mergeJson(chunks: string[]): string {
  if (chunks.length === 1) return chunks[0];
  const docs = chunks.map((c) => JSON.parse(c) as { runs: unknown[] });
  return `${JSON.stringify({ ...docs[0], runs: docs.flatMap((d) => d.runs) }, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runExport(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
