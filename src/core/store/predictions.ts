/**
 * Test-set predictions, stored compactly and queried by decoding in JS.
 *
 * One row per evaluation: `predicted` is one byte per test image; `probabilities` is ten
 * little-endian uint16 per image, round(p × 65535) — 200 KB for the 10,000-image test set instead
 * of 400 KB of float32. Why not one byte (the `u8-v1` encoding of older runs, still read): its
 * ±0.002 is coarser than the one-decimal percentages the window shows, so a gallery said 65.5%
 * where Inspect, computing the same image, said 65.6%; ±0.000008 cannot move a shown digit. The
 * predicted class is stored, not re-derived, because quantisation can tie two classes.
 *
 * True labels are stored once per labels file (keyed by its SHA-256 from the dataset identity),
 * so queries never need the dataset on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { predictionsQuerySchema, runPairQuerySchema } from '../../shared/runs';
import type { DisagreementsResult } from '../../shared/runs';
import type { EvaluationRole, PredictionRow, PredictionsResult } from '../../shared/runs';
import type { DatasetIdentity } from '../../shared/training';
import type { StoreContext } from './context';
import { parseInput, StoreError } from './errors';
import { requireRunRow } from './runs';

export const PREDICTION_ENCODING = 'u16-v2';
/** Each encoding's largest stored value (probability 1). */
const FULL_SCALE: Record<string, number> = { 'u8-v1': 255, 'u16-v2': 65535 };
const CLASSES = 10;
const IDX_LABELS_MAGIC = 2049;
const LABELS_FILE = 't10k-labels-idx1-ubyte';

export interface EncodedPredictions {
  count: number;
  predicted: Buffer;
  probabilities: Buffer;
}

/** Accepts typed arrays or plain arrays (a JSON-serialised IPC channel turns the former into the latter). */
export function encodePredictions(predicted: ArrayLike<number>, probabilities: ArrayLike<number>): EncodedPredictions {
  const count = predicted.length;
  if (count === 0) throw new StoreError('invalid-input', 'An evaluation must carry at least one prediction.');
  if (probabilities.length !== count * CLASSES) {
    throw new StoreError(
      'invalid-input',
      `An evaluation has ${count} predictions but ${probabilities.length} probabilities (expected ${count * CLASSES}).`,
    );
  }
  const predictedBytes = Buffer.alloc(count);
  for (let i = 0; i < count; i++) {
    const c = predicted[i];
    if (!Number.isInteger(c) || c < 0 || c >= CLASSES)
      throw new StoreError('invalid-input', `Predicted class at test index ${i} is ${c}, not 0–9.`);
    predictedBytes[i] = c;
  }
  const probabilityBytes = Buffer.alloc(count * CLASSES * 2);
  const full = FULL_SCALE[PREDICTION_ENCODING];
  for (let i = 0; i < count * CLASSES; i++) {
    const p = probabilities[i];
    // NaN (a diverged model) stores as 0; the range clamp guards against softmax rounding above 1.
    probabilityBytes.writeUInt16LE(p > 0 ? Math.round(Math.min(1, p) * full) : 0, 2 * i);
  }
  return { count, predicted: predictedBytes, probabilities: probabilityBytes };
}

export function writePredictions(ctx: StoreContext, evaluationId: number, encoded: EncodedPredictions): void {
  ctx
    .statement(
      `INSERT INTO predictions (evaluation_id, count, encoding, predicted, probabilities) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (evaluation_id) DO UPDATE SET count = excluded.count, encoding = excluded.encoding,
         predicted = excluded.predicted, probabilities = excluded.probabilities`,
    )
    .run(evaluationId, encoded.count, PREDICTION_ENCODING, encoded.predicted, encoded.probabilities);
}

// ---------------------------------------------------------------------------------------------
// True labels
// ---------------------------------------------------------------------------------------------

/** SHA-256 of the IDX file these labels came from (8-byte header + one byte per label). */
function idxLabelsSha256(labels: Uint8Array): string {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(IDX_LABELS_MAGIC, 0);
  header.writeUInt32BE(labels.length, 4);
  return createHash('sha256').update(header).update(labels).digest('hex');
}

