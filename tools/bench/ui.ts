/**
 * UI responsiveness:
 *
 * 1. IPC round trip while training. A real `quick` run (at batch 256: on every core) trains in a
 *    real trainer process (started through the `runs:start` handler, exactly as the window starts
 *    it) while `runs:list` and `runs:get` are invoked every ~20 ms through the real handlers from
 *    `registerProcedures`; p50 and p95 are of the time from invoke to answer. This is main's side
 *    of IPC (validation, SQLite, the event loop shared with the trainer's event relay); Electron's
 *    own transport is not in it.
 * 2. Compare for 20 runs of 200 epochs in Chromium: the store is seeded with synthetic, real-shaped
 *    epoch events; the built renderer (the UI tests' harness: real handlers, real Chromium) opens
 *    #/compare/… and the time is measured in the page from the hash change until the overlay chart
 *    holds all 4,000 points and the next frame has been painted.
 *
 *   npm run bench -- ui [--epochs 2] [--repeat 5] [--out FILE]
 *
 * Needs `electron-vite build` first (out/renderer, out/preload) and a Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PRESETS } from '../../src/shared/hyperparams';
import type { InputOf, ProcedureName, ResultOf } from '../../src/shared/procedures';
import type { Result } from '../../src/shared/errors';
import type { TrainerEvent } from '../../src/shared/training';
import { createContext, registerProcedures, type IpcInvokeEvent, type IpcMainLike } from '../../src/core/procedures';
import type { Store } from '../../src/core/store';
import { seedRun, type RunWriter } from '../fixtures/synthetic-runs';
import { openBuiltApp } from './built-app';
import { writeResults, yes } from './print';
import { median, quantile, round } from './stats';

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
  return {
    calls: s.length,
    p50Ms: round(quantile(s, 0.5), 2),
    p95Ms: round(quantile(s, 0.95), 2),
    maxMs: round(s.at(-1) ?? Number.NaN, 2),
  };
}

/** Short finished runs of the three presets, `from` to `to` − 1 (the seed follows the index). */
function seedShortRuns(store: RunWriter, from: number, to: number): void {
  for (let i = from; i < to; i++)
    seedRun(store, {
      preset: (['quick', 'seed', 'modern'] as const)[i % 3],
      epochs: 3,
      evaluations: false,
      seed: i + 1,
    });
}

/**
 * What this bench needs from main, in one place: main's IPC handlers over a fresh user-data folder
 * (invoked as the window's IPC would), its store, and the run service's end-of-run promise.
 */
interface MainUnderTest {
  invoke<N extends ProcedureName>(name: N, input: InputOf<N>): Promise<ResultOf<N>>;
  store: Store;
  whenFinished(runId: number): Promise<TrainerEvent>;
  dispose(): Promise<void>;
}

function startMain(userDataDir: string): MainUnderTest {
  // Events go nowhere (no window); the procedures still build every renderer-sized event.
  const ctx = createContext({ userDataDir, appVersion: 'bench', send: () => {}, log: () => {} });
  const handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = { handle: (name, listener) => void handlers.set(name, listener) };
  registerProcedures(ipcMain, ctx);
  return {
    async invoke(name, input) {
      const r = (await handlers.get(name)!({}, input)) as Result<ResultOf<typeof name>>;
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.data;
    },
    store: ctx.store(),
    whenFinished: (runId) => ctx.runService().whenFinished(runId),
    dispose: () => ctx.dispose(),
  };
}

