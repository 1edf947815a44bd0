/**
 * UI responsiveness:
 *
 * 1. IPC round trip while training. A real `quick` run trains in a real trainer process (started
 *    through the `runs:start` handler, exactly as the window starts it) while `runs:list` and
 *    `runs:get` are invoked every ~20 ms through the real handlers from `registerHandlers`; p50 and
 *    p95 are of the time from invoke to answer. This is main's side of IPC (validation, SQLite,
 *    the event loop shared with the trainer's event relay); Electron's own transport is not in it.
 * 2. Compare for 20 runs of 200 epochs in Chromium: the store is seeded with synthetic, real-shaped
 *    epoch events; the built renderer (the UI tests' harness: real handlers, real Chromium) opens
 *    #/compare/… and the time is measured in the page from the hash change until the overlay chart
 *    holds all 4,000 points and the next frame has been painted.
 *
 *   npx tsx src/cli/bench-ui.ts [--epochs 2] [--repeat 5] [--out FILE]
 *
 * Needs `electron-vite build` first (out/renderer, out/preload) and a Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { PRESETS } from '../shared/hyperparams';
import type { Result } from '../shared/api';
import type { RunDetail, RunSummary } from '../shared/runs';
import { registerHandlers, type IpcMainLike, type SendFn } from '../main/ipc';
import { createServices, type StudioServices } from '../main/services';
import { seedRun } from './seed-runs';

export interface UiBenchOptions {
  /** Epochs of the quick run trained during the IPC measurement (default 2). */
  epochs?: number;
  /** Interval between IPC calls, ms (default 20). */
  intervalMs?: number;
  /** Runs already in the database while measuring IPC (default 200). */
  backgroundRuns?: number;
  compareRuns?: number;
  compareEpochs?: number;
  /** Times Compare is opened (the first is reported separately as cold). */
  repeat?: number;
  /** JSON output; default bench-results/ui.json; null: do not write. */
  out?: string | null;
  log?: (line: string) => void;
}

export interface LatencyStats {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface UiBenchResult {
  generatedAt: string;
  ipc: {
    channel: Record<string, LatencyStats>;
    all: LatencyStats;
    trainingSeconds: number;
    run: { id: number; status: string; epochs: number; backend: string | null };
    budgetP95Ms: number;
    pass: boolean;
  };
  compare: {
    runs: number;
    epochs: number;
    points: number;
    coldMs: number;
    medianMs: number;
    samplesMs: number[];
    budgetMs: number;
    pass: boolean;
  } | null;
  /** Opening Runs and re-sorting it with 1,000 runs in the database (median of the repeats). */
  runsTable: {
    runs: number;
    openMedianMs: number;
    sortMedianMs: number;
    openSamplesMs: number[];
    sortSamplesMs: number[];
  } | null;
  compareSkipped?: string;
  pass: boolean;
}

const IPC_BUDGET_P95_MS = 50;
const COMPARE_BUDGET_MS = 1500;

function stats(samples: number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : Number.NaN);
  return { calls: s.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(s.at(-1) ?? Number.NaN) };
}

