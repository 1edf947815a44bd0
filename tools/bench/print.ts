/** How the benches show their figures: one table per section, and the JSON file beside it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineBenchResult } from './engine';
import type { StoreBenchResult } from './store';
import type { UiBenchResult } from './ui';

/** Write `result` as JSON to `out` (its folder created); false when `out` is null (not wanted). */
export function writeResults(out: string | null, result: object): boolean {
  if (!out) return false;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return true;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

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

export function formatStoreTable(result: StoreBenchResult): string[] {
  const { timings, footprint } = result;
  const budget = `${footprint.budgetBytes / 1e6} MB`;
  const size = (name: string, bytes: number) =>
    `${name.padEnd(40)}${`${(bytes / 1024).toFixed(0)} KB`.padStart(21)}${budget.padStart(9)}  ${yes(bytes <= footprint.budgetBytes)}`;
  return [
    `${'operation'.padEnd(40)}${'median ms'.padStart(11)}${'p95 ms'.padStart(10)}${'budget'.padStart(9)}  ok`,
    ...timings.map(
      (t) =>
        `${t.name.padEnd(40)}${t.medianMs.toFixed(3).padStart(11)}${t.p95Ms.toFixed(3).padStart(10)}${String(t.budgetMs).padStart(9)}  ${yes(t.pass)}`,
    ),
    size('one run on disk (recorded via events)', footprint.oneRunBytes),
    size('average run on disk (bench database)', footprint.averageRunBytes),
    `  per table: ${Object.entries(footprint.byTable)
      .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`)
      .join(', ')}`,
  ];
}

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
