/**
 * How fast the active backend trains a configuration: the real training loop (`train`) for a few
 * batches on synthetic images, timed after a warm-up (operator creation, wasm heap growth and
 * tfjs-node's first graph runs are not what a run's epochs cost). Synthetic data: speed does not
 * depend on pixel values, and the choice can be made before the dataset is read.
 */
import type { Hyperparams } from '../../../shared/hyperparams';
import { randomDataset } from '../../dataset';
import { train } from '../train';
import type { SelectedBackend } from './types';

export interface MeasureOptions {
  warmupBatches?: number;
  timedBatches?: number;
  /** As the run will train (TrainOptions.stepThreads): the probe measures what the epochs will do. */
  stepThreads?: number;
}

export const DEFAULT_WARMUP_BATCHES = 2;
export const DEFAULT_TIMED_BATCHES = 4;

/** Training images/s of `config` on `backend` (which must be the active one). */
export async function measureTrainingSpeed(
  config: Hyperparams,
  backend: SelectedBackend,
  options: MeasureOptions = {},
): Promise<number> {
  const warmup = options.warmupBatches ?? DEFAULT_WARMUP_BATCHES;
  const timed = Math.max(1, options.timedBatches ?? DEFAULT_TIMED_BATCHES);
  const batchSize = config.batchSize;
  // train() evaluates the test set when it stops; one batch keeps that negligible.
  const dataset = randomDataset((warmup + timed) * batchSize, batchSize, '(random images: backend measurement)');
  let images = 0;
  let seconds = 0;
  let batches = 0;
  await train({
    config: { ...config, epochs: 1, validationFraction: 0, trainSubset: 0 },
    dataset,
    backend,
    stepThreads: options.stepThreads,
    batchEvery: 1,
    emit: (event) => {
      if (event.type !== 'batch') return;
      batches = event.batch;
      if (event.batch <= warmup) return;
      images += batchSize;
      seconds += batchSize / event.imagesPerSec;
    },
    stopRequested: () => batches >= warmup + timed,
  });
  if (!(seconds > 0)) throw new Error(`the ${backend.name} measurement timed no batch`);
  return images / seconds;
}
