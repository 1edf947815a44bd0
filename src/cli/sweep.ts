/**
 * `npm run sweep -- [--preset NAME] [any train option] --vary FLAG=V1,V2,… | --vary FLAG=LO..HI[:log][:N]
 *   [--method grid|random|tpe --samples N] [--seeds K] [--parallel P] [--halve-at E1,E2,…] [--yes] [--db PATH]`
 * The sweep's runs go into the studio database like any run, grouped as a sweep. One line per
 * finished run, then a table sorted by best test accuracy (group means ± std when seeds repeat),
 * beside it the test accuracy `--value` picks (last, best, at epoch N; cli/sweep-table.ts).
 * `--method tpe` proposes each combination from the finished ones (shared/tpe.ts, core/runs/sequential-sweep.ts).
 * `--halve-at` turns on successive halving (shared/halving.ts); the table marks the runs it stopped.
 */
import { parseArgs } from 'node:util';
import { callProcedure } from '../core/procedures';
import { openCliContext } from './context';
import { defaultDbPath } from '../core/paths';
import { parseVarySpec, SweepError, type SweepDefinitionInput, type VarySpec } from '../shared/sweep';
import { halvingProblem, isPruned, parseHalvingEpochs } from '../shared/halving';
import { LAST_VALUE, parseValueChoice, type ValueChoice } from '../shared/metric-value';
import { ending, pct, sweepTable } from './sweep-table';
import {
  fieldSections,
  helpText,
  otherOptionRows,
  parseTrainArgs,
  UsageError,
  type HelpSection,
} from './train-options';

/** The sweep's own options. */
const SWEEP_OPTIONS = {
  vary: { type: 'string', multiple: true },
  method: { type: 'string' },
  samples: { type: 'string' },
  'sampling-seed': { type: 'string' },
  seeds: { type: 'string' },
  parallel: { type: 'string' },
  'halve-at': { type: 'string' },
  value: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** Each sweep option's line in `--help`: [flag with its value, what it does]. */
const SWEEP_HELP = {
  vary: [
    '--vary FLAG=V1,V2,…',
    'a field and its values, or FLAG=LO..HI[:log][:N] for N points of a range (repeat for more fields)',
  ],
  method: [
    '--method grid|random|tpe',
    'every combination (default), --samples drawn at random, or --samples proposed one after another from the finished runs (TPE)',
  ],
  samples: ['--samples N', 'random, tpe: how many combinations to try (default 10)'],
  'sampling-seed': [
    '--sampling-seed N',
    'random, tpe: seeds the draws, so the same command (and, for tpe, the same results) gives the same runs',
  ],
  seeds: ['--seeds K', 'run every combination with K random seeds: seed, seed+1, … (default 1)'],
  parallel: ['--parallel P', "trainers at once (default: the app's setting)"],
  'halve-at': ['--halve-at E1,E2,…', 'successive halving: after each of these epochs the worse half of the runs stops'],
  value: [
    '--value last|best|epoch:N',
    "the table's test accuracy beside the best: each run's last (default), its highest, or at epoch N",
  ],
  yes: ['--yes', 'start a sweep of more than 1,000 runs without asking'],
} satisfies Record<keyof typeof SWEEP_OPTIONS, [string, string]>;

const USAGE = helpText(
  'Usage: npm run sweep -- [--preset NAME] [train options] --vary FLAG=V1,V2,… [--vary …] [sweep options]\n' +
    'Every run starts from the preset and the train options; --vary names a field by its flag below.',
  [
    ['Sweep', Object.values(SWEEP_HELP)],
    ...fieldSections().map(([title, rows]): HelpSection => [
      `${title} fields (to --vary, or to set for every run)`,
      rows,
    ]),
    // Resuming and the parameter summary are train's alone.
    ['Other', otherOptionRows().filter(([flag]) => !/^--(resume|summary)\b/.test(flag))],
  ],
);

/** Split the sweep's own options from the train options (passed on to parseTrainArgs). */
function splitArgs(argv: string[]): { sweep: string[]; train: string[] } {
  const sweep: string[] = [];
  const train: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').split('=')[0];
    const target = argv[i].startsWith('--') && name in SWEEP_OPTIONS ? sweep : train;
    target.push(argv[i]);
    const takesValue = name in SWEEP_OPTIONS && SWEEP_OPTIONS[name as keyof typeof SWEEP_OPTIONS].type === 'string';
    if (target === sweep && takesValue && !argv[i].includes('=') && i + 1 < argv.length) sweep.push(argv[++i]);
  }
  return { sweep, train };
}

