/**
 * What a trainer job (a run, a range test) works out before its first batch and says in its
 * `started` event: written once for both.
 */
import type { Hyperparams } from '../../shared/hyperparams';
import { parameterCount } from '../../shared/lenet';
import type { TrainerEvent } from '../../shared/training';
import { splitTrainValidation, type FashionMnist, type ImageSet } from '../dataset';
import type { SelectedBackend } from './backend/types';

export interface StartedFacts {
  config: Hyperparams;
  dataset: FashionMnist;
  backend: SelectedBackend;
  backendChoice?: string;
  trainSize: number;
  validationSize: number;
  epochs: number;
  batchesPerEpoch: number;
  /** Training images left out (by the user's marks), ascending; recorded with the run. */
  leftOut?: Uint32Array;
}

export function startedEvent(facts: StartedFacts): Extract<TrainerEvent, { type: 'started' }> {
  const { dataset, backend } = facts;
  return {
    type: 'started',
    backend: backend.name,
    tfjsVersion: backend.tfjsVersion,
    ...(facts.backendChoice !== undefined && { backendChoice: facts.backendChoice }),
    dataset: dataset.identity,
    trainSize: facts.trainSize,
    validationSize: facts.validationSize,
    testSize: dataset.test.count,
    epochs: facts.epochs,
    batchesPerEpoch: facts.batchesPerEpoch,
    parameterCount: parameterCount(facts.config.model),
    testLabels: dataset.test.labels,
    ...(facts.leftOut && { leftOut: facts.leftOut }),
  };
}

export interface TrainingPlan {
  trainSet: ImageSet;
  /** Each training image's position in the dataset's training file (per-image signals are kept by it). */
  trainIndices: Uint32Array;
  validationSet: ImageSet | null;
  batchSize: number;
  batchesPerEpoch: number;
  /** Images of the training part left out, ascending (empty unless `config.excludeMarked` is on). */
  leftOut: Uint32Array;
}

/**
 * The training split of `config` (by `validationFraction`/`trainSubset`, less `markedWrong` when
 * `excludeMarked` is `wrong`) and its batches.
 */
export function trainingPlan(
  config: Hyperparams,
  dataset: FashionMnist,
  markedWrong: ArrayLike<number> = [],
): TrainingPlan {
  const leaveOut = config.excludeMarked === 'wrong' ? markedWrong : [];
  const split = splitTrainValidation(dataset.train, { ...config, leaveOut });
  const batchSize = Math.min(config.batchSize, split.train.count);
  return {
    trainSet: split.train,
    trainIndices: split.trainIndices,
    leftOut: split.leftOut,
    validationSet: split.validation ?? null,
    batchSize,
    batchesPerEpoch: Math.ceil(split.train.count / batchSize),
  };
}
