/**
 * Engine speed: training and inference images/s per available tfjs backend, for the seed and
 * modern networks at batch 256, seconds per 60,000-image epoch, and the peak RSS of the process
 * that trains. Each (backend, network) runs in its own forked child (engine-child.ts) — a fresh
 * process, like a real trainer — so its peak RSS is the trainer's alone and backends cannot
 * interfere.
 *
 * Method (default, "slice"): the child sets up a run exactly as the trainer does (full dataset
 * split and moved to the backend) and runs the real training loop for `warmupBatches` +
 * `timedBatches` batches; throughput comes from the timed batches only. Epoch seconds are
 * extrapolated: 60,000 / train images/s + 10,000 / evaluation images/s (the per-epoch test pass).
 * `fullEpoch` instead trains one real 60,000-image epoch and reports its measured time.
 *
 *   npm run bench -- engine [--cpu] [--backend wasm,tensorflow] [--network seed,modern]
 *                           [--batch 256] [--timed-batches 50] [--full-epoch] [--out FILE]
 *                           [--shift N] [--flip] [--label-smoothing X]
 *
 * The recipe flags train with the preset's augmentation / label smoothing replaced, to measure
 * what they cost (compare with a run without them).
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_THREADS, tfjsNodeLooksInstalled, wasmAvailable } from '../../src/core/trainer';
import type { Hyperparams } from '../../src/shared/hyperparams';
import type { BackendName } from '../../src/shared/training';
import { writeResults } from './print';

export type BenchNetwork = 'seed' | 'modern';

export interface EngineBenchOptions {
  /** Backends to measure; default every one that is available (cpu only with `includeCpu`). */
  backends?: BackendName[];
  /** Add the cpu backend (~16 images/s training: minutes per network). */
  includeCpu?: boolean;
  networks?: BenchNetwork[];
  batchSize?: number;
  /** Batches run before timing starts (operator creation, heap growth). */
  warmupBatches?: number;
  timedBatches?: number;
  /** Train one real 60,000-image epoch instead of extrapolating from a slice. */
  fullEpoch?: boolean;
  /** FashionMNIST folder (default: the usual search; synthetic data when none is found). */
  dataDir?: string;
  /** wasm compute threads (default: the trainer's, every core). */
  threads?: number;
  /** JSON output path; default bench-results/engine.json; null = do not write. */
  out?: string | null;
  /** Print the table (default true). */
  print?: boolean;
  /** Training-recipe fields to train with instead of the preset's (augmentation, label smoothing). */
  recipe?: BenchRecipe;
}

/** The recipe fields the bench can set. */
export type BenchRecipe = Partial<Pick<Hyperparams, 'augmentShift' | 'augmentFlip' | 'labelSmoothing'>>;

export interface EngineBenchRow {
  backend: BackendName;
  network: BenchNetwork;
  batchSize: number;
  /** Training throughput of the real loop (forward, backward, optimizer step, per-batch loss read). */
  trainImagesPerSec: number;
  /** Inference at `batchSize` images per call. */
  inferImagesPerSec: number;
  /** Inference as the trainer evaluates (1,000-image chunks, plus softmax and loss). */
  evalImagesPerSec: number;
  epochSeconds: number;
  epochMethod: 'extrapolated' | 'measured';
  trainImagesTimed: number;
  /** Peak resident set size of the child process that trained. */
  peakRssBytes: number;
  data: 'fashion-mnist' | 'synthetic';
  error?: string;
}

export interface EngineBenchResult {
  when: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  tfjsVersion: string;
  method: string;
  targets: typeof TARGETS;
  rows: EngineBenchRow[];
  /** Targets checked on the wasm seed row (the configuration they are stated for). */
  pass: boolean | null;
}

/** The engine's stated targets (wasm backend, seed network, batch 256). */
export const TARGETS = {
  trainImagesPerSec: 2_500,
  inferImagesPerSec: 12_000,
  epochSeconds: 25,
  peakRssBytes: 1024 ** 3,
};

/** What the parent asks one child to measure. */
export interface ChildJob {
  backend: BackendName;
  network: BenchNetwork;
  batchSize: number;
  warmupBatches: number;
  timedBatches: number;
  fullEpoch: boolean;
  dataDir?: string;
  threads?: number;
  recipe?: BenchRecipe;
}

export type ChildResult = Omit<EngineBenchRow, 'backend' | 'network' | 'batchSize'> & { tfjsVersion: string };

/** The child's answer over IPC. */
export type ChildMessage = { ok: true; result: ChildResult } | { ok: false; error: string };

/** The child's command-line marker (it refuses to run without it). */
export const CHILD_FLAG = '--engine-bench-child';

export function availableBackends(includeCpu = false): BackendName[] {
  const list: BackendName[] = [];
  if (tfjsNodeLooksInstalled()) list.push('tensorflow');
  if (wasmAvailable()) list.push('wasm');
  if (includeCpu) list.push('cpu');
  return list;
}