const round = (v: number) => Math.round(v * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Part 1: main's IPC latency while a real trainer streams events into the store. */
async function ipcDuringTraining(options: UiBenchOptions, log: (l: string) => void): Promise<UiBenchResult['ipc']> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'lenet-bench-ui-'));
  // Events go nowhere (no window); the handler still builds every renderer-sized event.
  const send: SendFn = () => {};
  let services: StudioServices | null = null;
  try {
    services = await createServices({ userDataDir, appVersion: 'bench', send, log: () => {} });
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
    registerHandlers(ipcMain, send, services);
    const invoke = async <T>(channel: string, arg?: unknown): Promise<T> => {
      const r = (await handlers.get(channel)!({}, arg)) as Result<T>;
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.data;
    };

    const store = services.store!;
    for (let i = 0; i < (options.backgroundRuns ?? 200); i++)
      seedRun(store, {
        preset: (['quick', 'seed', 'modern'] as const)[i % 3],
        epochs: 3,
        evaluations: false,
        seed: i + 1,
      });

    const config = { ...structuredClone(PRESETS.quick), epochs: options.epochs ?? 2 };
    const started = await invoke<RunSummary>('runs:start', {
      config,
      preset: 'quick',
      name: 'bench: IPC during training',
    });
    const finished = services.runService!.whenFinished(started.id);
    let done = false;
    void finished.then(() => (done = true));
    log(
      `training run #${started.id} (quick, ${config.epochs} epochs) while calling runs:list / runs:get every ${options.intervalMs ?? 20} ms…`,
    );

    const samples: Record<string, number[]> = { 'runs:list': [], 'runs:get': [] };
    const t0 = performance.now();
    let k = 0;
    let trainingStarted = false;
    while (!done) {
      const channel = k++ % 2 === 0 ? 'runs:list' : 'runs:get';
      const arg = channel === 'runs:list' ? { limit: 50 } : { id: started.id };
      const t = performance.now();
      const data = await invoke<unknown>(channel, arg);
      const ms = performance.now() - t;
      if (channel === 'runs:get' && (data as RunDetail).status === 'running') trainingStarted = true;
      // Count only while the trainer runs (not while it is queued or loading before 'started').
      if (trainingStarted) samples[channel].push(ms);
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
    }
    const trainingSeconds = (performance.now() - t0) / 1000;
    const run = store.getRun(started.id);
    const all = stats([...samples['runs:list'], ...samples['runs:get']]);
    return {
      channel: Object.fromEntries(Object.entries(samples).map(([c, s]) => [c, stats(s)])),
      all,
      trainingSeconds: round(trainingSeconds),
      run: { id: run.id, status: run.status, epochs: run.epochsDone, backend: run.backend },
      budgetP95Ms: IPC_BUDGET_P95_MS,
      pass: run.status === 'completed' && all.calls > 0 && all.p95Ms <= IPC_BUDGET_P95_MS,
    };
  } finally {
    await services?.dispose();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

let runsTable: UiBenchResult['runsTable'] = null;

interface StudioLike {
  page: import('playwright-core').Page;
  services: StudioServices;
  close(): Promise<void>;
}

/** Part 2: time to render Compare for many long runs in the built renderer. */
async function compareRender(
  options: UiBenchOptions,
  log: (l: string) => void,
): Promise<NonNullable<UiBenchResult['compare']>> {
  // The UI tests' harness (real handlers + built renderer in Chromium); imported by path so the
  // CLI's type project does not take in the test tree.
  const harness = pathToFileURL(resolve(import.meta.dirname, '../../test/support/studio-page.ts')).href;
  const { openStudio } = (await import(harness)) as { openStudio(o: { label?: string }): Promise<StudioLike> };
  const studio = await openStudio({ label: 'bench-ui' });
  try {
    const runs = options.compareRuns ?? 20;
    const epochs = options.compareEpochs ?? 200;
    const store = studio.services.store!;
    const ids: number[] = [];
    for (let i = 0; i < runs; i++)
      ids.push(
        seedRun(store, {
          preset: 'seed',
          name: `bench ${i + 1}`,
          config: { epochs, learningRate: 0.001 * (1 + (i % 5)), batchSize: [32, 64, 128, 256][i % 4] },
          epochs,
          plateau: 0.86 + (i % 7) / 200,
          evaluations: false,
          seed: i + 1,
        }),
      );
    const points = runs * epochs;
    log(`seeded ${runs} runs × ${epochs} epochs; opening Compare ${options.repeat ?? 5} times…`);
    // The page opened on an empty database: reload so Runs lists the seeded runs.
    await studio.page.reload();
    await studio.page.waitForSelector('[data-testid="runs-table"]');
    const samples: number[] = [];
    for (let i = 0; i < (options.repeat ?? 5); i++) {
      await studio.page.evaluate("window.location.hash = '#/runs'");
      await studio.page.waitForSelector('[data-testid="runs-table"]');
      // Sent as source text: tsx's transform would add helpers (`__name`) the page does not have.
      const ms = await studio.page.evaluate<number>(`new Promise((done, fail) => {
        const t0 = performance.now();
        window.location.hash = '#/compare/${ids.join(',')}';
        const check = () => {
          const chart = document.querySelector('[data-testid="compare-curves"]');
          const ready = chart && chart.getAttribute('data-points') === '${points}' && chart.querySelector('canvas') && chart.querySelector('canvas').width;
          if (ready && document.querySelector('[data-testid="hyperparam-diff"]')) {
            // One more frame: the chart drew synchronously; this one has been painted.
            requestAnimationFrame(() => done(performance.now() - t0));
          } else if (performance.now() - t0 > 30000) fail(new Error('Compare did not render within 30 s'));
          else requestAnimationFrame(check);
        };
        check();
      })`);
      samples.push(round(ms));
    }
    const [coldMs, ...warm] = samples;
    const med = median(warm.length ? warm : samples);

    // The Runs table with 1,000 runs: open it, and re-sort it (main pages; the window holds 50).
    for (let i = runs; i < 1000; i++)
      seedRun(store, {
        preset: (['quick', 'seed', 'modern'] as const)[i % 3],
        epochs: 3,
        evaluations: false,
        seed: i + 1,
      });
    const openSamples: number[] = [];
    const sortSamples: number[] = [];
    for (let i = 0; i < (options.repeat ?? 5); i++) {
      openSamples.push(
        round(
          await studio.page.evaluate<number>(`new Promise((done) => {
            window.location.hash = '#/model';
            requestAnimationFrame(() => {
              const t0 = performance.now();
              window.location.hash = '#/runs';
              const check = () => {
                const t = document.querySelector('[data-testid="runs-table"]');
                if (t && t.getAttribute('data-total') === '1000' && document.querySelectorAll('[data-testid="run-row"]').length === 50)
                  requestAnimationFrame(() => done(performance.now() - t0));
                else requestAnimationFrame(check);
              };
              check();
            });
          })`),
        ),
      );
      sortSamples.push(
        round(
          await studio.page.evaluate<number>(`new Promise((done) => {
            const first = () => document.querySelector('[data-testid="run-row"]')?.getAttribute('data-run-id');
            const before = first();
            const t0 = performance.now();
            document.querySelector('[data-testid="sort-bestTestAccuracy"]').click();
            const check = () => {
              if (first() !== before) requestAnimationFrame(() => done(performance.now() - t0));
              else requestAnimationFrame(check);
            };
            check();
          })`),
        ),
      );
    }
    runsTable = {
      runs: 1000,
      openMedianMs: median(openSamples),
      sortMedianMs: median(sortSamples),
      openSamplesMs: openSamples,
      sortSamplesMs: sortSamples,
    };
    return {
      runs,
      epochs,
      points,
      coldMs,
      medianMs: med,
      samplesMs: samples,
      budgetMs: COMPARE_BUDGET_MS,
      pass: coldMs <= COMPARE_BUDGET_MS,
    };
  } finally {
    await studio.close();
  }
}

export async function runUiBench(options: UiBenchOptions = {}): Promise<UiBenchResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const ipc = await ipcDuringTraining(options, log);
  let compare: UiBenchResult['compare'] = null;
  let compareSkipped: string | undefined;
  try {
    compare = await compareRender(options, log);
  } catch (err) {
    compareSkipped = err instanceof Error ? err.message : String(err);
    log(`Compare render not measured: ${compareSkipped}`);
  }
  const result: UiBenchResult = {
    generatedAt: new Date().toISOString(),
    ipc,
    compare,
    runsTable,
    ...(compareSkipped ? { compareSkipped } : {}),
    pass: ipc.pass && (compare?.pass ?? false),
  };

  const row = (name: string, a: string, b: string, budget: string, ok: boolean) =>
    log(`${name.padEnd(44)}${a.padStart(12)}${b.padStart(12)}${budget.padStart(10)}  ${ok ? 'yes' : 'NO'}`);
  log('');
  log(`${'measure'.padEnd(44)}${'p50 / cold'.padStart(12)}${'p95 / med'.padStart(12)}${'budget'.padStart(10)}  ok`);
  for (const [channel, s] of Object.entries(ipc.channel))
    row(
      `IPC ${channel} during training (${s.calls} calls)`,
      `${s.p50Ms} ms`,
      `${s.p95Ms} ms`,
      `p95 ${IPC_BUDGET_P95_MS}`,
      s.p95Ms <= IPC_BUDGET_P95_MS,
    );
  row(
    `IPC all during training (${ipc.all.calls} calls)`,
    `${ipc.all.p50Ms} ms`,
    `${ipc.all.p95Ms} ms`,
    `p95 ${IPC_BUDGET_P95_MS}`,
    ipc.pass,
  );
  if (compare)
    row(
      `Compare render, ${compare.runs} runs × ${compare.epochs} epochs`,
      `${compare.coldMs} ms`,
      `${compare.medianMs} ms`,
      `${COMPARE_BUDGET_MS}`,
      compare.pass,
    );
  if (runsTable) {
    row('Runs table, 1,000 runs: open', '', `${runsTable.openMedianMs} ms`, '', true);
    row('Runs table, 1,000 runs: sort by a column', '', `${runsTable.sortMedianMs} ms`, '', true);
  }
  log(
    `  training run #${ipc.run.id}: ${ipc.run.status}, ${ipc.run.epochs} epochs on ${ipc.run.backend}, ${ipc.trainingSeconds} s`,
  );

  const out = options.out === undefined ? resolve('bench-results', 'ui.json') : options.out;
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nwrote ${out}`);
  }
  return result;
}

function parseArgs(argv: readonly string[]): UiBenchOptions {
  const opts: UiBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--epochs') opts.epochs = Number.parseInt(next(), 10);
    else if (arg === '--repeat') opts.repeat = Number.parseInt(next(), 10);
    else if (arg === '--out') opts.out = resolve(next());
    else throw new Error(`unknown argument ${arg}; usage: bench-ui [--epochs N] [--repeat N] [--out FILE]`);
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runUiBench(parseArgs(process.argv.slice(2))).then(
    (r) => {
      process.exitCode = r.pass ? 0 : 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
