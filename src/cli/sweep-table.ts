/**
 * The table `npm run sweep` prints when its runs have finished: runs sorted by best test accuracy,
 * or with repeated seeds one row per group with mean ± std. Beside the best, the test accuracy
 * `--value` picks (last by default, best, or at epoch N), each run's with the epoch it comes from.
 */
import { isPruned, prunedAtEpoch } from '../shared/halving';
import { metricValue, type ValueChoice } from '../shared/metric-value';
import type { RunDetail, RunSummary } from '../shared/runs';
import { median, summarize } from '../shared/stats';

/** How a finished run ended, as the progress lines and the table say it. */
export const ending = (run: RunSummary): string =>
  isPruned(run) ? `pruned at epoch ${prunedAtEpoch(run.endReason)}` : run.status;

export const pct = (v: number | null | undefined): string => (v == null ? '   —  ' : `${(v * 100).toFixed(2)}%`);

const prunedMark = (r: RunSummary): string => (isPruned(r) ? `  [${ending(r)}]` : '');

/** The chosen value's column head: `final`, `highest` or `epoch 4`. */
function choiceHead(choice: ValueChoice): string {
  return choice.kind === 'last' ? 'final' : choice.kind === 'best' ? 'highest' : `epoch ${choice.epoch}`;
}

/** The table's lines (a blank line first), for runs as the store holds them. */
export function sweepTable(runs: readonly RunDetail[], grouped: boolean, choice: ValueChoice): string {
  const label = (r: RunSummary): string => (r.name.split(' · ')[1] ?? r.name).replace(/ ?seed=\d+/, '');
  const chosen = (r: RunDetail) => metricValue(r.epochMetrics, 'testAccuracy', choice);
  const head = choiceHead(choice);
  if (!grouped) {
    const sorted = [...runs].sort((a, b) => (b.bestTestAccuracy ?? -1) - (a.bestTestAccuracy ?? -1));
    const width = Math.max(9, head.length);
    const lines = [`  run   best     ${head.padEnd(width)}  values`];
    for (const r of sorted) {
      const v = chosen(r);
      const cell = v ? `${pct(v.value)}@${v.epoch}` : '—';
      lines.push(
        `  #${String(r.id).padEnd(4)} ${pct(r.bestTestAccuracy)}  ${cell.padEnd(width)}  ${label(r)}${prunedMark(r)}`,
      );
    }
    return `\n${lines.join('\n')}\n`;
  }
  const groups = new Map<string, RunDetail[]>();
  for (const r of runs) groups.set(label(r), [...(groups.get(label(r)) ?? []), r]);
  const rows = [...groups].map(([values, members]) => {
    // A group's figures are its completed runs'; a stopped, pruned or failed run ended early and
    // would drag the mean (its accuracy is that of an unfinished run). They are counted beside.
    const completed = members.filter((m) => m.status === 'completed');
    const figures = (pick: (r: RunDetail) => number | null | undefined) =>
      completed.map(pick).filter((v): v is number => v != null);
    const best = summarize(figures((m) => m.bestTestAccuracy));
    const picked = figures((m) => chosen(m)?.value);
    const others = new Map<string, number>();
    for (const m of members)
      if (m.status !== 'completed') {
        const kind = isPruned(m) ? 'pruned' : m.status;
        others.set(kind, (others.get(kind) ?? 0) + 1);
      }
    const note = [...others].map(([kind, n]) => `${n} ${kind}`).join(', ');
    return {
      values: note ? `${values}  (${note})` : values,
      best,
      picked: summarize(picked),
      pickedMedian: picked.length ? median(picked) : null,
    };
  });
  rows.sort((a, b) => (b.best.mean || 0) - (a.best.mean || 0));
  const pm = (s: { n: number; mean: number; std: number }): string =>
    s.n > 0 && Number.isFinite(s.mean) ? `${(s.mean * 100).toFixed(2)}% ± ${(s.std * 100).toFixed(2)}` : '—';
  const pickedHead = `${head} (mean ± std)`;
  const lines = [`  n  best (mean ± std)   ${pickedHead.padEnd(20)} ${`${head} median`.padEnd(14)} values`];
  for (const r of rows)
    lines.push(
      `  ${String(r.best.n).padEnd(2)} ${pm(r.best).padEnd(19)} ${pm(r.picked).padEnd(20)} ${pct(r.pickedMedian).padEnd(14)} ${r.values}`,
    );
  return `\n${lines.join('\n')}\n`;
}
