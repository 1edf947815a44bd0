/**
 * Reading a checkpoint's resume state and checking its weights without tfjs, so main can refuse a
 * resume before it queues the run (and the trainer and the inspector check the same way before
 * they load anything).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hyperparams } from '../shared/hyperparams';
import { configFingerprint, TRAINING_STATE_JSON, trainingStateSchema, type TrainingState } from '../shared/resume';

/** A checkpoint folder's files (tfjs's layers-model format). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A checkpoint that cannot be resumed from; the message says why. */
export class ResumeError extends Error {
  override name = 'ResumeError';
}

/** Read and check the state file in checkpoint folder `dir` against the run's configuration. */
export function readTrainingState(dir: string, config: Hyperparams): TrainingState {
  // A folder that is gone is not one "written before runs could be resumed": say where it was sought.
  if (!existsSync(dir))
    throw new ResumeError(`its last checkpoint is missing from disk: it was looked for at ${dir} (deleted or moved)`);
  let text: string;
  try {
    text = readFileSync(path.join(dir, TRAINING_STATE_JSON), 'utf8');
  } catch {
    throw new ResumeError(
      `its last checkpoint (${dir}) has no optimizer state (${TRAINING_STATE_JSON}): it was written before runs could be resumed`,
    );
  }
  let parsed;
  try {
    parsed = trainingStateSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) throw new ResumeError(`the optimizer state in ${dir} is unreadable or from another version`);
  const state = parsed.data;
  if (state.fingerprint !== configFingerprint(config)) {
    throw new ResumeError(`the optimizer state in ${dir} was saved by another configuration than this run's`);
  }
  return state;
}

interface ManifestGroup {
  paths?: unknown;
  weights?: { name?: unknown; shape?: unknown; dtype?: unknown }[];
}

/**
 * Why the weights of the checkpoint folder `dir` cannot be trusted, or null when they are whole
 * and finite: model.json's manifest read over weights.bin, every float32 checked. A NaN or an
 * infinity (a damaged file, random bytes) would otherwise come back as predictions of "NaN%".
 */
export function damagedWeights(dir: string): string | null {
  let groups: ManifestGroup[];
  try {
    groups = (JSON.parse(readFileSync(path.join(dir, MODEL_JSON), 'utf8')) as { weightsManifest: ManifestGroup[] })
      .weightsManifest;
    if (!Array.isArray(groups)) return 'its model.json lists no weights';
  } catch (error) {
    return `its model.json cannot be read (${(error as Error).message})`;
  }
  let bytes: Buffer;
  try {
    bytes = Buffer.concat(
      groups
        .flatMap((g) => (Array.isArray(g.paths) ? g.paths : []))
        .map((p) => readFileSync(path.join(dir, String(p)))),
    );
  } catch (error) {
    return `its weights cannot be read (${(error as Error).message})`;
  }
  // A copy: Float32Array needs 4-byte alignment, which a pooled Buffer does not promise.
  const words = new Uint8Array(bytes).buffer;
  let offset = 0;
  for (const spec of groups.flatMap((g) => g.weights ?? [])) {
    const count = Array.isArray(spec.shape) ? spec.shape.reduce((a: number, b) => a * Number(b), 1) : NaN;
    if (!Number.isInteger(count) || offset + count * 4 > bytes.length)
      return `its weights file holds ${bytes.length} bytes, fewer than its manifest lists`;
    if (spec.dtype === undefined || spec.dtype === 'float32') {
      const values = new Float32Array(words, offset, count);
      const at = values.findIndex((v) => !Number.isFinite(v));
      if (at >= 0)
        return `its weight ${String(spec.name)} holds ${values[at]} (value ${at + 1} of ${count}), not a finite number`;
    }
    offset += count * 4;
  }
  return offset === bytes.length
    ? null
    : `its weights file holds ${bytes.length} bytes where its manifest lists ${offset}`;
}
