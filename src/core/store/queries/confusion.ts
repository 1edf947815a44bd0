/**
 * Confusion matrices of one run, and the cell-by-cell difference between two runs.
 */
import { CLASS_NAMES } from '../../../shared/training';
import { confusionQuerySchema, runPairQuerySchema } from '../../../shared/runs';
import type { ConfusionDiffResult } from '../../../shared/runs';
import type { ConfusionResult } from '../../../shared/runs';
import type { StoreContext } from '../context';
import { parseInput } from '../errors';
import { evaluationOf } from '../evaluations';
import { requireRunRow } from '../runs';

export function confusion(ctx: StoreContext, input: unknown): ConfusionResult {
  const q = parseInput(confusionQuerySchema, input, 'confusion query');
  const run = requireRunRow(ctx, q.runId);
  const e = evaluationOf(ctx, run.id, q.role);
  return {
    runId: run.id,
    role: q.role,
    epoch: e.epoch,
    accuracy: e.accuracy,
    classNames: [...CLASS_NAMES],
    matrix: e.confusion,
    precision: e.precision,
    recall: e.recall,
    f1: e.f1,
  };
}

const minus = (b: number[], a: number[]) => b.map((v, i) => v - (a[i] ?? 0));

/** b − a for the matrix, the per-class figures and the accuracy. */
export function confusionDiff(ctx: StoreContext, input: unknown): ConfusionDiffResult {
  const q = parseInput(runPairQuerySchema, input, 'confusion comparison');
  const a = confusion(ctx, { runId: q.a, role: q.role });
  const b = confusion(ctx, { runId: q.b, role: q.role });
  return {
    a,
    b,
    matrix: minus(b.matrix, a.matrix),
    precision: minus(b.precision, a.precision),
    recall: minus(b.recall, a.recall),
    f1: minus(b.f1, a.f1),
    accuracy: b.accuracy - a.accuracy,
  };
}
