/**
 * `npm run bench -- pytorch`: the studio against PyTorch on the same machine, as a person would
 * compare them: one whole process each — `npm run train -- …` to its exit against
 * `python3 pytorch/lenet5_epoch.py` to its exit — for the same network and configuration (the
 * seed's LeNet5, one 60,000-image epoch, Adam lr 1e-3, batch 256, test-set evaluation included).
 * The two alternate `pairs` times (studio first, then PyTorch, so neither always runs on a
 * "warmer" machine); the figure is the median over pairs of PyTorch's time over ours (≥ 1 means
 * the studio is faster). Without a Python that imports torch it says so and succeeds.
 *
 * `--scaling` asks how each side gains from more cores: every round runs both on one thread and
 * then both on all cores (four processes, alternated), and it prints, per side, the median over
 * rounds of its training images/s on all cores over one thread. PyTorch's figure is the peer that
 * says what this machine's cores allow a mature engine on this network.
 *
 * `--preset seed|modern` compares that preset as shipped, end to end, instead (./pytorch-preset.ts).
 * `--python PATH` picks the Python (else the first that imports torch); its torch version and
 * MKL/oneDNN build are printed and recorded.
 *
 *   npm run bench -- pytorch [--pairs 3] [--threads N | --scaling] [--backend wasm|tensorflow]
 *                            [--python PATH] [--preset seed|modern] [--data-dir DIR] [--out FILE | --no-out]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateFashionMnist } from '../../src/core/dataset';
import type { BackendName } from '../../src/shared/training';
import { writeResults } from './print';
import { runPresetBench, type PresetBenchResult } from './pytorch-preset';
import { runTimed } from './timed-process';
import type { PresetName } from '../../src/shared/hyperparams';
import { median, round } from './stats';

export interface PytorchBenchOptions {
  /** Alternated (studio, PyTorch) pairs; at least 3 for a median that means something. */
  pairs?: number;
  /** Threads for both sides (the studio's trainer and torch.set_num_threads); default all cores. */
  threads?: number;
  /** Each round at 1 thread and at all cores, both sides: how far each scales (overrides `threads`). */
  scaling?: boolean;
  backend?: BackendName;
  dataDir?: string;
  /** JSON output path; default bench-results/pytorch.json; null = do not write. */
  out?: string | null;
  /** The Python to run PyTorch with (else the first that imports torch: findTorchPython). */
  python?: string;
  /** Instead of the one-epoch comparison, this preset as shipped, end to end (./pytorch-preset.ts). */
  preset?: PresetName;
}

export interface ProcessTiming {
  seconds: number;
  /** Training images/s the process reported for its epoch (null if it printed none). */
  trainImagesPerSec: number | null;
  testAccuracy: number | null;
}

export interface BenchPair {
  round: number;
  threads: number;
  studio: ProcessTiming;
  pytorch: ProcessTiming;
  ratio: number;
}

export interface PytorchBenchResult {
  when: string;
  cpus: number;
  cpuModel: string;
  python: string | null;
  torch: string | null;
  /** torch's MKL and oneDNN builds, as it reports them. */
  torchBuild: string | null;
  threads: number;
  studioCommand: string;
  pytorchCommand: string;
  pairs: BenchPair[];
  /**
   * Median of PyTorch seconds / studio seconds over the pairs at `threads` (≥ 1: the studio is
   * faster); with `scaling`, over the all-core pairs.
   */
  medianRatio: number | null;
  /** With `scaling`: each side's median over rounds of training images/s on all cores over 1 thread. */
  scaling?: { studio: number | null; pytorch: number | null };
  skipped?: string;
  /** With `preset`: that comparison (then `pairs` is empty). */
  preset?: PresetBenchResult;
}

/** The configuration both sides run (the issue's: seed network, 1 epoch, Adam 1e-3, batch 256). */
const EPOCH_FLAGS = [
  '--preset',
  'seed',
  '--epochs',
  '1',
  '--batch-size',
  '256',
  '--optimizer',
  'adam',
  '--lr',
  '0.001',
];
/** All 60,000 images train (no validation split) on both sides, then the 10,000 test images. */
const SPLIT_FLAGS = ['--validation-fraction', '0'];

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pytorch', 'lenet5_epoch.py');

/** A Python that imports torch, with what it says of its build. */
export interface TorchPython {
  python: string;
  torch: string;
  /** MKL and oneDNN (MKL-DNN) as torch.__config__.show() names them, else "not built with …". */
  build: string;
}

