/**
 * Engine speed: training and inference images/s per available tfjs backend, for the seed and
 * modern networks at batch 256, seconds per 60,000-image epoch, and the peak RSS of the process
 * that trains. Each (backend, network) runs in its own forked child — a fresh process, like a
 * real trainer — so its peak RSS is the trainer's alone and backends cannot interfere.
 *
 * Method (default, "slice"): the child sets up a run exactly as the trainer does (full dataset
 * split and moved to the backend) and runs the real training loop for `warmupBatches` +
 * `timedBatches` batches; throughput comes from the timed batches only. Epoch seconds are
 * extrapolated: 60,000 / train images/s + 10,000 / evaluation images/s (the per-epoch test pass).
 * `fullEpoch` instead trains one real 60,000-image epoch and reports its measured time.
 *
 *   npx tsx src/cli/bench.ts [--cpu] [--backend wasm,tensorflow] [--network seed,modern]
 *                            [--batch 256] [--timed-batches 50] [--full-epoch] [--out FILE]
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tfjsNodeLooksInstalled, wasmAvailable } from '../main/engine/backend/probe';
import { PRESETS } from '../shared/hyperparams';
import type { BackendName, TrainerEvent } from '../shared/training';

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
  /** JSON output path; default bench-results/engine.json; null = do not write. */
  out?: string | null;
  /** Print the table (default true). */
  print?: boolean;
}

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

interface ChildJob {
  backend: BackendName;
  network: BenchNetwork;
  batchSize: number;
  warmupBatches: number;
  timedBatches: number;
  fullEpoch: boolean;
  dataDir?: string;
}

type ChildResult = Omit<EngineBenchRow, 'backend' | 'network' | 'batchSize'> & { tfjsVersion: string };

const EPOCH_IMAGES = 60_000;
const TEST_IMAGES = 10_000;

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
      };
      if (print) process.stdout.write(`  ${backend} / ${network} …\n`);
      try {
        const result = await runChild(job);
        tfjsVersion = result.tfjsVersion;
        const { tfjsVersion: _v, ...measured } = result;
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

  if (print) process.stdout.write(`${formatTable(result)}\n`);
  const out = options.out === undefined ? path.join('bench-results', 'engine.json') : options.out;
  if (out) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    if (print) process.stdout.write(`wrote ${out}\n`);
  }
  return result;
}

export function formatTable(result: EngineBenchResult): string {
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
          Math.round(r.trainImagesPerSec).toLocaleString('en-US'),
          Math.round(r.inferImagesPerSec).toLocaleString('en-US'),
          Math.round(r.evalImagesPerSec).toLocaleString('en-US'),
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
      : `targets (wasm, seed): train ≥ ${TARGETS.trainImagesPerSec} img/s, infer ≥ ${TARGETS.inferImagesPerSec} img/s, epoch ≤ ${TARGETS.epochSeconds} s, RSS ≤ 1 GiB → ${result.pass ? 'PASS' : 'FAIL'}`,
  ];
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row), '', ...notes].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The child side: one (backend, network) measurement in a fresh process.

const HERE = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--engine-bench-child';

function runChild(job: ChildJob): Promise<ChildResult> {
  const execArgv = HERE.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  const child = fork(HERE, [CHILD_FLAG, JSON.stringify(job)], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: { ok: true; result: ChildResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`bench child ${signal ? `killed by ${signal}` : `exited with code ${code}`}`));
    });
  });
}

