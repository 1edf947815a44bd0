/**
 * One conformance process (scripts/conformance.mjs starts it, bundled by esbuild): sets the wasm
 * backend up in one configuration, runs one of tfjs-core's own test files on it with jasmine (as
 * tfjs runs them: its jasmine_util, one test environment, `isDataSync`), and appends one JSON line
 * per case to the results file as soon as the case ends, so a case that kills the process leaves
 * the results before it.
 *
 *   node child.cjs <stock|ours-1|ours-2> <test bundle> <results file>
 *
 * Configurations:
 * - `ours-N`: `selectBackend('wasm', { threads: N })`, what the trainer calls: our kernels, our
 *   sigmoid gradient, N XNNPACK threads and N threads for our own kernels.
 * - `stock`: tfjs-backend-wasm as shipped, one thread, none of ours registered.
 *
 * One difference from tfjs's own harness: its `describeWithFlags` calls `ENGINE.reset()` around
 * each block, which throws the backend away and makes a new one from tfjs's factory. The trainer
 * makes its backend once per process (and a new one would lose the thread set-up), so here reset
 * keeps the backend and does the rest (flags, engine state, variables).
 */
import * as tf from '@tensorflow/tfjs';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type Configuration = 'stock' | 'ours-1' | 'ours-2';

/** One line of the results file. */
export type ResultLine =
  | {
      kind: 'setup';
      configuration: Configuration;
      wasmThreads: number;
      ownThreads: number;
      ours: string[];
      /** From the process's start (node's own start-up included) to the backend set up. */
      ms: number;
    }
  | { kind: 'case'; name: string; status: 'passed' | 'failed' | 'skipped'; ms: number; message?: string }
  | { kind: 'done'; /** From the process's start. */ ms: number; failedLoad?: string };

interface JasmineResult {
  fullName: string;
  status: string;
  failedExpectations: { message: string }[];
}
interface JasmineEnv {
  configure(options: object): void;
  addReporter(reporter: object): void;
  execute(): void;
}
interface Jasmine {
  getEnv(): JasmineEnv;
  DEFAULT_TIMEOUT_INTERVAL: number;
}
interface JasmineRequire {
  core(self: JasmineRequire): Jasmine;
  interface(jasmine: Jasmine, env: JasmineEnv): Record<string, unknown>;
}

const requireHere = createRequire(__filename);

/** Kernel names whose wasm implementation differs from the shipped one, and gradients replaced. */
function kernelSnapshot(): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const k of tf.getKernelsForBackend('wasm')) map.set(k.kernelName, k.kernelFunc);
  return map;
}

async function setUpStock(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  wasm.setThreadsCount(1);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await withoutNewProcessHandlers(() => tf.setBackend('wasm')))) throw new Error('wasm did not initialise');
}

/** Emscripten's glue adds process handlers that rethrow (src/core/engine/backend/index.ts removes them too). */
async function withoutNewProcessHandlers<T>(init: () => Promise<T>): Promise<T> {
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'uncaughtException'))]));
  try {
    return await init();
  } finally {
    for (const e of events) {
      for (const l of process.listeners(e as 'uncaughtException')) {
        if (!before.get(e)!.has(l)) process.removeListener(e, l);
      }
    }
  }
}

/**
 * The backend in `configuration`; the kernels and gradients that differ from tfjs's, and the
 * threads our own kernels use. The project's modules are imported only for `ours-*`, after the
 * snapshot of the shipped kernels, so stock stays stock and a kernel registered on import counts.
 */
async function setUp(configuration: Configuration): Promise<{ ours: string[]; ownThreads: number }> {
  await import('@tensorflow/tfjs-backend-wasm'); // registers the shipped kernels
  const shipped = kernelSnapshot();
  const shippedSigmoidGrad = tf.getGradient('Sigmoid');
  let ownThreads = 1;
  if (configuration === 'stock') await setUpStock();
  else {
    const threads = configuration === 'ours-2' ? 2 : 1;
    const { selectBackend } = await import('../../src/core/engine/backend');
    const selected = await selectBackend('wasm', { threads });
    if (selected.threads !== threads) throw new Error(`asked for ${threads} wasm threads, got ${selected.threads}`);
    ownThreads = (await import('../../src/core/engine/backend/wasm-kernels/own-kernel-pool')).ownKernelThreads();
  }
  const ours = [...kernelSnapshot()].filter(([name, func]) => shipped.get(name) !== func).map(([name]) => name);
  if (tf.getGradient('Sigmoid') !== shippedSigmoidGrad) ours.push('Sigmoid (gradient)');
  return { ours: ours.sort(), ownThreads };
}

async function main(): Promise<void> {
  const [configuration, testBundle, resultsFile] = process.argv.slice(2) as [Configuration, string, string];
  const write = (line: ResultLine) => appendFileSync(resultsFile, `${JSON.stringify(line)}\n`);
  const { ours, ownThreads } = await setUp(configuration);
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const wasmThreads = getThreadsCount();
  write({ kind: 'setup', configuration, wasmThreads, ownThreads, ours, ms: Math.round(performance.now()) });

  // jasmine's globals (describe, it, expect…), as jasmine's own Node boot sets them.
  const jasmineRequire = requireHere('jasmine-core/lib/jasmine-core/jasmine.js') as JasmineRequire;
  const jasmine = jasmineRequire.core(jasmineRequire);
  const env = jasmine.getEnv();
  Object.assign(globalThis, jasmineRequire.interface(jasmine, env));
  jasmine.DEFAULT_TIMEOUT_INTERVAL = 20_000; // tfjs's (jasmine_util.ts)
  env.configure({ random: false, stopOnSpecFailure: false });

  // Keep the backend across tfjs's ENGINE.reset() (see the header).
  const engine = tf.engine() as unknown as { reset(): void; registry: Record<string, unknown> };
  const reset = engine.reset.bind(engine);
  engine.reset = () => {
    const registry = engine.registry;
    engine.registry = {};
    try {
      reset();
    } finally {
      engine.registry = registry;
    }
  };

  let caseStart = 0;
  const finished = new Promise<void>((resolve) => {
    env.addReporter({
      specStarted: () => {
        caseStart = performance.now();
      },
      specDone: (result: JasmineResult) => {
        const status = result.status === 'passed' ? 'passed' : result.status === 'failed' ? 'failed' : 'skipped';
        const message = result.failedExpectations[0]?.message;
        write({
          kind: 'case',
          name: result.fullName,
          status,
          ms: Math.round(performance.now() - caseStart),
          ...(message !== undefined && { message: message.slice(0, 500) }),
        });
      },
      jasmineDone: () => resolve(),
    });
  });

  try {
    // The bundle sets jasmine_util's test environment, then defines the file's cases.
    const load = requireHere(testBundle) as { default: (envs: object[]) => void };
    load.default([{ name: 'wasm', backendName: 'wasm', isDataSync: true }]);
  } catch (err) {
    write({ kind: 'done', ms: Math.round(performance.now()), failedLoad: String(err) });
    process.exit(1);
  }
  env.execute();
  await finished;
  write({ kind: 'done', ms: Math.round(performance.now()) });
  // The pthread workers and our pool's would keep the process alive.
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