const PROBE = [
  'import torch',
  'show = torch.__config__.show().splitlines()',
  'pick = lambda key, name: next((l.strip(" -") for l in show if key in l), "not built with " + name)',
  'print(torch.__version__)',
  'print(pick("Math Kernel Library", "MKL") + "; " + pick("MKL-DNN", "oneDNN"))',
].join('\n');

/**
 * The Python to run PyTorch with: `explicit` (--python) and only it when given, else
 * $LENET5_PYTHON and only it when set, else the first of `python3` on PATH and Debian's
 * /usr/bin/python3 that can `import torch`. Null when none can.
 */
export function findTorchPython(env: NodeJS.ProcessEnv = process.env, explicit?: string): TorchPython | null {
  const candidates = explicit ? [explicit] : env.LENET5_PYTHON ? [env.LENET5_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', PROBE], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const [torch = '', build = ''] = probe.stdout.trim().split('\n');
    return { python, torch: torch.trim(), build: build.trim() };
  }
  return null;
}

async function timeProcess(
  command: string,
  args: string[],
  parse: (stdout: string) => Omit<ProcessTiming, 'seconds'>,
): Promise<ProcessTiming> {
  const { seconds, stdout } = await runTimed(command, args);
  return { seconds, ...parse(stdout) };
}

const number = (text: string | undefined) => (text === undefined ? null : Number(text.replace(/,/g, '')));

/** Reads the CLI's epoch line: `… test loss 0.5 acc 81.23% | … | 12.3 s | 4,900 img/s`. */
export function parseStudioOutput(stdout: string): Omit<ProcessTiming, 'seconds'> {
  // The summary line, not the progress lines that also start with `epoch 1/1`.
  const epoch = stdout.split('\n').find((l) => /^epoch\s+1\/1\s+train loss/.test(l)) ?? '';
  const accuracy = number(/test loss \S+ acc ([\d.]+)%/.exec(epoch)?.[1]);
  return {
    trainImagesPerSec: number(/\| ([\d,]+) img\/s\s*$/.exec(epoch)?.[1]),
    testAccuracy: accuracy === null ? null : accuracy / 100,
  };
}

function parsePytorchOutput(stdout: string): Omit<ProcessTiming, 'seconds'> {
  const last = stdout.trim().split('\n').pop() ?? '{}';
  const parsed = JSON.parse(last) as { trainImagesPerSec?: number; testAccuracy?: number };
  return { trainImagesPerSec: parsed.trainImagesPerSec ?? null, testAccuracy: parsed.testAccuracy ?? null };
}

/**
 * Each side's scaling from `scaling` rounds: the median over rounds of its training images/s at
 * `many` threads over its images/s at 1 thread (rounds missing either figure are left out).
 */
export function scalingOf(
  pairs: readonly BenchPair[],
  many: number,
): { studio: number | null; pytorch: number | null } {
  const side = (which: 'studio' | 'pytorch'): number | null => {
    const ratios: number[] = [];
    for (const one of pairs.filter((p) => p.threads === 1)) {
      const all = pairs.find((p) => p.round === one.round && p.threads === many);
      const [slow, fast] = [one[which].trainImagesPerSec, all?.[which].trainImagesPerSec];
      if (slow && fast) ratios.push(fast / slow);
    }
    return ratios.length ? round(median(ratios), 3) : null;
  };
  return { studio: side('studio'), pytorch: side('pytorch') };
}