/** Run the benchmark; prints a table and writes JSON unless told otherwise. */
export async function runBench(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const backends = options.backends ?? availableBackends(options.includeCpu);
  const networks = options.networks ?? ['seed', 'modern'];
  const batchSize = options.batchSize ?? 256;
  const print = options.print ?? true;
  const rows: EngineBenchRow[] = [];
  let tfjsVersion = '';
  for (const backend of backends) {
    for (const network of networks) {
      const slow = backend === 'cpu';
      const job: ChildJob = {
        backend,
        network,
        batchSize,
        // The cpu backend trains ~16 images/s: a few batches already take a minute.
        warmupBatches: options.warmupBatches ?? (slow ? 1 : 10),
        timedBatches: options.timedBatches ?? (slow ? 2 : 50),
        fullEpoch: (options.fullEpoch ?? false) && !slow,
        dataDir: options.dataDir,
        threads: options.threads ?? DEFAULT_THREADS,
        recipe: options.recipe,
      };
      if (print) process.stdout.write(`  ${backend} / ${network} …\n`);
      try {
        const { tfjsVersion: version, ...measured } = await runChild(job);
        tfjsVersion = version;
        rows.push({ backend, network, batchSize, ...measured });
      } catch (err) {
        rows.push({
          backend,
          network,
          batchSize,
          trainImagesPerSec: 0,
          inferImagesPerSec: 0,
          evalImagesPerSec: 0,
          epochSeconds: 0,
          epochMethod: 'extrapolated',
          trainImagesTimed: 0,
          peakRssBytes: 0,
          data: 'synthetic',
          error: (err as Error).message,
        });
      }
    }
  }

  const reference = rows.find((r) => r.backend === 'wasm' && r.network === 'seed' && !r.error);
  const result: EngineBenchResult = {
    when: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    tfjsVersion,
    method: options.fullEpoch
      ? 'one measured 60,000-image epoch per row (train + test evaluation)'
      : 'timed slice of the real training loop after warm-up; epoch seconds extrapolated as 60,000/train + 10,000/eval images/s',
    targets: TARGETS,
    rows,
    pass: reference
      ? reference.trainImagesPerSec >= TARGETS.trainImagesPerSec &&
        reference.inferImagesPerSec >= TARGETS.inferImagesPerSec &&
        reference.epochSeconds <= TARGETS.epochSeconds &&
        reference.peakRssBytes <= TARGETS.peakRssBytes
      : null,
  };

  if (print) process.stdout.write(`${formatEngineTable(result)}\n`);
  const out = options.out === undefined ? path.join('bench-results', 'engine.json') : options.out;
  if (writeResults(out, result) && print) process.stdout.write(`wrote ${out}\n`);
  return result;
}

const HERE = fileURLToPath(import.meta.url);
/** The child entry beside this file (`.ts` under tsx, `.js` if ever built). */
const CHILD = path.join(path.dirname(HERE), `engine-child${path.extname(HERE)}`);

function runChild(job: ChildJob): Promise<ChildResult> {
  const execArgv = CHILD.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  const child = fork(CHILD, [CHILD_FLAG, JSON.stringify(job)], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: ChildMessage) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`bench child ${signal ? `killed by ${signal}` : `exited with code ${code}`}`));
    });
  });
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** The engine section's table: one row per backend and network, then the targets. */
export function formatEngineTable(result: EngineBenchResult): string {
  const { targets } = result;
  const header = [
    'backend',
    'network',
    'batch',
    'train img/s',
    'infer img/s',
    'eval img/s',
    'epoch s',
    'peak RSS',
    'data',
  ];
  const lines = result.rows.map((r) =>
    r.error
      ? [r.backend, r.network, String(r.batchSize), `error: ${r.error}`, '', '', '', '', '']
      : [
          r.backend,
          r.network,
          String(r.batchSize),
          count(r.trainImagesPerSec),
          count(r.inferImagesPerSec),
          count(r.evalImagesPerSec),
          `${r.epochSeconds.toFixed(1)}${r.epochMethod === 'extrapolated' ? '*' : ''}`,
          `${(r.peakRssBytes / 1024 ** 2).toFixed(0)} MiB`,
          r.data,
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const notes = [
    `tfjs ${result.tfjsVersion}, ${result.node}, ${result.cpus}× ${result.cpuModel}`,
    `method: ${result.method}`,
    ...(result.rows.some((r) => r.epochMethod === 'extrapolated') ? ['* extrapolated from the timed slice'] : []),
    result.pass === null
      ? 'targets: no wasm/seed row to check'
      : `targets (wasm, seed): train ≥ ${targets.trainImagesPerSec} img/s, infer ≥ ${targets.inferImagesPerSec} img/s, epoch ≤ ${targets.epochSeconds} s, RSS ≤ 1 GiB → ${result.pass ? 'PASS' : 'FAIL'}`,
  ];
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row), '', ...notes].join('\n');
}
