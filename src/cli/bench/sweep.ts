/**
 * `npm run bench -- sweep [--runs N]`: a sweep of 1-epoch quick runs with one trainer, then with
 * two at once (each with one thread), on a scratch database; the ratio of their wall times
 * (target ≤ 2/3), and main's procedure-call latency (`runs:list`, every 100 ms) while the two
 * train (target p95 < 50 ms) — the part of an IPC round trip main's event loop decides.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callProcedure, createContext } from '../../main/procedures';
import { PRESETS } from '../../shared/hyperparams';
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
  const result = {
    runs,
    oneTrainerSeconds: round(one.seconds, 1),
    twoTrainersSeconds: round(two.seconds, 1),
    ratio: round(ratio, 3),
    callLatencyP95Ms: round(p95, 2),
    callSamples: two.latencies.length,
    pass: ratio <= 2 / 3 && p95 < 50,
  };
  process.stdout.write(
    `${runs} one-epoch quick runs: one trainer ${result.oneTrainerSeconds} s, two trainers ${result.twoTrainersSeconds} s ` +
      `→ ratio ${result.ratio} (target ≤ 0.667)\n` +
      `runs:list latency in main during the two-trainer sweep: p95 ${result.callLatencyP95Ms} ms over ${result.callSamples} calls (target < 50 ms)\n`,
  );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'sweep.json'), JSON.stringify(result, null, 2));
  return result;
}
