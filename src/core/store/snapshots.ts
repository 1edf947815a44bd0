/**
 * Per-epoch snapshots (migration 002): written from the trainer's `snapshot` event, read by the
 * inspector's epoch slider. Encoding in the migration's comment.
 */
import { z } from 'zod';
import {
  inspectSnapshotInputSchema,
  inspectTrajectoryInputSchema,
  kernelPartSizes,
  SNAPSHOT_PROBABILITY_STEPS as PROBABILITY_STEPS,
  type EpochSnapshot,
  type ImageTrajectory,
} from '../../shared/inspect';
import { runIdSchema } from '../../shared/runs';
import type { EpochSnapshotEvent } from '../../shared/training';
import type { StoreContext } from './context';
import { parseInput, StoreError } from './errors';
import { requireRunRow } from './runs';
import { storedConfig } from './stored-config';

/**
 * int8 per part (C1 kernels, C1 biases, C3 kernels, C3 biases, of `sizes` numbers each) with a
 * scale of max |v| / 127 (0 for an all-zero part).
 */
export function quantiseKernels(values: ArrayLike<number>, sizes: number[]): { bytes: Buffer; scales: number[] } {
  const bytes = Buffer.alloc(sizes.reduce((a, b) => a + b, 0));
  const scales: number[] = [];
  let start = 0;
  for (const size of sizes) {
    let top = 0;
    for (let i = start; i < start + size; i++) top = Math.max(top, Math.abs(values[i]));
    const scale = top / 127;
    scales.push(scale);
    for (let i = start; i < start + size; i++) bytes.writeInt8(scale ? Math.round(values[i] / scale) : 0, i);
    start += size;
  }
  return { bytes, scales };
}

export function dequantiseKernels(bytes: Uint8Array, scales: number[], sizes: number[]): Float32Array[] {
  const view = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Float32Array[] = [];
  let start = 0;
  sizes.forEach((size, g) => {
    const group = new Float32Array(size);
    for (let i = 0; i < size; i++) group[i] = view[start + i] * scales[g];
    out.push(group);
    start += size;
  });
  return out;
}

/** The sizes of a run's kernel parts, from the widths it was configured with. */
function runKernelSizes(ctx: StoreContext, runId: number): number[] {
  return kernelPartSizes(storedConfig(requireRunRow(ctx, runId).config_json).model);
}

export function recordSnapshot(ctx: StoreContext, runId: number, event: EpochSnapshotEvent): void {
  const { kernels, confusion, predicted, trueProbability } = event;
  const sizes = runKernelSizes(ctx, runId);
  const expected = sizes.reduce((a, b) => a + b, 0);
  if (!kernels || kernels.length !== expected)
    throw new StoreError(
      'invalid-input',
      `A snapshot of run #${runId}'s network needs ${expected} kernel numbers (got ${kernels?.length}).`,
    );
  if (!Array.isArray(confusion) || confusion.length !== 100)
    throw new StoreError('invalid-input', 'A snapshot needs a 10×10 confusion matrix.');
  if (!predicted || !trueProbability || predicted.length !== trueProbability.length || predicted.length === 0)
    throw new StoreError('invalid-input', 'A snapshot needs one predicted class and one probability per test image.');
  const outcomes = Buffer.alloc(predicted.length);
  for (let i = 0; i < predicted.length; i++)
    outcomes[i] = (predicted[i] & 0x0f) | (Math.min(PROBABILITY_STEPS, trueProbability[i]) << 4);
  const { bytes, scales } = quantiseKernels(kernels, sizes);
  ctx
    .statement(
      `INSERT INTO epoch_snapshots (run_id, epoch, kernels, kernel_scales_json, confusion_json, outcomes)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, epoch) DO UPDATE SET kernels = excluded.kernels,
         kernel_scales_json = excluded.kernel_scales_json, confusion_json = excluded.confusion_json,
         outcomes = excluded.outcomes`,
    )
    .run(runId, event.epoch, bytes, JSON.stringify(scales), JSON.stringify(confusion), outcomes);
}

/** Epochs with a snapshot, ascending. */
export function snapshotEpochs(ctx: StoreContext, input: unknown): number[] {
  const runId = parseInput(runIdSchema, input, 'run id');
  requireRunRow(ctx, runId);
  return (
    ctx.statement('SELECT epoch FROM epoch_snapshots WHERE run_id = ? ORDER BY epoch').all(runId) as {
      epoch: number;
    }[]
  ).map((r) => r.epoch);
}

export function epochSnapshot(ctx: StoreContext, input: unknown): EpochSnapshot {
  const { runId, epoch } = parseInput(inspectSnapshotInputSchema, input, 'snapshot query');
  requireRunRow(ctx, runId);
  const row = ctx
    .statement(
      'SELECT kernels, kernel_scales_json AS scales, confusion_json AS confusion FROM epoch_snapshots WHERE run_id = ? AND epoch = ?',
    )
    .get(runId, epoch) as { kernels: Buffer; scales: string; confusion: string } | undefined;
  if (!row)
    throw new StoreError(
      'not-found',
      `Run #${runId} has no snapshot of epoch ${epoch} (it was recorded before per-epoch snapshots existed, or never reached that epoch).`,
    );
  const [c1, c1Bias, c3, c3Bias] = dequantiseKernels(
    row.kernels,
    z.array(z.number()).parse(JSON.parse(row.scales)),
    runKernelSizes(ctx, runId),
  );
  return { epoch, confusion: JSON.parse(row.confusion) as number[], c1, c1Bias, c3, c3Bias };
}

/** One test image's prediction and true-class probability across the snapshots. */
export function imageTrajectory(ctx: StoreContext, input: unknown): ImageTrajectory {
  const { runId, index } = parseInput(inspectTrajectoryInputSchema, input, 'trajectory query');
  requireRunRow(ctx, runId);
  // substr on a BLOB reads one byte of each row rather than decoding 10,000.
  const rows = ctx
    .statement('SELECT epoch, substr(outcomes, ?, 1) AS b FROM epoch_snapshots WHERE run_id = ? ORDER BY epoch')
    .all(index + 1, runId) as { epoch: number; b: Buffer }[];
  const out: ImageTrajectory = { index, epochs: [], predicted: [], trueProbability: [], flips: [] };
  for (const { epoch, b } of rows) {
    if (!b || b.length === 0) continue; // fewer test images than the index
    const predicted = b[0] & 0x0f;
    if (out.predicted.length && out.predicted.at(-1) !== predicted) out.flips.push(epoch);
    out.epochs.push(epoch);
    out.predicted.push(predicted);
    out.trueProbability.push((b[0] >> 4) / PROBABILITY_STEPS);
  }
  return out;
}