/** Part 1: main's IPC latency while a real trainer streams events into the store. */
async function ipcDuringTraining(options: UiBenchOptions, log: (l: string) => void): Promise<UiBenchResult['ipc']> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'lenet-bench-ui-'));
  let main: MainUnderTest | null = null;
  try {
    main = startMain(userDataDir);
    const { invoke, store } = main;
    seedShortRuns(store, 0, options.backgroundRuns ?? 200);

    // Batches of 256, so the trainer computes on every core (below 128 it would use one thread):
    // the window must answer while every thread is busy.
    const config = { ...structuredClone(PRESETS.quick), epochs: options.epochs ?? 2, batchSize: 256 };
    const started = await invoke('runs:start', {
      config,
      preset: 'quick',
      name: 'bench: IPC during training',
    });
    const finished = main.whenFinished(started.id);
    let done = false;
    void finished.then(() => (done = true));
    log(
      `training run #${started.id} (quick, batch 256, ${config.epochs} epochs) while calling runs:list / runs:get every ${options.intervalMs ?? 20} ms…`,
    );

    const samples: Record<string, number[]> = { 'runs:list': [], 'runs:get': [] };
    const t0 = performance.now();
    let k = 0;
    let trainingStarted = false;
    while (!done) {
      const channel = k++ % 2 === 0 ? 'runs:list' : 'runs:get';
      let status: string | null = null;
      const t = performance.now();
      if (channel === 'runs:list') await invoke('runs:list', { limit: 50 });
      else status = (await invoke('runs:get', { id: started.id })).status;
      const ms = performance.now() - t;
      if (status === 'running') trainingStarted = true;
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
      trainingSeconds: round(trainingSeconds, 2),
      run: { id: run.id, status: run.status, epochs: run.epochsDone, backend: run.backend },
      budgetP95Ms: IPC_BUDGET_P95_MS,
      pass: run.status === 'completed' && all.calls > 0 && all.p95Ms <= IPC_BUDGET_P95_MS,
    };
  } finally {
    await main?.dispose();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** Part 2: time to render Compare for many long runs, and the Runs table with 1,000 runs, in the built renderer. */
async function compareRender(
  options: UiBenchOptions,
  log: (l: string) => void,
): Promise<{ compare: NonNullable<UiBenchResult['compare']>; runsTable: NonNullable<UiBenchResult['runsTable']> }> {
  const studio = await openBuiltApp('bench-ui');
  try {
    const runs = options.compareRuns ?? 20;
    const epochs = options.compareEpochs ?? 200;
    const store = studio.store();
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
      samples.push(round(ms, 2));
    }
    const [coldMs, ...warm] = samples;
    const med = median(warm.length ? warm : samples);

    // The Runs table with 1,000 runs: open it, and re-sort it (main pages; the window holds 50).
    seedShortRuns(store, runs, 1000);
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
          2,
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
          2,
        ),
      );
    }
    return {
      compare: {
        runs,
        epochs,
        points,
        coldMs,
        medianMs: med,
        samplesMs: samples,
        budgetMs: COMPARE_BUDGET_MS,
        pass: coldMs <= COMPARE_BUDGET_MS,
      },
      runsTable: {
        runs: 1000,
        openMedianMs: median(openSamples),
        sortMedianMs: median(sortSamples),
        openSamplesMs: openSamples,
        sortSamplesMs: sortSamples,
      },
    };
  } finally {
    await studio.close();
  }
}

export async function runUiBench(options: UiBenchOptions = {}): Promise<UiBenchResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const ipc = await ipcDuringTraining(options, log);
  let rendered: Awaited<ReturnType<typeof compareRender>> | null = null;
  let compareSkipped: string | undefined;
  try {
    rendered = await compareRender(options, log);
  } catch (err) {
    compareSkipped = err instanceof Error ? err.message : String(err);
    log(`Compare render not measured: ${compareSkipped}`);
  }
  const compare = rendered?.compare ?? null;
  const result: UiBenchResult = {
    generatedAt: new Date().toISOString(),
    ipc,
    compare,
    runsTable: rendered?.runsTable ?? null,
    ...(compareSkipped ? { compareSkipped } : {}),
    pass: ipc.pass && (compare?.pass ?? false),
  };

  log('');
  for (const line of formatUiTable(result)) log(line);
  const out = options.out === undefined ? resolve('bench-results', 'ui.json') : options.out;
  if (writeResults(out, result)) log(`\nwrote ${out}`);
  return result;
}

/** The ui section's table. */
export function formatUiTable(result: UiBenchResult): string[] {
  const { ipc, compare, runsTable } = result;
  const row = (name: string, a: string, b: string, budget: string, ok: boolean) =>
    `${name.padEnd(44)}${a.padStart(12)}${b.padStart(12)}${budget.padStart(10)}  ${yes(ok)}`;
  const lines = [
    `${'measure'.padEnd(44)}${'p50 / cold'.padStart(12)}${'p95 / med'.padStart(12)}${'budget'.padStart(10)}  ok`,
  ];
  for (const [channel, s] of Object.entries(ipc.channel))
    lines.push(
      row(
        `IPC ${channel} during training (${s.calls} calls)`,
        `${s.p50Ms} ms`,
        `${s.p95Ms} ms`,
        `p95 ${ipc.budgetP95Ms}`,
        s.p95Ms <= ipc.budgetP95Ms,
      ),
    );
  lines.push(
    row(
      `IPC all during training (${ipc.all.calls} calls)`,
      `${ipc.all.p50Ms} ms`,
      `${ipc.all.p95Ms} ms`,
      `p95 ${ipc.budgetP95Ms}`,
      ipc.pass,
    ),
  );
  if (compare)
    lines.push(
      row(
        `Compare render, ${compare.runs} runs × ${compare.epochs} epochs`,
        `${compare.coldMs} ms`,
        `${compare.medianMs} ms`,
        `${compare.budgetMs}`,
        compare.pass,
      ),
    );
  if (runsTable) {
    lines.push(row('Runs table, 1,000 runs: open', '', `${runsTable.openMedianMs} ms`, '', true));
    lines.push(row('Runs table, 1,000 runs: sort by a column', '', `${runsTable.sortMedianMs} ms`, '', true));
  }
  lines.push(
    `  training run #${ipc.run.id}: ${ipc.run.status}, ${ipc.run.epochs} epochs on ${ipc.run.backend}, ${ipc.trainingSeconds} s`,
  );
  return lines;
}
