/**
 * `npm run predict -- [--db PATH] --run ID [--checkpoint best|last] [--json] FILE...`
 *
 * One line per file: its name, the top class with its probability and the next two; `--json`
 * prints one array of { file, predicted, probability, probabilities }. A file that cannot be read
 * as an image is reported by name (and the exit status is 1); the other files are still reported.
 * Through the app's own `inspect:predict`, answered by the inspector process.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFileSize, ImageInputError } from '../core/inspector';
import { callProcedure } from '../core/procedures';
import { openCliContext } from './context';
import { explainArgsError } from './did-you-mean';
import { resolveDbPath } from '../core/paths';
import { CHECKPOINT_ROLES, MAX_PREDICT_FILES, type CheckpointChoice, type PredictOutcome } from '../shared/inspect';
import { CLASS_NAMES } from '../shared/training';

const USAGE = `Usage: npm run predict -- [--db PATH] --run ID [--checkpoint best|last] [--json] FILE...
  --db PATH          run database (default: $LENET_STUDIO_DB, else the app's studio.db)
  --run ID           the run whose checkpoint predicts
  --checkpoint ROLE  best (default) or last
  --json             one JSON array: { file, predicted, probability, probabilities }
  FILE...            PNG or JPEG images (at most 10 MB, 4096×4096 pixels each)`;

class UsageError extends Error {}

interface PredictArgs {
  db: string;
  run: number;
  checkpoint: CheckpointChoice;
  json: boolean;
  files: string[];
}

function parse(argv: string[]): PredictArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: 'string' },
        run: { type: 'string' },
        checkpoint: { type: 'string', default: 'best' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(explainArgsError(err, ['db', 'run', 'checkpoint', 'json', 'help']));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (!values.run || !/^[1-9][0-9]*$/.test(values.run))
    throw new UsageError(
      `--run needs a run id (a positive integer)${values.run ? `, got ${JSON.stringify(values.run)}` : ''}`,
    );
  if (!(CHECKPOINT_ROLES as readonly string[]).includes(values.checkpoint))
    throw new UsageError(`--checkpoint must be best or last (got ${JSON.stringify(values.checkpoint)})`);
  if (positionals.length === 0) throw new UsageError('name at least one image file');
  return {
    db: resolveDbPath(values.db ? ['--db', values.db] : []),
    run: Number(values.run),
    checkpoint: values.checkpoint as CheckpointChoice,
    json: values.json,
    files: positionals,
  };
}

/** The file's bytes, or the reason it cannot be sent (missing, a folder, empty, too large). */
function readImageFile(file: string): Uint8Array | string {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return `${file} is not a file.`;
    checkFileSize(file, stat.size);
    return new Uint8Array(readFileSync(file));
  } catch (err) {
    if (err instanceof ImageInputError) return err.message;
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${file} does not exist.` : `${file} could not be read (${(err as Error).message}).`;
  }
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

function line(outcome: PredictOutcome): string {
  if (!outcome.ok) return `${outcome.file}: ${outcome.error}`;
  const ranked = outcome.probabilities.map((p, c) => ({ p, c })).sort((a, b) => b.p - a.p);
  const [top, ...rest] = ranked;
  const next = rest
    .slice(0, 2)
    .map((r) => `${CLASS_NAMES[r.c]} ${percent(r.p)}`)
    .join(', ');
  return `${outcome.file}: ${CLASS_NAMES[top.c]} ${percent(top.p)} (then ${next})`;
}

/** Resolves to the exit code: 0 all predicted, 1 a file or the run failed, 2 usage. */
export async function runPredict(argv: string[]): Promise<number> {
  let args: PredictArgs | 'help';
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`predict: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const ctx = await openCliContext('predict', args.db, { log: () => {} });
  if (!ctx) return 1;
  try {
    const outcomes: PredictOutcome[] = [];
    const readable: { name: string; bytes: Uint8Array; at: number }[] = [];
    args.files.forEach((file, at) => {
      const bytes = readImageFile(file);
      if (typeof bytes === 'string') outcomes[at] = { file, ok: false, error: bytes };
      else readable.push({ name: file, bytes, at });
    });
    for (let start = 0; start < readable.length; start += MAX_PREDICT_FILES) {
      const chunk = readable.slice(start, start + MAX_PREDICT_FILES);
      const r = await callProcedure(ctx, 'inspect:predict', [
        {
          runId: args.run,
          checkpoint: args.checkpoint,
          files: chunk.map(({ name, bytes }) => ({ name: basename(name).slice(0, 255), bytes })),
        },
      ]);
      if (!r.ok) {
        process.stderr.write(`predict: ${r.error.message}\n`);
        return 1;
      }
      r.data.results.forEach((outcome, k) => (outcomes[chunk[k].at] = { ...outcome, file: chunk[k].name }));
    }
    if (args.json) {
      const rows = outcomes.map((o) =>
        o.ok
          ? {
              file: o.file,
              predicted: CLASS_NAMES[o.predicted],
              probability: o.probabilities[o.predicted],
              probabilities: o.probabilities,
            }
          : { file: o.file, error: o.error },
      );
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      for (const o of outcomes) (o.ok ? process.stdout : process.stderr).write(`${line(o)}\n`);
    }
    return outcomes.every((o) => o.ok) ? 0 : 1;
  } finally {
    await ctx.dispose();
  }
}
