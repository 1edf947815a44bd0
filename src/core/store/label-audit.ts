/**
 * The label audit's storage (migration 006): a run's area-under-the-margin sums, written from the
 * trainer's `margins` event, and the user's marks on training images. Encoding in the migration.
 */
import {
  auditQuerySchema,
  markInputSchema,
  rankAudit,
  type AuditableRun,
  type AuditResult,
  type LabelMark,
  type MarginsRow,
  type MarginsSource,
} from '../../shared/audit';
import type { DatasetIdentity, MarginsEvent, MarkedImages } from '../../shared/training';
import type { RunStatus } from '../../shared/runs';
import type { StoreContext } from './context';
import { parseInput, StoreError } from './errors';
import { requireRunRow, type DetailRow } from './runs';

const NOT_SEEN = 255;

/** `source`: the trainer's sums over epochs, or the final network's margins from the last checkpoint. */
export function recordMargins(
  ctx: StoreContext,
  runId: number,
  event: MarginsEvent,
  source: MarginsSource = 'training',
): void {
  const { sums, believed, labels, epochs } = event;
  const count = sums?.length ?? 0;
  if (count === 0 || believed?.length !== count || labels?.length !== count)
    throw new StoreError('invalid-input', 'A margins event needs sums, believed classes and labels of one length.');
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new StoreError('invalid-input', `A margins event's epochs must be a positive integer (got ${epochs}).`);
  const floats = Float32Array.from(sums);
  ctx
    .statement(
      `INSERT INTO run_margins (run_id, epochs, image_count, sums, believed, labels, source) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET epochs = excluded.epochs, image_count = excluded.image_count,
         sums = excluded.sums, believed = excluded.believed, labels = excluded.labels, source = excluded.source`,
    )
    .run(
      runId,
      epochs,
      count,
      Buffer.from(floats.buffer),
      Buffer.from(Uint8Array.from(believed)),
      Buffer.from(Uint8Array.from(labels)),
      source,
    );
}

/**
 * Store the final network's margins computed from a run's last checkpoint, for a run that has
 * none: a run whose trainer recorded margins keeps them (they cover every epoch; these only one).
 */
export function recordCheckpointMargins(
  ctx: StoreContext,
  runId: number,
  margins: Pick<MarginsEvent, 'sums' | 'believed' | 'labels'>,
): void {
  const row = requireRunRow(ctx, runId);
  const existing = ctx.statement('SELECT source FROM run_margins WHERE run_id = ?').get(runId) as
    { source: MarginsSource } | undefined;
  if (existing?.source === 'training')
    throw new StoreError(
      'conflict',
      `Run ${runId} already has the margins its trainer recorded over its epochs; they are kept, not replaced by the final network's.`,
    );
  recordMargins(ctx, runId, { type: 'margins', epoch: row.epochs_done, epochs: 1, ...margins }, 'checkpoint');
}

function readMargins(ctx: StoreContext, runId: number): (MarginsRow & { source: MarginsSource }) | null {
  const row = ctx
    .statement('SELECT epochs, image_count, sums, believed, labels, source FROM run_margins WHERE run_id = ?')
    .get(runId) as
    | { epochs: number; image_count: number; sums: Buffer; believed: Buffer; labels: Buffer; source: MarginsSource }
    | undefined;
  if (!row) return null;
  if (row.sums.byteLength !== row.image_count * 4 || row.believed.byteLength !== row.image_count)
    throw new StoreError('corrupt', `Run ${runId}'s stored margins are damaged (wrong length).`);
  return {
    epochs: row.epochs,
    sums: new Float32Array(new Uint8Array(row.sums).buffer),
    believed: new Uint8Array(row.believed),
    labels: new Uint8Array(row.labels),
    source: row.source,
  };
}

/** The training file a run trained on: its folder and the hashes that name its contents. */
interface TrainingFile {
  dir: string;
  images: string;
  labels: string;
}

function trainingFileOf(row: DetailRow): TrainingFile | null {
  if (!row.dataset_json) return null;
  const identity = JSON.parse(row.dataset_json) as DatasetIdentity;
  const images = identity.sha256?.['train-images-idx3-ubyte'];
  const labels = identity.sha256?.['train-labels-idx1-ubyte'];
  return images && labels ? { dir: identity.dir, images, labels } : null;
}

function marksOn(ctx: StoreContext, file: TrainingFile): Map<number, LabelMark> {
  const rows = ctx
    .statement('SELECT image_index, mark FROM label_marks WHERE images_sha256 = ? AND labels_sha256 = ?')
    .all(file.images, file.labels) as { image_index: number; mark: LabelMark }[];
  return new Map(rows.map((r) => [r.image_index, r.mark]));
}

/** Marks made on the same folder while it held other files. */
function staleMarks(ctx: StoreContext, file: TrainingFile): number {
  const row = ctx
    .statement(
      'SELECT COUNT(*) AS n FROM label_marks WHERE dataset_dir = ? AND NOT (images_sha256 = ? AND labels_sha256 = ?)',
    )
    .get(file.dir, file.images, file.labels) as { n: number };
  return row.n;
}

/** The images the user marked wrong on the training file the run trained on, ascending. */
export function imagesMarkedWrong(ctx: StoreContext, input: unknown): number[] {
  const runId = parseInput(markInputSchema.shape.runId, input, 'run id');
  const file = trainingFileOf(requireRunRow(ctx, runId));
  if (!file) return [];
  return [...marksOn(ctx, file)]
    .filter(([, mark]) => mark === 'wrong')
    .map(([index]) => index)
    .sort((a, b) => a - b);
}

