/**
 * How long a configuration will train on this machine, before it starts: the images it trains on
 * per epoch (the engine's split rule), the images it evaluates per epoch (validation + test), and
 * the speeds this machine measured on a recorded run. Pure, so New run, sweeps and the CLI can
 * all ask it.
 */
import type { Hyperparams } from './hyperparams';
import { median } from './stats';

export const TRAIN_IMAGES = 60_000;
export const TEST_IMAGES = 10_000;

/** What one run asks of the data (the split rule of engine/dataset/split.ts). */
export interface RunPlan {
  trainImages: number;
  validationImages: number;
  testImages: number;
  batchesPerEpoch: number;
  epochs: number;
}

export function planOf(
  config: Pick<Hyperparams, 'validationFraction' | 'trainSubset' | 'batchSize' | 'epochs'>,
): RunPlan {
  const validationImages = Math.round(TRAIN_IMAGES * config.validationFraction);
  const remaining = TRAIN_IMAGES - validationImages;
  const trainImages = config.trainSubset === 0 ? remaining : Math.min(config.trainSubset, remaining);
  return {
    trainImages,
    validationImages,
    testImages: TEST_IMAGES,
    batchesPerEpoch: Math.ceil(trainImages / Math.min(config.batchSize, trainImages)),
    epochs: config.epochs,
  };
}

/** This machine's measured speeds: training images per second, and evaluated images per second. */
export interface MeasuredSpeed {
  trainImagesPerSec: number;
  evalImagesPerSec: number;
}

/** The speed measured on this machine and the run it was measured on (estimates say which). */
export interface MachineSpeed extends MeasuredSpeed {
  runId: number;
  runName: string;
}

/** One recorded epoch: its training throughput and its whole duration (training + evaluation). */
export interface EpochTiming {
  imagesPerSec: number | null;
  seconds: number | null;
}

/**
 * The speeds a recorded run measured: the median training throughput of its epochs, and the
 * evaluation speed from what each epoch spent beyond training (validation, test, checkpoints).
 * Null when no epoch has both figures.
 */
export function speedFromEpochs(epochs: EpochTiming[], plan: RunPlan): MeasuredSpeed | null {
  const timed = epochs.filter(
    (e): e is { imagesPerSec: number; seconds: number } =>
      e.imagesPerSec != null && e.imagesPerSec > 0 && e.seconds != null && e.seconds > 0,
  );
  if (timed.length === 0) return null;
  const trainImagesPerSec = median(timed.map((e) => e.imagesPerSec));
  const evalImages = plan.validationImages + plan.testImages;
  // Evaluation is a forward pass only; when an epoch's extra time is too small to measure, assume
  // it runs three times as fast as training (forward + backward).
  const evalSeconds = median(timed.map((e) => Math.max(0, e.seconds - plan.trainImages / e.imagesPerSec)));
  const evalImagesPerSec = evalSeconds > 0.05 ? evalImages / evalSeconds : trainImagesPerSec * 3;
  return { trainImagesPerSec, evalImagesPerSec };
}

/**
 * Seconds a run of `plan` takes at `speed`: every epoch trains its images and evaluates the
 * validation and test sets; a stop or early stopping can only make it shorter.
 */
export function estimateRunSeconds(plan: RunPlan, speed: MeasuredSpeed): number {
  const perEpoch =
    plan.trainImages / speed.trainImagesPerSec + (plan.validationImages + plan.testImages) / speed.evalImagesPerSec;
  return perEpoch * plan.epochs;
}