async function childMain(job: ChildJob): Promise<ChildResult> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../main/engine/backend');
  const { train } = await import('../main/engine/train');
  const { evaluateModel } = await import('../main/engine/evaluate');
  const { imagesToTensor } = await import('../main/engine/data-tensors');
  const { buildLeNet5 } = await import('../main/engine/model/build');
  tf.enableProdMode();
  const backend = await selectBackend(job.backend);
  const { dataset, data } = await benchDataset(job.dataDir);
  const preset = PRESETS[job.network];
  const config = {
    ...preset,
    batchSize: job.batchSize,
    epochs: 1,
    // The measured epoch trains on all 60,000 images; a slice keeps the preset's split so the
    // process holds what a real run holds (for the RSS figure).
    validationFraction: job.fullEpoch ? 0 : preset.validationFraction,
    trainSubset: 0,
  };

  // Training: the real loop; `batch` events every batch, timed after the warm-up.
  let timedImages = 0;
  let timedSeconds = 0;
  let batchesSeen = 0;
  let epochEvent: Extract<TrainerEvent, { type: 'epoch' }> | null = null;
  const stopAfter = job.warmupBatches + job.timedBatches;
  await train({
    config,
    dataset,
    backend,
    batchEvery: 1,
    emit: (event) => {
      if (event.type === 'batch') {
        batchesSeen = event.batch;
        if (event.batch > job.warmupBatches) {
          timedImages += job.batchSize;
          timedSeconds += job.batchSize / event.imagesPerSec;
        }
      } else if (event.type === 'epoch') {
        epochEvent = event;
      }
    },
    stopRequested: () => !job.fullEpoch && batchesSeen >= stopAfter,
  });
  const trainImagesPerSec = timedImages / timedSeconds;

  // Inference on the test set with a fresh model (speed does not depend on the weights); the cpu
  // backend gets the first 1,000 images only, or this would take minutes.
  const model = buildLeNet5(preset.model, preset.seed);
  const evalCount = job.backend === 'cpu' ? Math.min(1000, dataset.test.count) : dataset.test.count;
  const evalSet = {
    images: dataset.test.images.subarray(0, evalCount * 784),
    labels: dataset.test.labels.subarray(0, evalCount),
    count: evalCount,
  };
  const testImages = imagesToTensor(evalSet);
  const timeEval = (batch: number): number => {
    evaluateModel(model, testImages, evalSet.labels, batch); // warm-up pass
    const start = performance.now();
    evaluateModel(model, testImages, evalSet.labels, batch);
    return (evalCount * 1000) / (performance.now() - start);
  };
  const evalImagesPerSec = timeEval(1000);
  const inferImagesPerSec = timePredict(tf, model, testImages, job.batchSize);
  testImages.dispose();
  model.dispose();

  const measured = epochEvent as Extract<TrainerEvent, { type: 'epoch' }> | null;
  return {
    tfjsVersion: backend.tfjsVersion,
    trainImagesPerSec: measured ? measured.imagesPerSec : trainImagesPerSec,
    inferImagesPerSec,
    evalImagesPerSec,
    epochSeconds: measured ? measured.seconds : EPOCH_IMAGES / trainImagesPerSec + TEST_IMAGES / evalImagesPerSec,
    epochMethod: measured ? 'measured' : 'extrapolated',
    trainImagesTimed: measured ? EPOCH_IMAGES : timedImages,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    data,
  };
}

/** Plain `model.predict` at `batch` images per call, argmax read back (what a UI prediction costs). */
function timePredict(
  tf: typeof import('@tensorflow/tfjs'),
  model: import('@tensorflow/tfjs').LayersModel,
  images: import('@tensorflow/tfjs').Tensor4D,
  batch: number,
): number {
  const count = images.shape[0];
  const pass = (): void => {
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      tf.tidy(() =>
        (model.predict(images.slice([start, 0, 0, 0], [n, -1, -1, -1])) as import('@tensorflow/tfjs').Tensor)
          .argMax(-1)
          .dataSync(),
      );
    }
  };
  pass();
  const start = performance.now();
  pass();
  return (count * 1000) / (performance.now() - start);
}

/** The real data when it can be found without downloading; otherwise random images (noted). */
async function benchDataset(dataDir?: string) {
  const { loadFashionMnist } = await import('../main/engine/dataset');
  try {
    return { dataset: await loadFashionMnist({ dataDir, allowDownload: false }), data: 'fashion-mnist' as const };
  } catch {
    const make = (count: number) => {
      const images = new Uint8Array(count * 784);
      let s = 12345;
      for (let i = 0; i < images.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        images[i] = s >>> 24;
      }
      return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
    };
    const identity = {
      source: 'user' as const,
      dir: '(synthetic)',
      sha256: {
        'train-images-idx3-ubyte': '',
        'train-labels-idx1-ubyte': '',
        't10k-images-idx3-ubyte': '',
        't10k-labels-idx1-ubyte': '',
      },
      official: false,
    };
    return { dataset: { identity, train: make(60_000), test: make(10_000) }, data: 'synthetic' as const };
  }
}

// ---------------------------------------------------------------------------------------------
// Command line: `tsx src/cli/bench.ts [flags]`, and the child mode used by runBench.

export function parseBenchArgs(argv: string[]): EngineBenchOptions {
  const options: EngineBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--cpu':
        options.includeCpu = true;
        break;
      case '--backend':
        options.backends = value().split(',') as BackendName[];
        break;
      case '--network':
        options.networks = value().split(',') as BenchNetwork[];
        break;
      case '--batch':
        options.batchSize = Number(value());
        break;
      case '--warmup-batches':
        options.warmupBatches = Number(value());
        break;
      case '--timed-batches':
        options.timedBatches = Number(value());
        break;
      case '--full-epoch':
        options.fullEpoch = true;
        break;
      case '--data-dir':
        options.dataDir = value();
        break;
      case '--out':
        options.out = value();
        break;
      case '--no-out':
        options.out = null;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

const isMain = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isMain && process.argv[2] === CHILD_FLAG) {
  childMain(JSON.parse(process.argv[3]) as ChildJob).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) =>
      process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.exit(1)),
  );
} else if (isMain) {
  runBench(parseBenchArgs(process.argv.slice(2))).then(
    (result) => {
      process.exitCode = result.pass === false ? 1 : 0;
    },
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
