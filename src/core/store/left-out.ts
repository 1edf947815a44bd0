/**
 * The training images a run left out (hyperparameter `excludeMarked`, migration 008): written
 * from its `started` event, read by its page, Compare and a resume (which must leave out the same
 * images whatever the marks say by then).
 */
import type { LeftOutImages } from '../../shared/runs';
import type { DatasetIdentity, MarkedImages } from '../../shared/training';
import type { StoreContext } from './context';
import { StoreError } from './errors';

const MAX_INDEX = 0xffff_ffff;

/** Replace run `runId`'s record of what it left out (a resumed run sends the same list again). */
export function recordLeftOut(ctx: StoreContext, runId: number, dataset: DatasetIdentity, leftOut: unknown): void {
  const images = dataset?.sha256?.['train-images-idx3-ubyte'];
  const labels = dataset?.sha256?.['train-labels-idx1-ubyte'];
  if (!images || !labels)
    throw new StoreError('invalid-input', 'A started event that left images out must name its training file.');
  const list = Array.from(leftOut as ArrayLike<number>);
  if (!list.every((i) => Number.isInteger(i) && i >= 0 && i <= MAX_INDEX))
    throw new StoreError(
      'invalid-input',
      'The images a run left out must be training-file indices (whole numbers ≥ 0).',
    );
  const indices = Uint32Array.from(new Set(list)).sort();
  ctx
    .statement(
      `INSERT INTO run_left_out (run_id, images_sha256, labels_sha256, image_count, indices) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET images_sha256 = excluded.images_sha256,
         labels_sha256 = excluded.labels_sha256, image_count = excluded.image_count, indices = excluded.indices`,
    )
    .run(runId, images, labels, indices.length, Buffer.from(indices.buffer));
}

/** What run `runId` left out of its training images; null when it left nothing out by choice. */
export function leftOutOf(ctx: StoreContext, runId: number): MarkedImages | null {
  const row = ctx
    .statement('SELECT images_sha256, labels_sha256, image_count, indices FROM run_left_out WHERE run_id = ?')
    .get(runId) as { images_sha256: string; labels_sha256: string; image_count: number; indices: Buffer } | undefined;
  if (!row) return null;
  if (row.indices.byteLength !== row.image_count * 4)
    throw new StoreError('corrupt', `Run ${runId}'s list of left-out images is damaged (wrong length).`);
  return {
    imagesSha256: row.images_sha256,
    labelsSha256: row.labels_sha256,
    indices: Array.from(new Uint32Array(new Uint8Array(row.indices).buffer)),
  };
}

/** The run detail's view: how many and which images it left out; null when none by choice. */
export function leftOutSummary(ctx: StoreContext, runId: number): LeftOutImages | null {
  const record = leftOutOf(ctx, runId);
  return record && { count: record.indices.length, indices: record.indices };
}

/** Per run, how many images it left out (null: none by choice), for Compare. */
export function leftOutCounts(ctx: StoreContext, ids: readonly number[]): Map<number, number> {
  const rows = ctx
    .statement('SELECT run_id, image_count FROM run_left_out WHERE run_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { run_id: number; image_count: number }[];
  return new Map(rows.map((r) => [r.run_id, r.image_count]));
}
