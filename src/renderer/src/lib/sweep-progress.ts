/** A sweep's progress as the Runs page shows it: finished of all, how many train now, the best. */
import type { RunSummary } from '@shared/runs';
import { isPruned } from '@shared/halving';

export interface SweepProgress {
  done: number;
  total: number;
  running: number;
  queued: number;
  /** Runs successive halving stopped. */
  pruned: number;
  /** The highest best-epoch test accuracy among its runs, or null before any epoch. */
  best: number | null;
  bestRunId: number | null;
}

export function sweepProgress(runs: readonly RunSummary[], total: number): SweepProgress {
  const running = runs.filter((r) => r.status === 'running').length;
  const queued = runs.filter((r) => r.status === 'queued').length;
  let best: RunSummary | null = null;
  for (const r of runs)
    if (r.bestTestAccuracy != null && (best === null || r.bestTestAccuracy > best.bestTestAccuracy!)) best = r;
  return {
    done: runs.length - running - queued,
    total,
    running,
    queued,
    pruned: runs.filter(isPruned).length,
    best: best?.bestTestAccuracy ?? null,
    bestRunId: best?.id ?? null,
  };
}
