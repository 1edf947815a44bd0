/**
 * The bench's command line: `npm run bench -- [engine] [store] [ui] [inspector] [sweep] [pytorch] [kernels] [flags]`.
 * Named sections run with the flags; with none named the default sections run with their defaults.
 */
import { resolve } from 'node:path';
import type { BackendName } from '../../src/shared/training';
import type { BenchNetwork, EngineBenchOptions } from './engine';
import type { KernelsBenchOptions } from './kernels';
import type { PytorchBenchOptions } from './pytorch';
import type { StoreBenchOptions } from './store';
import type { UiBenchOptions } from './ui';

export const SECTIONS = [
  'engine',
  'store',
  'ui',
  'inspector',
  'features',
  'sweep',
  'pytorch',
  'kernels',
  'audit',
  'margins',
] as const;
/** What runs when no section is named (sweep and pytorch take minutes, kernels is a diagnosis: asked for by name). */
const DEFAULT_SECTIONS: readonly Section[] = ['engine', 'store', 'ui', 'inspector', 'features', 'audit'];
export type Section = (typeof SECTIONS)[number];

/** The sections to run, in order, each with the flags it gets. */
export function parseSections(argv: readonly string[]): { section: Section; flags: string[] }[] {
  const chosen = SECTIONS.filter((s) => argv.includes(s));
  const flags = argv.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  return chosen.length
    ? chosen.map((section) => ({ section, flags }))
    : DEFAULT_SECTIONS.map((section) => ({ section, flags: [] }));
}

/** Per flag: how it sets the options, given a reader for its value. */
type FlagTable<O> = Record<string, (options: O, value: () => string) => void>;

function parseFlags<O extends object>(argv: readonly string[], table: FlagTable<O>, usage: string): O {
  const options = {} as O;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!Object.hasOwn(table, arg)) throw new Error(`unknown argument ${arg}; usage: ${usage}`);
    table[arg](options, () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    });
  }
  return options;
}

function positiveInt(flag: string, value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
  return n;
}

export function parseEngineArgs(argv: readonly string[]): EngineBenchOptions {
  return parseFlags<EngineBenchOptions>(
    argv,
    {
      '--cpu': (o) => void (o.includeCpu = true),
      '--backend': (o, v) => void (o.backends = v().split(',') as BackendName[]),
      '--network': (o, v) => void (o.networks = v().split(',') as BenchNetwork[]),
      '--batch': (o, v) => void (o.batchSize = Number(v())),
      '--warmup-batches': (o, v) => void (o.warmupBatches = Number(v())),
      '--timed-batches': (o, v) => void (o.timedBatches = Number(v())),
      '--full-epoch': (o) => void (o.fullEpoch = true),
      '--threads': (o, v) => void (o.threads = positiveInt('--threads', v())),
      '--data-dir': (o, v) => void (o.dataDir = v()),
      '--out': (o, v) => void (o.out = v()),
      '--no-out': (o) => void (o.out = null),
      '--shift': (o, v) => void (o.recipe = { ...o.recipe, augmentShift: positiveInt('--shift', v()) }),
      '--flip': (o) => void (o.recipe = { ...o.recipe, augmentFlip: 'horizontal' }),
      '--label-smoothing': (o, v) => void (o.recipe = { ...o.recipe, labelSmoothing: Number(v()) }),
    },
    'engine [--cpu] [--backend wasm,tensorflow] [--network seed,modern] [--batch 256] [--warmup-batches 10] ' +
      '[--timed-batches 50] [--full-epoch] [--threads N] [--data-dir DIR] [--out FILE | --no-out] ' +
      '[--shift N] [--flip] [--label-smoothing X]',
  );
}

export function parseStoreArgs(argv: readonly string[]): StoreBenchOptions {
  return parseFlags<StoreBenchOptions>(
    argv,
    {
      '--runs': (o, v) => void (o.runs = positiveInt('--runs', v())),
      '--epochs': (o, v) => void (o.epochs = positiveInt('--epochs', v())),
      '--dir': (o, v) => void (o.dir = v()),
      '--out': (o, v) => void (o.out = resolve(v())),
      '--keep': (o) => void (o.keep = true),
    },
    'store [--runs N] [--epochs N] [--dir DIR] [--keep] [--out FILE]',
  );
}

export function parseUiArgs(argv: readonly string[]): UiBenchOptions {
  return parseFlags<UiBenchOptions>(
    argv,
    {
      '--epochs': (o, v) => void (o.epochs = positiveInt('--epochs', v())),
      '--repeat': (o, v) => void (o.repeat = positiveInt('--repeat', v())),
      '--out': (o, v) => void (o.out = resolve(v())),
    },
    'ui [--epochs N] [--repeat N] [--out FILE]',
  );
}

export function parsePytorchArgs(argv: readonly string[]): PytorchBenchOptions {
  return parseFlags<PytorchBenchOptions>(
    argv,
    {
      '--pairs': (o, v) => void (o.pairs = positiveInt('--pairs', v())),
      '--threads': (o, v) => void (o.threads = positiveInt('--threads', v())),
      '--scaling': (o) => void (o.scaling = true),
      '--backend': (o, v) => void (o.backend = v() as BackendName),
      '--python': (o, v) => void (o.python = v()),
      '--preset': (o, v) => {
        const preset = v();
        if (preset !== 'seed' && preset !== 'modern') throw new Error(`--preset must be seed or modern, got ${preset}`);
        o.preset = preset;
      },
      '--data-dir': (o, v) => void (o.dataDir = v()),
      '--out': (o, v) => void (o.out = resolve(v())),
      '--no-out': (o) => void (o.out = null),
    },
    'pytorch [--pairs 3] [--threads N | --scaling] [--backend wasm|tensorflow] [--python PATH] [--preset seed|modern] ' +
      '[--data-dir DIR] [--out FILE | --no-out]',
  );
}

export function parseKernelsArgs(argv: readonly string[]): KernelsBenchOptions {
  return parseFlags<KernelsBenchOptions>(
    argv,
    {
      '--network': (o, v) => {
        const network = v();
        if (network !== 'seed' && network !== 'modern')
          throw new Error(`--network must be seed or modern, got ${network}`);
        o.network = network;
      },
      '--batch': (o, v) =>
        void (o.batchSizes = v()
          .split(',')
          .map((b) => positiveInt('--batch', b))),
      '--steps': (o, v) => void (o.steps = positiveInt('--steps', v())),
      '--warmup-steps': (o, v) => void (o.warmupSteps = positiveInt('--warmup-steps', v())),
      '--backend': (o, v) => void (o.backend = v() as BackendName),
      '--threads': (o, v) => void (o.threads = positiveInt('--threads', v())),
      '--out': (o, v) => void (o.out = resolve(v())),
      '--no-out': (o) => void (o.out = null),
    },
    'kernels [--network seed|modern] [--batch 256,64,32] [--steps 20] [--warmup-steps 10] [--backend wasm] ' +
      '[--threads N] [--out FILE | --no-out]',
  );
}
