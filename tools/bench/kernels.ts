/**
 * Where a training step's time goes, kernel by kernel: `npm run bench -- kernels`.
 *
 * Runs the trainer's own step (makeTrainStep: forward, softmax cross-entropy, backward, optimizer
 * update, the two scalars read back) on random images in this process, `tf.profile`s `--steps`
 * steps after a warm-up and prints, per kernel, the milliseconds and calls per step; then times as
 * many steps unprofiled for the images/s (profiling adds a little per kernel call), with the
 * process's CPU time per step beside the wall time (steadier on a loaded machine).
 *
 *   npm run bench -- kernels [--network seed|modern] [--batch 256,64,32] [--steps 20]
 *                            [--warmup-steps 10] [--backend wasm] [--threads 1] [--out FILE | --no-out]
 *
 * (Two wasm threads from a plain tsx process have been seen to hang: use the trainer, e.g.
 * `npm run train -- … --threads 2`, for thread figures.)
 */
import type * as Tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/shared/random';
import { PRESETS } from '../../src/shared/hyperparams';
import type { BackendName } from '../../src/shared/training';
import type { BenchNetwork } from './engine';
import { writeResults } from './print';

export interface KernelsBenchOptions {
  network?: BenchNetwork;
  batchSizes?: number[];
  /** Profiled steps (and as many timed steps) per batch size. */
  steps?: number;
  warmupSteps?: number;
  backend?: BackendName;
  threads?: number;
  /** JSON output path; default bench-results/kernels.json; null = do not write. */
  out?: string | null;
}

export interface KernelRow {
  name: string;
  msPerStep: number;
  callsPerStep: number;
}

export interface KernelsBenchRow {
  batchSize: number;
  /** Wall time of an unprofiled step and the images/s it gives. */
  stepMs: number;
  /**
   * The process's CPU time per unprofiled step: on a machine loaded by other work, a 1-thread
   * figure that waiting for a core does not inflate (with more threads it sums them).
   */
  cpuMsPerStep: number;
  imagesPerSec: number;
  /** Sum of the kernels' own times in a profiled step (the rest is JS: tape, tidy, optimizer). */
  kernelMsPerStep: number;
  kernelCallsPerStep: number;
  kernels: KernelRow[];
}

export interface KernelsBenchResult {
  when: string;
  backend: string;
  threads: number;
  network: BenchNetwork;
  tfjsVersion: string;
  rows: KernelsBenchRow[];
}

/** Images in the random pool each step gathers its batch from (steps walk through it). */
const POOL_BATCHES = 4;