/**
 * Store the test labels of a labels file. `sha256` is the file's entry in DatasetIdentity; the
 * labels must hash to it (as an IDX file), so labels can never be filed under the wrong dataset.
 */
export function saveTestLabels(ctx: StoreContext, sha256: string, labels: ArrayLike<number>): void {
  const bytes = Uint8Array.from(labels);
  if (bytes.length === 0 || bytes.some((l) => l >= CLASSES))
    throw new StoreError('invalid-input', 'Test labels must be a non-empty list of classes 0–9.');
  if (idxLabelsSha256(bytes) !== sha256.toLowerCase()) {
    throw new StoreError(
      'invalid-input',
      `These ${bytes.length} test labels do not match the labels file with SHA-256 ${sha256}.`,
    );
  }
  ctx
    .statement('INSERT OR IGNORE INTO test_labels (sha256, count, labels) VALUES (?, ?, ?)')
    .run(sha256.toLowerCase(), bytes.length, Buffer.from(bytes));
}

export function hasTestLabels(ctx: StoreContext, sha256: string): boolean {
  return ctx.statement('SELECT 1 FROM test_labels WHERE sha256 = ?').get(sha256) !== undefined;
}

/**
 * Read the labels file named by a dataset identity (raw or gzip) if it is still there and still
 * hashes the same. Returns null when it cannot: labels can also be given later with
 * saveTestLabels.
 */