export async function runPytorchBench(options: PytorchBenchOptions = {}): Promise<PytorchBenchResult> {
  const pairs = Math.max(1, options.pairs ?? 3);
  const threads = options.scaling ? os.availableParallelism() : (options.threads ?? os.availableParallelism());
  // With --scaling each round runs one thread first, then all cores (once, on a 1-core machine).
  const roundThreads = options.scaling ? [...new Set([1, threads])] : [threads];
  // Both sides on the same threads (else the studio's own default, as a user gets it).
  const threadsGiven = options.threads !== undefined || options.scaling === true;
  const found = findTorchPython(process.env, options.python);
  const base = {
    when: new Date().toISOString(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    python: found?.python ?? null,
    torch: found?.torch ?? null,
    torchBuild: found?.build ?? null,
    threads,
    pairs: [],
    medianRatio: null,
  };
  const dataDir = options.dataDir ?? (await locateFashionMnist())?.dir;
  const skip = (reason: string): PytorchBenchResult => {
    process.stdout.write(`skipped: ${reason}\n`);
    return { ...base, studioCommand: '', pytorchCommand: '', skipped: reason };
  };
  if (!found)
    return skip(
      options.python
        ? `${options.python} cannot \`import torch\``
        : 'no Python here can `import torch` (see the README: a venv with torch 2.x, then --python V/bin/python)',
    );
  if (!dataDir)
    return skip('FashionMNIST is not on this machine (run `npm run train -- --preset quick` once to fetch it)');
  process.stdout.write(`python: ${found.python}\ntorch ${found.torch}: ${found.build}\n`);

  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'lenet5-bench-pytorch-'));
  if (options.preset) {
    try {
      const preset = await runPresetBench({
        preset: options.preset,
        pairs,
        python: found.python,
        dataDir,
        dbPath: path.join(dbDir, 'studio.db'),
        threads: options.threads,
        backend: options.backend,
      });
      const result = {
        ...base,
        studioCommand: preset.studioCommand,
        pytorchCommand: preset.pytorchCommand,
        medianRatio: preset.medianRatio,
        preset,
      };
      const out = options.out === undefined ? `bench-results/pytorch-${options.preset}.json` : options.out;
      if (writeResults(out, result)) process.stdout.write(`wrote ${out}\n`);
      return result;
    } finally {
      rmSync(dbDir, { recursive: true, force: true });
    }
  }
  const studioArgs = (t: number) => [
    'run',
    '--silent',
    'train',
    '--',
    ...EPOCH_FLAGS,
    ...SPLIT_FLAGS,
    // The studio's own default (core/trainer/threads.ts) unless asked: the bench measures what a user gets.
    ...(threadsGiven ? ['--threads', String(t)] : []),
    '--data',
    dataDir,
    '--db',
    path.join(dbDir, 'studio.db'),
    ...(options.backend ? ['--backend', options.backend] : []),
  ];
  const pytorchArgs = (t: number) => [
    ...[SCRIPT, '--data-dir', dataDir, '--epochs', '1', '--batch-size', '256', '--lr', '0.001'],
    ...['--threads', String(t)],
  ];
  const result: PytorchBenchResult = {
    ...base,
    studioCommand: `npm ${studioArgs(threads).join(' ')}`,
    pytorchCommand: `${found.python} ${pytorchArgs(threads).join(' ')}`,
  };
  process.stdout.write(`studio:  ${result.studioCommand}\npytorch: ${result.pytorchCommand}\n`);
  process.stdout.write(
    'pair threads  studio s  (img/s, acc)          pytorch s  (img/s, acc)          pytorch/studio\n',
  );
  const show = (t: ProcessTiming) =>
    `${t.seconds.toFixed(2).padStart(8)}  (${String(Math.round(t.trainImagesPerSec ?? 0)).padStart(6)}, ${((t.testAccuracy ?? 0) * 100).toFixed(2)}%)`;
  try {
    for (let i = 1; i <= pairs; i++) {
      for (const t of roundThreads) {
        const studio = await timeProcess('npm', studioArgs(t), parseStudioOutput);
        const pytorch = await timeProcess(found.python, pytorchArgs(t), parsePytorchOutput);
        const ratio = pytorch.seconds / studio.seconds;
        result.pairs.push({ round: i, threads: t, studio, pytorch, ratio });
        process.stdout.write(
          `${String(i).padStart(4)} ${String(t).padStart(7)}  ${show(studio)}          ${show(pytorch)}          ${ratio.toFixed(3)}\n`,
        );
      }
    }
  } finally {
    rmSync(dbDir, { recursive: true, force: true });
  }
  const medianRatioAt = (t: number) =>
    round(median(result.pairs.filter((p) => p.threads === t).map((p) => p.ratio)), 3);
  result.medianRatio = medianRatioAt(threads);
  process.stdout.write(
    `median PyTorch/studio time ratio over ${pairs} pairs: ${result.medianRatio} (≥ 1: the studio is faster; ` +
      `${threadsGiven ? `${threads} threads each` : `the studio's default threads, PyTorch ${threads}`}, ` +
      `${base.cpus} cores, ${base.cpuModel})\n`,
  );
  if (options.scaling) {
    result.scaling = scalingOf(result.pairs, threads);
    process.stdout.write(
      `median PyTorch/studio time ratio on 1 thread: ${medianRatioAt(1)}\n` +
        `training images/s on ${threads} threads over 1 thread, median over ${pairs} rounds: ` +
        `studio ${result.scaling.studio ?? '—'}, PyTorch ${result.scaling.pytorch ?? '—'}\n`,
    );
  }
  if (writeResults(options.out === undefined ? 'bench-results/pytorch.json' : options.out, result)) {
    process.stdout.write(`wrote ${options.out ?? 'bench-results/pytorch.json'}\n`);
  }
  return result;
}
