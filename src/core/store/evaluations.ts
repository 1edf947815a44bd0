/**
 * Evaluations (confusion matrix and per-class precision/recall/F1) for the roles `best` and
 * `final`. A newer `best` replaces the older one in place, predictions included.
 */
import type { EvaluationRole, EvaluationSummary } from '../../shared/runs';
import type { TrainerEvent } from '../../shared/training';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { EncodedPredictions } from './predictions';
import { writePredictions } from './predictions';

const CLASSES = 10;

type EvaluationEvent = Extract<TrainerEvent, { type: 'evaluation' }>;

function numbers(values: ArrayLike<number>, length: number, what: string): number[] {
  if (!values || values.length !== length)
    throw new StoreError(
      'invalid-input',
      `An evaluation's ${what} must have ${length} numbers (got ${values?.length ?? 'none'}).`,
    );
  return Array.from(values, (v) => (Number.isFinite(v) ? v : 0));
}

/** Check an evaluation's shape before any transaction starts. */
export function checkEvaluation(e: EvaluationEvent): {
  confusion: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  accuracy: number;
} {
  if (e.role !== 'best' && e.role !== 'final')
    throw new StoreError('invalid-input', `Unknown evaluation role ${String(e.role)}.`);
  const confusion = numbers(e.confusion, CLASSES * CLASSES, 'confusion matrix');
  let total = 0;
  let correct = 0;
  confusion.forEach((n, i) => {
    total += n;
    if (i % (CLASSES + 1) === 0) correct += n;
  });
  return {
    confusion,
    precision: numbers(e.precision, CLASSES, 'precision'),
    recall: numbers(e.recall, CLASSES, 'recall'),
    f1: numbers(e.f1, CLASSES, 'F1'),
    accuracy: total > 0 ? correct / total : 0,
  };
}

export function recordEvaluation(
  ctx: StoreContext,
  runId: number,
  epoch: number,
  role: EvaluationRole,
  checked: ReturnType<typeof checkEvaluation>,
  predictions: EncodedPredictions | null,
): void {
  const { id } = ctx
    .statement(
      `INSERT INTO evaluations (run_id, role, epoch, accuracy, confusion_json, precision_json, recall_json, f1_json, created_at)
       VALUES (@runId, @role, @epoch, @accuracy, @confusion, @precision, @recall, @f1, @now)
       ON CONFLICT (run_id, role) DO UPDATE SET epoch = excluded.epoch, accuracy = excluded.accuracy,
         confusion_json = excluded.confusion_json, precision_json = excluded.precision_json,
         recall_json = excluded.recall_json, f1_json = excluded.f1_json, created_at = excluded.created_at
       RETURNING id`,
    )
    .get({
      runId,
      role,
      epoch,
      accuracy: checked.accuracy,
      confusion: JSON.stringify(checked.confusion),
      precision: JSON.stringify(checked.precision),
      recall: JSON.stringify(checked.recall),
      f1: JSON.stringify(checked.f1),
      now: Date.now(),
    }) as { id: number };
  if (predictions) writePredictions(ctx, id, predictions);
  // A replaced `best` without predictions must not keep the older epoch's predictions.
  else ctx.statement('DELETE FROM predictions WHERE evaluation_id = ?').run(id);
  // A final evaluation beyond the completed epochs is of the weights reached at a stop mid-epoch:
  // it is then the run's final test accuracy (otherwise the last epoch's, which it equals).
  if (role === 'final') {
    ctx
      .statement('UPDATE runs SET final_test_accuracy = @accuracy WHERE id = @runId AND @epoch > epochs_done')
      .run({ runId, epoch, accuracy: checked.accuracy });
  }
}

interface EvaluationRow {
  role: EvaluationRole;
  epoch: number;
  accuracy: number;
  confusion_json: string;
  precision_json: string;
  recall_json: string;
  f1_json: string;
  has_predictions: number;
}

function toSummary(r: EvaluationRow): EvaluationSummary {
  return {
    role: r.role,
    epoch: r.epoch,
    accuracy: r.accuracy,
    confusion: JSON.parse(r.confusion_json) as number[],
    precision: JSON.parse(r.precision_json) as number[],
    recall: JSON.parse(r.recall_json) as number[],
    f1: JSON.parse(r.f1_json) as number[],
    hasPredictions: r.has_predictions === 1,
  };
}

const EVALUATION_COLUMNS = `e.role, e.epoch, e.accuracy, e.confusion_json, e.precision_json, e.recall_json, e.f1_json,
  EXISTS (SELECT 1 FROM predictions p WHERE p.evaluation_id = e.id) AS has_predictions`;

/** A run's evaluations without the prediction blobs, `best` first. */
export function evaluationsOf(ctx: StoreContext, runId: number): EvaluationSummary[] {
  return (
    ctx
      .statement(`SELECT ${EVALUATION_COLUMNS} FROM evaluations e WHERE e.run_id = ? ORDER BY e.role`)
      .all(runId) as EvaluationRow[]
  ).map(toSummary);
}

export function evaluationOf(ctx: StoreContext, runId: number, role: EvaluationRole): EvaluationSummary {
  const row = ctx
    .statement(`SELECT ${EVALUATION_COLUMNS} FROM evaluations e WHERE e.run_id = ? AND e.role = ?`)
    .get(runId, role) as EvaluationRow | undefined;
  if (!row) throw new StoreError('not-found', `Run ${runId} has no ${role} evaluation yet.`);
  return toSummary(row);
}
