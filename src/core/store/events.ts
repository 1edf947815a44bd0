/**
 * recordEvent: one trainer event, one transaction. A crash (even SIGKILL) loses at most the event
 * in flight; everything before it is committed.
 */
import type { TrainerEvent } from '../../shared/training';
import { runIdSchema } from '../../shared/runs';
import { recordCheckpoint } from './checkpoints';
import { inWriteTransaction, assertWritable } from './context';
import type { StoreContext } from './context';
import { parseInput, StoreError } from './errors';
import { checkEvaluation, recordEvaluation } from './evaluations';
import { recordBatch, recordEpoch } from './metrics';
import { encodePredictions, hasTestLabels, readTestLabelsFromDataset, saveTestLabels } from './predictions';
import { markFinished, markStarted, requireRunRow } from './runs';
import { recordSnapshot } from './snapshots';
import { recordLrPoint, recordLrResult } from './lr-range';
import { recordMargins } from './label-audit';
import { recordLeftOut } from './left-out';
import type { DetailRow } from './runs';

function positiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new StoreError(
      'invalid-input',
      `A trainer event's ${what} must be a positive integer (got ${String(value)}).`,
    );
  return value;
}

/**
 * `write` in one IMMEDIATE transaction, given the run's row looked up inside it (so an unknown run
 * is refused and a status check and the write agree).
 */
function writeForRun(ctx: StoreContext, runId: number, write: (row: DetailRow) => void): void {
  inWriteTransaction(ctx, () => write(requireRunRow(ctx, runId)));
}

export function recordEvent(ctx: StoreContext, id: unknown, event: TrainerEvent): void {
  const runId = parseInput(runIdSchema, id, 'run id');
  if (!event || typeof event !== 'object' || typeof event.type !== 'string')
    throw new StoreError('invalid-input', 'A trainer event must be an object with a type.');
  assertWritable(ctx);
  switch (event.type) {
    case 'status':
      return; // Progress text for the window only.
    case 'started': {
      // Labels come with the event when the trainer sends them; otherwise read the labels file
      // (10 KB) named by the dataset identity, before taking the write lock.
      const labelsSha = event.dataset?.sha256?.['t10k-labels-idx1-ubyte'];
      let labels: ArrayLike<number> | null = null;
      if (labelsSha && !hasTestLabels(ctx, labelsSha))
        labels = event.testLabels ?? readTestLabelsFromDataset(event.dataset);
      writeForRun(ctx, runId, (row) => {
        markStarted(ctx, row, event);
        if (event.leftOut) recordLeftOut(ctx, runId, event.dataset, event.leftOut);
        if (labels && labelsSha) {
          try {
            saveTestLabels(ctx, labelsSha, labels);
          } catch (error) {
            // Labels that do not hash to the identity are dropped, not allowed to lose the event:
            // the run still starts; its predictions just cannot be filtered by true class.
            if (!(error instanceof StoreError && error.code === 'invalid-input')) throw error;
          }
        }
      });
      return;
    }
    case 'batch': {
      positiveInt(event.epoch, 'epoch');
      positiveInt(event.batch, 'batch');
      positiveInt(event.batchesPerEpoch, 'batchesPerEpoch');
      let epochs = ctx.plannedEpochs.get(runId);
      if (epochs === undefined) {
        epochs = requireRunRow(ctx, runId).epochs;
        ctx.plannedEpochs.set(runId, epochs);
      }
      const planned = epochs;
      // One upsert, in an IMMEDIATE transaction like every other event: a busy database fails at
      // BEGIN, never half-way.
      inWriteTransaction(ctx, () => recordBatch(ctx, { id: runId, epochs: planned }, event));
      return;
    }
    case 'epoch':
      positiveInt(event.epoch, 'epoch');
      writeForRun(ctx, runId, () => recordEpoch(ctx, runId, event));
      return;
    case 'evaluation': {
      positiveInt(event.epoch, 'epoch');
      // Validation and quantising (100,000 values) happen before the write lock is taken.
      const checked = checkEvaluation(event);
      const predictions =
        event.predicted && event.probabilities ? encodePredictions(event.predicted, event.probabilities) : null;
      writeForRun(ctx, runId, () => recordEvaluation(ctx, runId, event.epoch, event.role, checked, predictions));
      return;
    }
    case 'checkpoint':
      writeForRun(ctx, runId, () =>
        recordCheckpoint(ctx, runId, event.role, positiveInt(event.epoch, 'epoch'), event.path),
      );
      return;
    case 'snapshot':
      positiveInt(event.epoch, 'epoch');
      writeForRun(ctx, runId, () => recordSnapshot(ctx, runId, event));
      return;
    case 'lr-point':
      positiveInt(event.step, 'step');
      writeForRun(ctx, runId, () => recordLrPoint(ctx, runId, event));
      return;
    case 'lr-range-result':
      writeForRun(ctx, runId, () => recordLrResult(ctx, runId, event));
      return;
    case 'margins':
      positiveInt(event.epoch, 'epoch');
      writeForRun(ctx, runId, () => recordMargins(ctx, runId, event));
      return;
    case 'completed':
      writeForRun(ctx, runId, (row) =>
        markFinished(ctx, row, 'completed', { endReason: event.reason, epochs: event.epochs }),
      );
      return;
    case 'stopped':
      writeForRun(ctx, runId, (row) =>
        markFinished(ctx, row, 'stopped', {
          endReason: typeof event.reason === 'string' ? event.reason : 'stopped',
          epochs: event.epochs,
        }),
      );
      return;
    case 'diverged': {
      const value = Number.isNaN(event.loss) ? 'NaN' : String(event.loss);
      const error = `loss became ${value} at epoch ${event.epoch} batch ${event.batch}`;
      writeForRun(ctx, runId, (row) => markFinished(ctx, row, 'diverged', { error }));
      return;
    }
    case 'failed':
      writeForRun(ctx, runId, (row) =>
        markFinished(ctx, row, 'failed', { error: String(event.error || 'unknown error') }),
      );
      return;
    default: {
      const unknownType: string = (event as { type: string }).type;
      throw new StoreError('invalid-input', `Unknown trainer event type ${JSON.stringify(unknownType)}.`);
    }
  }
}