export function readTestLabelsFromDataset(dataset: DatasetIdentity): Uint8Array | null {
  const expected = dataset.sha256?.[LABELS_FILE];
  if (!expected || !dataset.dir) return null;
  for (const name of [LABELS_FILE, `${LABELS_FILE}.gz`]) {
    const path = join(dataset.dir, name);
    if (!existsSync(path)) continue;
    try {
      let bytes: Uint8Array = readFileSync(path);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      if (bytes.length < 8 || createHash('sha256').update(bytes).digest('hex') !== expected) continue;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (view.getUint32(0) !== IDX_LABELS_MAGIC || view.getUint32(4) !== bytes.length - 8) continue;
      return bytes.subarray(8);
    } catch {
      // Unreadable or damaged: the labels are simply not available from here.
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

interface StoredPredictions {
  count: number;
  predicted: Buffer;
  /** Decoded from either encoding: [count × 10]. */
  probabilities: Float64Array;
  labels: Buffer | null;
}

/** The stored probabilities as numbers (`full`: the encoding's value for 1). */
function decodeProbabilities(bytes: Buffer, full: number): Float64Array {
  const wide = full > 255;
  const out = new Float64Array(wide ? bytes.length / 2 : bytes.length);
  for (let i = 0; i < out.length; i++) out[i] = (wide ? bytes.readUInt16LE(2 * i) : bytes[i]) / full;
  return out;
}

function loadPredictions(
  ctx: StoreContext,
  runId: unknown,
  role: EvaluationRole,
): StoredPredictions & { runId: number } {
  const run = requireRunRow(ctx, runId);
  const row = ctx
    .statement(
      `SELECT p.count, p.encoding, p.predicted, p.probabilities, l.labels, l.count AS label_count
       FROM evaluations e JOIN predictions p ON p.evaluation_id = e.id
       LEFT JOIN test_labels l ON l.sha256 = ?
       WHERE e.run_id = ? AND e.role = ?`,
    )
    .get(run.test_labels_sha256, run.id, role) as
    | {
        count: number;
        encoding: string;
        predicted: Buffer;
        probabilities: Buffer;
        labels: Buffer | null;
        label_count: number | null;
      }
    | undefined;
  if (!row) throw new StoreError('not-found', `Run ${run.id} has no stored predictions for its ${role} evaluation.`);
  const full = FULL_SCALE[row.encoding];
  if (full === undefined)
    throw new StoreError(
      'corrupt',
      `Predictions of run ${run.id} use an unknown encoding ${row.encoding} in ${ctx.file}.`,
    );
  const bytesPer = full > 255 ? 2 : 1;
  if (row.predicted.length !== row.count || row.probabilities.length !== row.count * CLASSES * bytesPer) {
    throw new StoreError('corrupt', `Predictions of run ${run.id} (${role}) in ${ctx.file} have the wrong size.`);
  }
  // Labels of another length belong to a different test set: treat as unknown rather than misalign.
  const labels = row.labels && row.label_count === row.count ? row.labels : null;
  const probabilities = decodeProbabilities(row.probabilities, full);
  return { runId: run.id, count: row.count, predicted: row.predicted, probabilities, labels };
}

/**
 * A page of one evaluation's test-set predictions, filtered by true/predicted class, correctness
 * and a set of test indices, ordered by index or by confidence (ties by index, so pages are stable).
 */
export function queryPredictions(ctx: StoreContext, input: unknown): PredictionsResult {
  const q = parseInput(predictionsQuerySchema, input, 'predictions query');
  const stored = loadPredictions(ctx, q.runId, q.role);
  const { count, predicted, probabilities, labels } = stored;
  if (!labels && (q.trueClass !== undefined || q.correct !== undefined)) {
    throw new StoreError(
      'invalid-input',
      `The test labels of run ${stored.runId} are not stored, so predictions cannot be filtered by true class or correctness.`,
    );
  }
  const only = q.indices ? new Set(q.indices) : null;
  const matches: number[] = [];
  for (let i = 0; i < count; i++) {
    if (only && !only.has(i)) continue;
    if (q.predictedClass !== undefined && predicted[i] !== q.predictedClass) continue;
    if (labels) {
      if (q.trueClass !== undefined && labels[i] !== q.trueClass) continue;
      if (q.correct !== undefined && (labels[i] === predicted[i]) !== q.correct) continue;
    }
    matches.push(i);
  }
  const ordered = q.sort === 'index' ? matches : byConfidence(stored, matches, q.sort === 'confidence-desc');
  const rows: PredictionRow[] = ordered.slice(q.offset, q.offset + q.limit).map((i) => {
    const probs: number[] = new Array(CLASSES);
    for (let c = 0; c < CLASSES; c++) probs[c] = probabilities[i * CLASSES + c];
    return {
      index: i,
      trueClass: labels ? labels[i] : null,
      predictedClass: predicted[i],
      confidence: probs[predicted[i]],
      probabilities: probs,
    };
  });
  return { total: ordered.length, labels: labels !== null, rows };
}

/** `indices` ordered by the confidence of the run's guess (ties by index, so pages are stable). */
function byConfidence(stored: StoredPredictions, indices: readonly number[], descending: boolean): number[] {
  const { predicted, probabilities } = stored;
  const confidence = (i: number) => probabilities[i * CLASSES + predicted[i]];
  const sign = descending ? -1 : 1;
  return [...indices].sort((a, b) => sign * (confidence(a) - confidence(b)) || a - b);
}

/**
 * Test indices that one run classified correctly and the other did not, each list ordered by the
 * wrong run's confidence in its guess, most confident first: its surest mistakes lead the gallery.
 */
export function disagreements(ctx: StoreContext, input: unknown): DisagreementsResult {
  const q = parseInput(runPairQuerySchema, input, 'disagreements query');
  const a = loadPredictions(ctx, q.a, q.role);
  const b = loadPredictions(ctx, q.b, q.role);
  if (a.count !== b.count)
    throw new StoreError(
      'invalid-input',
      `Runs ${q.a} and ${q.b} were evaluated on test sets of different sizes (${a.count} and ${b.count}).`,
    );
  const labels = a.labels ?? b.labels;
  if (!labels) throw new StoreError('not-found', `The test labels of runs ${q.a} and ${q.b} are not stored.`);
  if (a.labels && b.labels && !a.labels.equals(b.labels))
    throw new StoreError('invalid-input', `Runs ${q.a} and ${q.b} were evaluated on different test sets.`);
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  let bothRight = 0;
  let bothWrong = 0;
  for (let i = 0; i < a.count; i++) {
    const aRight = a.predicted[i] === labels[i];
    const bRight = b.predicted[i] === labels[i];
    if (aRight && !bRight) onlyA.push(i);
    else if (bRight && !aRight) onlyB.push(i);
    else if (aRight) bothRight++;
    else bothWrong++;
  }
  return {
    a: q.a,
    b: q.b,
    role: q.role,
    onlyA: byConfidence(b, onlyA, true),
    onlyB: byConfidence(a, onlyB, true),
    bothRight,
    bothWrong,
  };
}