/** `--value`: which test accuracy the closing table shows beside the best (last without it). */
function valueChoice(raw: string | undefined): ValueChoice {
  if (raw === undefined) return LAST_VALUE;
  try {
    return parseValueChoice(raw);
  } catch (err) {
    throw new UsageError(`--value: ${(err as Error).message}`);
  }
}

function integer(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag}: must be an integer (got "${raw}")`);
  return n;
}

/** `--halve-at 2,4` → the rung epochs, checked against the sweep's epochs; refusals name the flag. */
function halveAt(raw: string | undefined, epochs: number): number[] | undefined {
  if (raw === undefined) return undefined;
  let rungs: number[];
  try {
    rungs = parseHalvingEpochs(raw);
  } catch (err) {
    throw new UsageError(`--halve-at ${raw}: ${(err as Error).message}`);
  }
  const problem = halvingProblem(rungs, epochs);
  if (problem) throw new UsageError(`--halve-at ${raw}: ${problem}`);
  return rungs;
}

export async function runSweepCommand(argv: string[]): Promise<number> {
  let train;
  let vary: VarySpec[];
  let values;
  let choice: ValueChoice;
  try {
    const split = splitArgs(argv);
    values = parseArgs({ args: split.sweep, options: SWEEP_OPTIONS, strict: true }).values;
    train = parseTrainArgs(split.train, { extraFlags: Object.keys(SWEEP_OPTIONS), usage: USAGE });
    if (train.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!values.vary?.length) throw new UsageError(`give at least one --vary\n${USAGE}`);
    vary = values.vary.map(parseVarySpec);
    choice = valueChoice(values.value);
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof SweepError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE')
    ) {
      process.stderr.write(`sweep: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
  let definition;
  try {
    const rungs = halveAt(values['halve-at'], train.config.epochs);
    definition = {
      name: train.name,
      base: train.config,
      preset: train.preset,
      vary,
      method: values.method as SweepDefinitionInput['method'],
      samples: integer(values.samples, 'samples'),
      samplingSeed: integer(values['sampling-seed'], 'sampling-seed'),
      seeds: integer(values.seeds, 'seeds'),
      parallel: integer(values.parallel, 'parallel'),
      halving: rungs && { epochs: rungs },
    };
  } catch (err) {
    process.stderr.write(`sweep: ${(err as Error).message}\n`);
    return 2;
  }

  const dbPath = train.dbPath ?? defaultDbPath();
  const ctx = await openCliContext('sweep', dbPath, { dataDir: train.dataDir, backend: train.backend });
  if (!ctx) return 1;
  const started = await callProcedure(ctx, 'sweeps:start', [{ definition, confirmed: values.yes === true }]);
  if (!started.ok) {
    const hint = started.error.code === 'conflict' ? ' Add --yes to start it.' : '';
    process.stderr.write(`sweep: ${started.error.message}${hint}\n`);
    await ctx.dispose();
    return 2;
  }
  const sweep = started.data;
  const service = ctx.runService();
  const store = ctx.store();
  process.stdout.write(
    `Sweep #${sweep.id} "${sweep.name}": ${sweep.runCount} runs, ${sweep.parallel} at a time → ${dbPath}\n`,
  );
  const onSigint = (): void => {
    process.stdout.write('\nStopping the sweep after the current batches…\n');
    void callProcedure(ctx, 'sweeps:stop', [{ id: sweep.id }]);
  };
  process.on('SIGINT', onSigint);
  let done = 0;
  const waitFor = async (id: number): Promise<void> => {
    const end = await service.whenFinished(id);
    const run = store.getRun(id);
    done += 1;
    process.stdout.write(
      `[${done}/${sweep.runCount}] run #${id} ${run.name.split(' · ')[1] ?? ''}  ${end.type === 'stopped' ? ending(run) : end.type}  best ${pct(run.bestTestAccuracy)}  final ${pct(run.finalTestAccuracy)}\n`,
    );
  };
  // A tpe sweep links its next runs as earlier ones end: wait until a round finds none new.
  const waited = new Set<number>();
  for (let ids = sweep.runIds; ids.some((id) => !waited.has(id)); ids = store.getSweep(sweep.id).runIds) {
    const fresh = ids.filter((id) => !waited.has(id));
    fresh.forEach((id) => waited.add(id));
    await Promise.all(fresh.map(waitFor));
  }
  process.off('SIGINT', onSigint);
  const finished = [...waited].map((id) => store.getRun(id));
  process.stdout.write(sweepTable(finished, sweep.definition.seeds > 1, choice));
  await ctx.dispose();
  // Runs successive halving stopped ended as the sweep asked: they are no failure.
  return finished.every((r) => r.status === 'completed' || isPruned(r)) ? 0 : 1;
}
