/**
 * `npm run bench -- sweep [--runs N] [--no-window]`: a sweep of 1-epoch quick runs with one
 * trainer, then with two at once (each with one thread), on a scratch database; the ratio of their
 * wall times (target ≤ 2/3), and main's procedure-call latency (`runs:list`, every 100 ms) while
 * the two train — the part of an IPC round trip main's event loop decides.
 *
 * Then the window's own round trip (target p95 < 50 ms): the built app (out/main under the UI
 * tests' Electron stand-in, the built renderer and preload in Chromium) starts the same two-trainer
 * sweep from the page, with Runs open and redrawing as events arrive, and the page times
 * `window.studio.invoke('runs:list')` every 100 ms from call to answer. Its transport is the
 * stand-in's (Node IPC with structured clone, as Electron's IPC clones), not Electron's own.
 * Needs `electron-vite build` first and a Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callProcedure, createContext } from '../../src/core/procedures';
import { PRESETS } from '../../src/shared/hyperparams';
import { openBuiltApp } from './built-app';
import { quantile, round } from './stats';

interface SweepTiming {
  seconds: number;
  latencies: number[];
}

async function timeSweep(runs: number, parallel: number): Promise<SweepTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-bench-sweep-'));
  const ctx = createContext({ userDataDir: dir, appVersion: 'bench', send: () => {}, log: () => {} });
  try {
    const seeds = Array.from({ length: runs }, (_, i) => i + 1);
    const definition = { base: { ...PRESETS.quick, epochs: 1 }, vary: [{ flag: 'seed', values: seeds }], parallel };
    const start = performance.now();
    const started = await callProcedure(ctx, 'sweeps:start', [{ definition }]);
    if (!started.ok) throw new Error(started.error.message);
    const latencies: number[] = [];
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const t = performance.now();
        await callProcedure(ctx, 'runs:list', [{ limit: 50 }]);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const ends = await Promise.all(started.data.runIds.map((id) => ctx.runService().whenFinished(id)));
    done = true;
    await sampler;
    const failed = ends.filter((e) => e.type !== 'completed');
    if (failed.length) throw new Error(`${failed.length} run(s) did not complete: ${JSON.stringify(failed[0])}`);
    return { seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
  } finally {
    await ctx.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The window's invoke round trip while the app runs a sweep of `runs` quick runs, two at a time. */
async function windowRoundTrips(runs: number): Promise<{ latencies: number[]; statuses: string[] }> {
  const studio = await openBuiltApp('bench-sweep');
  try {
    const definition = {
      base: { ...PRESETS.quick, epochs: 1 },
      vary: [{ flag: 'seed', values: Array.from({ length: runs }, (_, i) => i + 1) }],
      parallel: 2,
      name: 'bench: window round trips during a two-trainer sweep',
    };
    await studio.page.evaluate("window.location.hash = '#/runs'");
    await studio.page.waitForSelector('[data-testid="runs-count"]');
    // Sent as source text: tsx's transform would add helpers (`__name`) the page does not have.
    return await studio.page.evaluate<{ latencies: number[]; statuses: string[] }>(`(async () => {
      const started = await window.studio.invoke('sweeps:start', { definition: ${JSON.stringify(definition)} });
      if (!started.ok) throw new Error(started.error.message);
      const latencies = [];
      let lastCheck = 0;
      for (;;) {
        const t = performance.now();
        const answer = await window.studio.invoke('runs:list', { limit: 50 });
        const ms = performance.now() - t;
        if (!answer.ok) throw new Error(answer.error.message);
        // Counted while a trainer trains (not while the first one is still loading).
        if (answer.data.rows.some((r) => r.status === 'running')) latencies.push(ms);
        if (performance.now() - lastCheck > 1000) {
          lastCheck = performance.now();
          const sweep = await window.studio.invoke('sweeps:get', { id: started.data.id });
          const statuses = sweep.data.runs.map((r) => r.status);
          if (statuses.every((s) => s !== 'queued' && s !== 'running')) return { latencies, statuses };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })()`);
  } finally {
    await studio.close();
  }
}

export async function runSweepBench(flags: string[]): Promise<{ pass: boolean }> {
  const at = flags.indexOf('--runs');
  const runs = at >= 0 ? Number(flags[at + 1]) : 4;
  // A one-run warm-up first: the first trainers of a process pay cold caches (files, the
  // transpiler) that would otherwise land on whichever side ran first.
  await timeSweep(1, 1);
  const one = await timeSweep(runs, 1);
  const two = await timeSweep(runs, 2);
  const ratio = two.seconds / one.seconds;
  const p95 = quantile(two.latencies, 0.95);
  const window = flags.includes('--no-window') ? null : await windowRoundTrips(runs);
  if (window && window.statuses.some((s) => s !== 'completed'))
    throw new Error(`the window's sweep did not complete: ${window.statuses.join(', ')}`);
  const windowLatencies = window ? window.latencies.sort((a, b) => a - b) : [];
  const windowP95 = window ? quantile(windowLatencies, 0.95) : null;
  const result = {
    runs,
    oneTrainerSeconds: round(one.seconds, 1),
    twoTrainersSeconds: round(two.seconds, 1),
    ratio: round(ratio, 3),
    callLatencyP95Ms: round(p95, 2),
    callSamples: two.latencies.length,
    windowRoundTripP95Ms: windowP95 === null ? null : round(windowP95, 2),
    windowRoundTripMaxMs: window ? round(windowLatencies.at(-1) ?? 0, 2) : null,
    windowSamples: windowLatencies.length,
    pass: ratio <= 2 / 3 && p95 < 50 && (windowP95 === null || windowP95 < 50),
  };
  process.stdout.write(
    `${runs} one-epoch quick runs: one trainer ${result.oneTrainerSeconds} s, two trainers ${result.twoTrainersSeconds} s ` +
      `→ ratio ${result.ratio} (target ≤ 0.667)\n` +
      `runs:list latency in main during the two-trainer sweep: p95 ${result.callLatencyP95Ms} ms over ${result.callSamples} calls\n` +
      (window
        ? `window.studio.invoke('runs:list') round trip in the built app during a two-trainer sweep: p95 ${result.windowRoundTripP95Ms} ms, ` +
          `max ${result.windowRoundTripMaxMs} ms over ${result.windowSamples} calls (target p95 < 50 ms)\n`
        : ''),
  );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'sweep.json'), JSON.stringify(result, null, 2));
  return result;
}