export async function runKernelsBench(options: KernelsBenchOptions = {}): Promise<KernelsBenchResult> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend, makeTrainStep, buildLeNet5, createOptimizer } = await import('../../src/core/engine');
  tf.enableProdMode();
  const backend = await selectBackend(options.backend ?? 'wasm', { threads: options.threads ?? 1 });
  const network = options.network ?? 'seed';
  const preset = PRESETS[network];
  // Enough steps that one slow step (a busy neighbour, the heap still growing) moves the mean
  // little: over 5 it weighed a fifth.
  const steps = options.steps ?? 20;
  const warmupSteps = options.warmupSteps ?? 10;

  const rows: KernelsBenchRow[] = [];
  for (const batchSize of options.batchSizes ?? [256]) {
    const count = batchSize * POOL_BATCHES;
    const random = mulberry32(batchSize);
    const images = tf.tensor4d(Float32Array.from({ length: count * 784 }, random), [count, 28, 28, 1]);
    const labels = tf.tensor1d(
      Int32Array.from({ length: count }, (_, i) => i % 10),
      'int32',
    );
    const order = tf.tensor1d(
      Int32Array.from({ length: count }, (_, i) => i),
      'int32',
    );
    const model = buildLeNet5(preset.model, preset.seed);
    const optimizer = createOptimizer(preset);
    const variables = model.trainableWeights.map((w) => w.read() as Tf.Variable);
    const step = makeTrainStep(
      model,
      optimizer,
      variables,
      variables.filter((v) => v.rank >= 2),
      preset.weightDecay,
    );
    let n = 0;
    const oneStep = () => step(images, labels, order, (n++ % POOL_BATCHES) * batchSize, batchSize);

    for (let i = 0; i < warmupSteps; i++) oneStep();
    const profile = await tf.profile(() => {
      for (let i = 0; i < steps; i++) oneStep();
    });
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < steps; i++) oneStep();
    const stepMs = (performance.now() - start) / steps;
    const cpu = process.cpuUsage(cpuStart);

    const byName = new Map<string, KernelRow>();
    for (const k of profile.kernels) {
      // The profile also lists ops run as custom gradients (`fusedConv2d__op`, `unnamed scope`),
      // whose time includes their kernels': count registered kernels only.
      if (!tf.getKernel(k.name, backend.name)) continue;
      const row = byName.get(k.name) ?? { name: k.name, msPerStep: 0, callsPerStep: 0 };
      const ms = await k.kernelTimeMs;
      row.msPerStep += (typeof ms === 'number' ? ms : 0) / steps;
      row.callsPerStep += 1 / steps;
      byName.set(k.name, row);
    }
    const kernels = [...byName.values()].sort((a, b) => b.msPerStep - a.msPerStep);
    rows.push({
      batchSize,
      stepMs,
      cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
      imagesPerSec: (batchSize * 1000) / stepMs,
      kernelMsPerStep: kernels.reduce((s, k) => s + k.msPerStep, 0),
      kernelCallsPerStep: kernels.reduce((s, k) => s + k.callsPerStep, 0),
      kernels,
    });
    model.dispose();
    optimizer.dispose();
    tf.dispose([images, labels, order]);
  }

  const result: KernelsBenchResult = {
    when: new Date().toISOString(),
    backend: backend.name,
    threads: backend.threads,
    network,
    tfjsVersion: backend.tfjsVersion,
    rows,
  };
  process.stdout.write(`${formatKernelsTable(result)}\n`);
  const out = options.out === undefined ? 'bench-results/kernels.json' : options.out;
  if (writeResults(out, result)) process.stdout.write(`wrote ${out}\n`);
  return result;
}

/** Kernels shown per batch size; the rest are summed into one line. */
const SHOWN = 14;

export function formatKernelsTable(result: KernelsBenchResult): string {
  const lines = [
    `${result.backend}, ${result.threads} thread(s), ${result.network} network, tfjs ${result.tfjsVersion}`,
  ];
  for (const row of result.rows) {
    lines.push(
      '',
      `batch ${row.batchSize}: step ${row.stepMs.toFixed(1)} ms → ${Math.round(row.imagesPerSec).toLocaleString('en-US')} img/s` +
        ` (process CPU ${row.cpuMsPerStep.toFixed(1)} ms/step);` +
        ` kernels ${row.kernelMsPerStep.toFixed(1)} ms in ${Math.round(row.kernelCallsPerStep)} calls per profiled step`,
      `  ${'kernel'.padEnd(28)} ${'ms/step'.padStart(8)} ${'calls'.padStart(6)} ${'share'.padStart(6)}`,
    );
    const shown = row.kernels.slice(0, SHOWN);
    const rest = row.kernels.slice(SHOWN);
    const restRow: KernelRow = {
      name: `(${rest.length} others)`,
      msPerStep: rest.reduce((s, k) => s + k.msPerStep, 0),
      callsPerStep: rest.reduce((s, k) => s + k.callsPerStep, 0),
    };
    for (const k of rest.length ? [...shown, restRow] : shown) {
      lines.push(
        `  ${k.name.padEnd(28)} ${k.msPerStep.toFixed(2).padStart(8)} ${String(Math.round(k.callsPerStep)).padStart(6)}` +
          ` ${`${((100 * k.msPerStep) / row.kernelMsPerStep).toFixed(0)}%`.padStart(6)}`,
      );
    }
  }
  return lines.join('\n');
}
