/**
 * `npm run train -- --find-lr`: a learning-rate range test of the configured network, through the
 * same procedure as New run's "Find a learning rate", printed as a table and a text plot.
 */
import { lrPlotCeiling, type LrRangeDetail, type LrPoint } from '../shared/lr-range';
import type { TrainOptions } from './train-options';
import { callProcedure, type ProcedureContext } from '../core/procedures';

const PLOT_WIDTH = 60;
const PLOT_HEIGHT = 14;
const TABLE_ROWS = 12;

const fmt = (lr: number): string => lr.toExponential(2);

/** Runs the test to its end; the process exit code (0 done, 1 refused or failed). */
export async function findLearningRate(
  ctx: ProcedureContext,
  options: TrainOptions,
  say: (line: string) => void,
): Promise<number> {
  const started = await callProcedure(ctx, 'runs:find-lr', [
    { config: options.config, preset: options.preset, range: options.findLr },
  ]);
  if (!started.ok) {
    process.stderr.write(`train: ${started.error.message}\n`);
    return started.error.code === 'invalid-input' ? 2 : 1;
  }
  const id = started.data.id;
  const { minLr, maxLr, steps } = options.findLr!;
  say(`Range test #${id}: learning rate ${fmt(minLr)} → ${fmt(maxLr)} over up to ${steps} batches`);
  const service = ctx.runService();
  const onSigint = (): void => void service.stop(id);
  process.on('SIGINT', onSigint);
  const end = await service.whenFinished(id);
  process.off('SIGINT', onSigint);
  if (end.type === 'failed') {
    say(`Range test #${id} failed: ${end.error}`);
    return 1;
  }
  const detail = ctx.store().lrRange(id);
  for (const line of describeRangeTest(detail)) say(line);
  return 0;
}

/** The table, the plot and the suggestion, as lines of text. */
export function describeRangeTest(detail: LrRangeDetail): string[] {
  const lines: string[] = [];
  const { points } = detail;
  const ended =
    detail.stopReason === 'diverged'
      ? `stopped early: the loss diverged (smoothed loss above 4× its best) after ${points.length} batches`
      : detail.stopReason === 'stopped'
        ? `stopped by you after ${points.length} batches`
        : `reached the last learning rate after ${points.length} batches`;
  lines.push(`Range test #${detail.runId} ${ended}`);
  if (points.length) {
    lines.push('', '  batch  learning rate   loss    smoothed');
    const every = Math.max(1, Math.ceil(points.length / TABLE_ROWS));
    for (const p of points.filter((_, i) => i % every === 0 || i === points.length - 1))
      lines.push(
        `  ${String(p.step).padStart(5)}  ${fmt(p.learningRate).padStart(13)}  ${p.loss.toFixed(4).padStart(7)}  ${p.smoothedLoss.toFixed(4).padStart(8)}`,
      );
    lines.push('', ...textPlot(points, detail.learningRate));
  }
  lines.push('');
  if (detail.learningRate === null) lines.push('No suggestion: the smoothed loss never fell.');
  else {
    lines.push(
      `Suggested learning rate: ${detail.learningRate.toPrecision(2)}  (--lr ${detail.learningRate.toPrecision(2)})`,
    );
    lines.push(`  rule: ${detail.rule}`);
  }
  if (detail.minLossLearningRate !== null)
    lines.push(`  lowest smoothed loss at ${detail.minLossLearningRate.toPrecision(2)}`);
  return lines;
}

/** Smoothed loss against log10(lr): `*` per column, `|` at the suggestion. */
function textPlot(points: readonly LrPoint[], suggestion: number | null): string[] {
  const logs = points.map((p) => Math.log10(p.learningRate));
  const lo = logs[0];
  const hi = logs[logs.length - 1];
  const losses = points.map((p) => p.smoothedLoss);
  // Higher points sit on the top row.
  const top = Math.min(Math.max(...losses), lrPlotCeiling(points)!);
  const bottom = Math.min(...losses);
  const grid = Array.from({ length: PLOT_HEIGHT }, () => Array<string>(PLOT_WIDTH).fill(' '));
  const column = (log: number): number =>
    hi === lo ? 0 : Math.min(PLOT_WIDTH - 1, Math.round(((log - lo) / (hi - lo)) * (PLOT_WIDTH - 1)));
  if (suggestion !== null) {
    const c = column(Math.log10(suggestion));
    for (const row of grid) row[c] = '|';
  }
  points.forEach((p, i) => {
    const r =
      top === bottom ? 0 : Math.max(0, Math.round(((top - p.smoothedLoss) / (top - bottom)) * (PLOT_HEIGHT - 1)));
    grid[r][column(logs[i])] = '*';
  });
  const label = (v: number): string => v.toFixed(3).padStart(7);
  return [
    ...grid.map(
      (row, r) => `${r === 0 ? label(top) : r === PLOT_HEIGHT - 1 ? label(bottom) : ' '.repeat(7)} ┤${row.join('')}`,
    ),
    `${' '.repeat(8)}└${'─'.repeat(PLOT_WIDTH)}`,
    `${' '.repeat(9)}${fmt(10 ** lo).padEnd(PLOT_WIDTH - 8)}${fmt(10 ** hi)}   (learning rate, log scale; | = suggestion)`,
  ];
}
