/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates"; fastai's and Lightning's
 * "LR finder"): train a few hundred batches while the learning rate grows exponentially, record
 * the loss, stop once it diverges, and suggest a starting learning rate from the curve.
 *
 * The numbers here are plain functions of the recorded points so the engine (which records
 * them), the store, the CLI and the window (which show them) agree on one definition.
 */
import { z } from 'zod';

/** What a range test sweeps: from `minLr` to `maxLr` over at most `steps` batches. */
export const lrRangeOptionsSchema = z.strictObject({
  minLr: z.number().positive({ error: 'must be a positive learning rate' }).default(1e-6),
  maxLr: z.number().positive({ error: 'must be a positive learning rate' }).max(100).default(1),
  steps: z
    .number()
    .int({ error: 'must be a whole number of batches' })
    .min(20, { error: 'must be at least 20 batches (fewer cannot show a curve)' })
    .max(5000, { error: 'must be at most 5,000 batches' })
    .default(300),
});
export type LrRangeOptions = z.output<typeof lrRangeOptionsSchema>;

/** fastai's smoothing factor: an exponential moving average over ~50 batches. */
export const LR_SMOOTHING_BETA = 0.98;
/** Stop once the smoothed loss exceeds this multiple of the best smoothed loss so far (fastai). */
export const LR_DIVERGENCE_FACTOR = 4;
/** Points before divergence is judged: the bias-corrected average is noisy at first. */
const LR_WARMUP_STEPS = 10;

/** The rule used to pick the suggestion, in words the window and the CLI show. */
export const LR_SUGGESTION_RULE =
  'steepest descent: the learning rate where the smoothed loss falls fastest against log(lr), before its minimum';

export interface LrPoint {
  /** 1-based batch number. */
  step: number;
  learningRate: number;
  /** The batch's mean cross-entropy. */
  loss: number;
  /** Bias-corrected exponential moving average of `loss` (β = 0.98). */
  smoothedLoss: number;
}

export type LrStopReason = 'diverged' | 'max-lr' | 'stopped';

export interface LrSuggestion {
  /** The suggested learning rate, or null when the curve never fell (no descent to pick from). */
  learningRate: number | null;
  rule: string;
  /** Where the smoothed loss was lowest. */
  minLossLearningRate: number | null;
}

/** The learning rate of batch `step` (1-based) of `steps`: exponential from minLr to maxLr. */
export function lrAtStep(options: LrRangeOptions, step: number): number {
  const t = options.steps <= 1 ? 0 : (step - 1) / (options.steps - 1);
  return options.minLr * Math.pow(options.maxLr / options.minLr, t);
}

/** The running smoother: feed batch losses, read bias-corrected averages. */
export class LossSmoother {
  private average = 0;
  private count = 0;
  private best = Infinity;

  /** The smoothed loss after `loss`. */
  add(loss: number): number {
    this.count += 1;
    this.average = LR_SMOOTHING_BETA * this.average + (1 - LR_SMOOTHING_BETA) * loss;
    const smoothed = this.average / (1 - Math.pow(LR_SMOOTHING_BETA, this.count));
    if (smoothed < this.best) this.best = smoothed;
    return smoothed;
  }

  /** True once the curve has diverged: a non-finite loss, or 4× the best smoothed loss. */
  diverged(loss: number, smoothed: number): boolean {
    if (!Number.isFinite(loss) || !Number.isFinite(smoothed)) return true;
    return this.count > LR_WARMUP_STEPS && smoothed > LR_DIVERGENCE_FACTOR * this.best;
  }
}

/**
 * The suggestion from recorded points (see LR_SUGGESTION_RULE): the most negative slope of the
 * smoothed loss against log(lr), looked for between the first points and the minimum (past the
 * minimum the loss is already rising). Slopes are central differences on the log axis.
 */
export function suggestLearningRate(points: readonly LrPoint[]): LrSuggestion {
  const finite = points.filter((p) => Number.isFinite(p.smoothedLoss) && p.learningRate > 0);
  if (finite.length < 3) return { learningRate: null, rule: LR_SUGGESTION_RULE, minLossLearningRate: null };
  let minIndex = 0;
  for (let i = 1; i < finite.length; i++) if (finite[i].smoothedLoss < finite[minIndex].smoothedLoss) minIndex = i;
  let steepest: number | null = null;
  let steepestSlope = 0;
  for (let i = 1; i < minIndex; i++) {
    const before = finite[i - 1];
    const after = finite[i + 1];
    const slope =
      (after.smoothedLoss - before.smoothedLoss) / (Math.log(after.learningRate) - Math.log(before.learningRate));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  return {
    learningRate: steepest === null ? null : finite[steepest].learningRate,
    rule: LR_SUGGESTION_RULE,
    minLossLearningRate: finite[minIndex].learningRate,
  };
}

/** A stored range test (`runs:lr-range`). */
export interface LrRangeDetail {
  runId: number;
  status: string;
  settings: LrRangeOptions;
  points: LrPoint[];
  /** The suggestion; null while it runs, or when the loss never fell. */
  learningRate: number | null;
  /** The rule that picked it (LR_SUGGESTION_RULE); null while it runs. */
  rule: string | null;
  minLossLearningRate: number | null;
  stopReason: LrStopReason | null;
}

/**
 * The top of a range test's loss axis: 1.5× the first smoothed loss. The last batches before
 * divergence reach many times that and would flatten the useful part of the curve.
 */
export function lrPlotCeiling(points: readonly LrPoint[]): number | undefined {
  return points.length ? 1.5 * points[0].smoothedLoss : undefined;
}

/**
 * Why a range test is refused where training runs are compared (Compare, a report): it is stored
 * as a run but has no epochs, best value or predictions, and is never mixed into comparisons.
 */
export function rangeTestRefusal(id: number, where: 'comparison' | 'report'): string {
  return (
    `Run #${id} is a learning-rate range test, not a training run: it is left out of every ${where}. ` +
    'Open it on its own page for its curve and suggested learning rate.'
  );
}