/** Per training file that has any, the images marked wrong on it (ascending): for `excludeMarked`. */
export function markedWrongByFile(ctx: StoreContext): MarkedImages[] {
  const rows = ctx
    .statement(
      `SELECT images_sha256, labels_sha256, image_index FROM label_marks WHERE mark = 'wrong'
       ORDER BY images_sha256, labels_sha256, image_index`,
    )
    .all() as { images_sha256: string; labels_sha256: string; image_index: number }[];
  const byFile = new Map<string, MarkedImages>();
  for (const r of rows) {
    const key = `${r.images_sha256}/${r.labels_sha256}`;
    let file = byFile.get(key);
    if (!file) byFile.set(key, (file = { imagesSha256: r.images_sha256, labelsSha256: r.labels_sha256, indices: [] }));
    file.indices.push(r.image_index);
  }
  return [...byFile.values()];
}

export function auditRun(ctx: StoreContext, input: unknown): AuditResult {
  const query = parseInput(auditQuerySchema, input, 'audit query');
  const row = requireRunRow(ctx, query.runId);
  const file = trainingFileOf(row);
  const markedWrong = file ? [...marksOn(ctx, file).values()].filter((m) => m === 'wrong').length : 0;
  const base = {
    runId: query.runId,
    epochs: 0,
    covered: 0,
    datasetCount: 0,
    flagged: 0,
    entries: [],
    markedWrong,
    source: null,
  };
  const stale = file ? staleMarks(ctx, file) : 0;
  const margins = readMargins(ctx, query.runId);
  if (!margins) {
    return row.epochs_done === 0
      ? {
          ...base,
          state: 'no-epoch',
          staleMarks: stale,
          message: `Run ${query.runId} has no completed epoch: the audit averages margins over completed epochs, so there is nothing to rank yet.`,
        }
      : {
          ...base,
          state: 'not-recorded',
          staleMarks: stale,
          message: `Run ${query.runId} was recorded before training runs kept per-image margins: its margins over epochs are unknown. Compute its final network's margins from its last checkpoint, or start a run from its settings (which keeps them over every epoch).`,
        };
  }
  const marks = file ? marksOn(ctx, file) : new Map<number, LabelMark>();
  const ranked = rankAudit(margins, {
    ...(query.pair && { pair: query.pair }),
    top: query.top,
    markOf: (i) => marks.get(i) ?? null,
  });
  const count = margins.sums.length;
  const subset =
    ranked.covered < count
      ? ` It covers only the ${ranked.covered.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} training images this run trained on (the rest were held out for validation or outside its subset).`
      : '';
  const staleNote =
    stale > 0
      ? ` ${stale} mark${stale === 1 ? ' was' : 's were'} made on this folder when its files were different: kept, not shown here.`
      : '';
  const how =
    margins.source === 'checkpoint'
      ? `the final network's margin below 0 and far below their class's; computed from the run's last checkpoint, so it ranks by the final network's margin only, not by an area under the margin over training`
      : `area under the margin below 0 and far below their class's over ${margins.epochs} epoch${margins.epochs === 1 ? '' : 's'}`;
  return {
    ...base,
    state: 'ready',
    source: margins.source,
    epochs: margins.epochs,
    covered: ranked.covered,
    datasetCount: count,
    flagged: ranked.flagged,
    entries: ranked.entries,
    staleMarks: stale,
    message: `${ranked.flagged.toLocaleString('en-US')} images likely mislabeled (${how}).${subset}${staleNote}`,
  };
}

/** Every training run, newest first, with the epochs its margins cover (the audit's run picker). */
export function auditableRuns(ctx: StoreContext): AuditableRun[] {
  return (
    ctx
      .statement(
        `SELECT r.id, r.name, r.status, r.epochs_done, m.epochs AS margin_epochs, m.source AS margin_source
         FROM runs r LEFT JOIN run_margins m ON m.run_id = r.id WHERE r.kind = 'train' ORDER BY r.id DESC`,
      )
      .all() as {
      id: number;
      name: string;
      status: RunStatus;
      epochs_done: number;
      margin_epochs: number | null;
      margin_source: MarginsSource | null;
    }[]
  ).map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    epochsDone: r.epochs_done,
    marginEpochs: r.margin_epochs,
    marginSource: r.margin_source,
  }));
}

/** Set or clear (mark null) the user's mark on a training image of the run's training file. */
export function setMark(ctx: StoreContext, input: unknown): void {
  const { runId, imageIndex, mark } = parseInput(markInputSchema, input, 'mark');
  const row = requireRunRow(ctx, runId);
  const file = trainingFileOf(row);
  if (!file)
    throw new StoreError('invalid-input', `Run ${runId} has no recorded dataset: its images cannot be marked.`);
  if (mark === null) {
    ctx
      .statement('DELETE FROM label_marks WHERE images_sha256 = ? AND labels_sha256 = ? AND image_index = ?')
      .run(file.images, file.labels, imageIndex);
    return;
  }
  const margins = readMargins(ctx, runId);
  const given = margins?.labels[imageIndex];
  if (given === undefined || given === NOT_SEEN)
    throw new StoreError('invalid-input', `Image ${imageIndex} is not in run ${runId}'s training file.`);
  ctx
    .statement(
      `INSERT INTO label_marks (images_sha256, labels_sha256, image_index, dataset_dir, given_label, mark, marked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (images_sha256, labels_sha256, image_index) DO UPDATE SET mark = excluded.mark,
         marked_at = excluded.marked_at, dataset_dir = excluded.dataset_dir`,
    )
    .run(file.images, file.labels, imageIndex, file.dir, given, mark, new Date().toISOString());
}
