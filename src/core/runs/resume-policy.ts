/**
 * Which runs can continue, and from where: the one place the refusal reasons are worded. Checked
 * in main before a resume is queued, so the trainer never half-loads a checkpoint it must refuse.
 */
import type { Hyperparams } from '../../shared/hyperparams';
import type { RunDetail } from '../../shared/runs';
import { damagedWeights, readTrainingState, ResumeError } from '../resume-file';
import { StudioError } from '../errors';

export interface ResumePlan {
  config: Hyperparams;
  /** The last checkpoint's epoch: training continues at the next one. */
  fromEpoch: number;
}

export function checkResumable(run: RunDetail, { active, epochs }: { active: boolean; epochs?: number }): ResumePlan {
  const refuse = (why: string): never => {
    throw new StudioError('conflict', `Run #${run.id} cannot be ${epochs ? 'extended' : 'resumed'}: ${why}.`);
  };
  if (active || run.status === 'running' || run.status === 'queued') refuse('it is still training');
  if (run.status === 'completed' && epochs === undefined)
    refuse(`it completed all ${run.epochs} epochs (extend it with more epochs instead)`);
  if (run.status === 'diverged') refuse('it diverged, and would diverge again from the same state');
  const last = run.checkpoints.find((c) => c.role === 'last');
  if (!last) refuse('it has no checkpoint (no epoch finished before it ended)');
  const fromEpoch = last!.epoch;
  if (epochs !== undefined && epochs <= fromEpoch) refuse(`it already has ${fromEpoch} epochs; ask for more than that`);
  const config: Hyperparams = { ...run.config, epochs: epochs ?? run.config.epochs };
  try {
    readTrainingState(last!.path, config);
  } catch (err) {
    if (err instanceof ResumeError) refuse(err.message);
    throw err;
  }
  const damage = damagedWeights(last!.path);
  if (damage) refuse(`its last checkpoint (${last!.path}) is damaged: ${damage}`);
  return { config, fromEpoch };
}
