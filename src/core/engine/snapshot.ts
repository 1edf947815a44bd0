/** The per-epoch snapshot a trainer sends after each epoch (see EpochSnapshotEvent). */
import type * as tf from '@tensorflow/tfjs';
import type { ModelOptions } from '../../shared/hyperparams';
import { SNAPSHOT_PROBABILITY_STEPS } from '../../shared/inspect';
import type { EpochSnapshotEvent } from '../../shared/training';
import { CLASS_COUNT } from '../dataset';
import { kernelsOf } from './model/kernels';
import { stageMap } from './model/stages';
import { confusionMatrix, type Evaluation } from './evaluate';

export function epochSnapshot(
  model: tf.LayersModel,
  options: ModelOptions,
  epoch: number,
  labels: Uint8Array,
  test: Evaluation,
): EpochSnapshotEvent {
  const { c1, c1Bias, c3, c3Bias } = kernelsOf(model, stageMap(options));
  const kernels = new Float32Array(c1.length + c1Bias.length + c3.length + c3Bias.length);
  kernels.set(c1, 0);
  kernels.set(c1Bias, c1.length);
  kernels.set(c3, c1.length + c1Bias.length);
  kernels.set(c3Bias, c1.length + c1Bias.length + c3.length);
  const trueProbability = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++)
    trueProbability[i] = Math.round(test.probabilities[i * CLASS_COUNT + labels[i]] * SNAPSHOT_PROBABILITY_STEPS);
  return {
    type: 'snapshot',
    epoch,
    kernels,
    confusion: confusionMatrix(labels, test.predicted),
    predicted: test.predicted.slice(),
    trueProbability,
  };
}
