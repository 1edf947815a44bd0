/**
 * Reading a checkpoint's resume state without tfjs, so main can refuse a resume before it queues
 * the run (and the trainer checks the same way before it loads anything).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hyperparams } from '../shared/hyperparams';
import { configFingerprint, TRAINING_STATE_JSON, trainingStateSchema, type TrainingState } from '../shared/resume';

/** A checkpoint that cannot be resumed from; the message says why. */
export class ResumeError extends Error {
  override name = 'ResumeError';
}

/** Read and check the state file in checkpoint folder `dir` against the run's configuration. */
export function readTrainingState(dir: string, config: Hyperparams): TrainingState {
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
