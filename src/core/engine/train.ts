/**
 * The training loop: one run from Hyperparams to a final event. Backend-agnostic (tfjs API only;
 * the trainer entry picked the backend before calling `train`).
 *
 * Hand-written rather than `model.fit`: fit cannot stop between two batches when the user presses
 * Stop (only at its callbacks' pace), does not take our seeded shuffle (the data order must repeat
 * for a seed), and its `kernelRegularizer` is the only L2 it knows, where we penalise kernels but
 * not biases and report the data loss apart from the penalty.
 *
 * Event order for a run:
 *   started → per epoch: batch… → epoch → [evaluation(best) → checkpoint(best)] → checkpoint(last)
 *   → end: evaluation(final) → completed | stopped     (diverged ends without a final evaluation)
 *
 * - `batch`: every `batchEvery` batches; loss/accuracy/images-per-second over those batches.
 * - `epoch`: `imagesPerSec` is training throughput only; `seconds` is the whole epoch including
 *   validation and test evaluation and checkpoint writing.
 * - "best" = highest validation accuracy (test accuracy when there is no validation set); early
 *   stopping watches the same figure.
 * - `evaluation` is always on the test set; `final` is the weights the run ended with: the last
 *   completed epoch's, or for a run stopped mid-epoch the weights reached at the stop (its epoch
 *   is the one in progress; the `last` checkpoint stays the last completed epoch's).
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import type { Hyperparams } from '../../shared/hyperparams';
import { selectionAccuracy } from '../../shared/runs';
import type { TrainerEvent } from '../../shared/training';
import type { SelectedBackend } from './backend/types';
import { saveCheckpoint } from './checkpoint';
import { augmentImages, augmentationOf, batchAugmentationStream, drawAugmentations } from './augment';
import { imagesToTensor } from './data-tensors';
import { smoothedCrossEntropy } from './loss';
import { CLASS_COUNT, type FashionMnist } from '../dataset';
import { classMetrics, confusionMatrix, evaluateModel, type Evaluation } from './evaluate';
import { buildLeNet5, deriveSeed } from './model/build';
import { dataLoss, hasRbfOutput } from './model/lecun1998';
import { applyGradients, createOptimizer, setLearningRate } from './optimizer';
import { DataOrder, restoreTrainingState, writeTrainingState } from './resume-state';
import { learningRateAt } from './schedule';
import { MarginRecorder, marginRows } from './margins';
import { epochSnapshot } from './snapshot';
import { startedEvent, trainingPlan } from './started-event';
import { chooseStepRunner, type StepRunner, type TrainStep } from './step-runner';
import { epochCheckpointDir } from '../../shared/inspect';
import { type KeepCheckpoints } from '../../shared/training';

export type FinalEvent = Extract<TrainerEvent, { type: 'completed' | 'stopped' | 'diverged' }>;

export interface TrainOptions {
  config: Hyperparams;
  /** The loaded dataset; the training set is split here by `validationFraction`/`trainSubset`. */
  dataset: FashionMnist;
  /** Training-file indices marked "label is wrong", left out when `config.excludeMarked` is `wrong`. */
  markedWrong?: ArrayLike<number>;
  /** Reported in the `started` event (the caller selected it). */
  backend: SelectedBackend;
  /** How the caller chose it (the `started` event's `backendChoice`). */
  backendChoice?: string;
  /** Cores the fused step may use (step-runner.ts); default 1. */
  stepThreads?: number;
  emit(event: TrainerEvent): void;
  /** Polled after every batch: true → end after this batch with `stopped`. */
  stopRequested?(): boolean;
  /** Checkpoints go to `<checkpointDir>/last` and `<checkpointDir>/best`; none when absent. */
  checkpointDir?: string;
  /** A `batch` event every N batches (default 10). */
  batchEvery?: number;
  /** Model factory (tests); default `buildLeNet5(config.model, config.seed)`. */
  buildModel?(config: Hyperparams): tf.LayersModel;
  /**
   * Continue from `<checkpointDir>/last` (weights, optimizer state, data order, schedule
   * position) at the epoch after it; a checkpoint that does not fit throws ResumeError.
   */
  resume?: boolean;
  /** `all` also keeps every epoch's model in `<checkpointDir>/epoch-N` (default best and last). */
  keepCheckpoints?: KeepCheckpoints;
  /**
   * After each of `epochs` (its checkpoints written), wait for `wait()`: main judges the epoch
   * (successive halving) and answers `continue` or `stop`, so a run it stops ends exactly there.
   */
  verdict?: { epochs: readonly number[]; wait(): Promise<void> };
  /** Called with the model after every epoch, before it is disposed at the end (tests). */
  onEpochEnd?(model: tf.LayersModel, epoch: number): void;
}

export const DEFAULT_BATCH_EVERY = 10;
/** Inference chunk for validation/test evaluation. */
const EVAL_BATCH = 1000;

/** Let queued messages (a `stop` command) run between batches; measured ~3 µs. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Train one run, emitting `TrainerEvent`s as it goes, and resolve with the final event (also
 * emitted). Throws on errors (the caller reports `failed`); every tensor it created is disposed
 * whether it returns or throws.
 */
export async function train(options: TrainOptions): Promise<FinalEvent> {
  const { config, dataset, emit } = options;
  const batchEvery = Math.max(1, options.batchEvery ?? DEFAULT_BATCH_EVERY);
  const stopRequested = options.stopRequested ?? (() => false);

  const { trainSet, trainIndices, validationSet, batchSize, batchesPerEpoch, leftOut } = trainingPlan(
    config,
    dataset,
    options.markedWrong,
  );
  const testSet = dataset.test;

  emit(
    startedEvent({
      ...options,
      trainSize: trainSet.count,
      validationSize: validationSet?.count ?? 0,
      epochs: config.epochs,
      batchesPerEpoch,
      ...(config.excludeMarked === 'wrong' && { leftOut }),
    }),
  );

  // Everything the run allocates on the backend, disposed in `finally`.
  const owned: tf.TensorContainer[] = [];
  const own = <T extends tf.TensorContainer>(t: T): T => {
    owned.push(t);
    return t;
  };
  let model: tf.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  let runner: StepRunner | null = null;
  try {
    const xValidation = validationSet ? own(imagesToTensor(validationSet)) : null;
    const xTest = own(imagesToTensor(testSet));

    model = (options.buildModel ?? ((c) => buildLeNet5(c.model, c.seed)))(config);
    optimizer = createOptimizer(config);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // L2 on kernels only (rank ≥ 2), not biases.
    const kernels = variables.filter((v) => v.rank >= 2);
    const augmentation = augmentationOf(config);
    const margins = new MarginRecorder(trainIndices, dataset.train.labels);

    // One seeded stream for the per-epoch shuffles, distinct from the split's and the init's.
    const resumed =
      options.resume && options.checkpointDir
        ? await restoreTrainingState(
            lastDir(options.checkpointDir),
            config,
            model,
            optimizer,
            variables,
            trainSet.count,
          )
        : null;
    if (resumed) await margins.restore(lastDir(options.checkpointDir!));
    const dataOrder = resumed?.dataOrder ?? DataOrder.fresh(trainSet.count, deriveSeed(config.seed, 0x5eed));
    // After the restore: the fused step starts from the restored weights and optimizer state.
    const tfjsStep = () =>
      makeTrainStep(model!, optimizer!, variables, kernels, config.weightDecay, config.labelSmoothing, true);
    runner = chooseStepRunner({
      config,
      backend: options.backend,
      model,
      optimizer,
      trainSet,
      tfjsStep,
      stepThreads: options.stepThreads,
    });

    let bestAccuracy = resumed?.bestAccuracy ?? -Infinity;
    let epochsSinceBest = resumed?.epochsSinceBest ?? 0;
    let lastTest: Evaluation | null = null;
    let epochsCompleted = resumed?.epoch ?? 0;
    /** The epoch `lastTest` belongs to (the one in progress when stopped mid-epoch). */
    let finalEpoch = epochsCompleted;

    for (let epoch = epochsCompleted + 1; epoch <= config.epochs; epoch++) {
      const epochStart = performance.now();
      const learningRate = learningRateAt(config, epoch);
      setLearningRate(optimizer, learningRate);
      const order = dataOrder.next();
      runner.beginEpoch(order);

      let lossSum = 0;
      let correctSum = 0;
      let windowLoss = 0;
      let windowCorrect = 0;
      let windowImages = 0;
      let windowStart = performance.now();
      let trainMs = 0;
      let stopped = false;
      try {
        for (let batch = 1; batch <= batchesPerEpoch; batch++) {
          const batchStart = performance.now();
          const start = (batch - 1) * batchSize;
          const size = Math.min(batchSize, trainSet.count - start);
          // Reading two scalars back each batch is free on wasm and tensorflow (kernels run
          // synchronously there) and gives divergence detection its exact batch.
          const draws = augmentation
            ? drawAugmentations(
                batchAugmentationStream(config.seed, epoch, batch),
                size,
                augmentation.maxShift,
                augmentation.flip,
              )
            : undefined;
          const { loss, correct, margins: rows } = runner.step(start, size, draws);
          if (rows) margins.add(order.subarray(start, start + size), rows);
          trainMs += performance.now() - batchStart;

          if (!Number.isFinite(loss)) {
            const event: FinalEvent = { type: 'diverged', epoch, batch, loss };
            emit(event);
            return event;
          }
          lossSum += loss * size;
          correctSum += correct;
          windowLoss += loss * size;
          windowCorrect += correct;
          windowImages += size;
          if (batch % batchEvery === 0) {
            const now = performance.now();
            emit({
              type: 'batch',
              epoch,
              batch,
              batchesPerEpoch,
              loss: windowLoss / windowImages,
              accuracy: windowCorrect / windowImages,
              imagesPerSec: (windowImages * 1000) / Math.max(now - windowStart, 1e-3),
            });
            windowLoss = windowCorrect = windowImages = 0;
            windowStart = now;
          }
          await yieldToEventLoop();
          if (stopRequested()) {
            stopped = true;
            break;
          }
        }
      } finally {
        // Also on divergence: the model then holds the weights that diverged, as on tfjs's path.
        runner.endEpoch();
      }
      if (stopped) {
        // Evaluate the weights reached at the stop: a stopped run always has a test accuracy and
        // a confusion matrix, even one stopped in its first epoch.
        lastTest = evaluateModel(model, xTest, testSet.labels, EVAL_BATCH);
        finalEpoch = epoch;
        break;
      }

      const validation =
        xValidation && validationSet ? evaluateModel(model, xValidation, validationSet.labels, EVAL_BATCH) : null;
      const test = evaluateModel(model, xTest, testSet.labels, EVAL_BATCH);
      lastTest = test;
      epochsCompleted = finalEpoch = epoch;

      emit({
        type: 'epoch',
        epoch,
        trainLoss: lossSum / trainSet.count,
        trainAccuracy: correctSum / trainSet.count,
        validationLoss: validation?.loss ?? null,
        validationAccuracy: validation?.accuracy ?? null,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
        learningRate,
        seconds: (performance.now() - epochStart) / 1000,
        imagesPerSec: (trainSet.count * 1000) / Math.max(trainMs, 1e-3),
      });
      emit(epochSnapshot(model, config.model, epoch, testSet.labels, test));
      emit(margins.endEpoch(epoch));

      const selected = selectionAccuracy({
        validationAccuracy: validation?.accuracy ?? null,
        testAccuracy: test.accuracy,
      })!;
      if (selected > bestAccuracy) {
        bestAccuracy = selected;
        epochsSinceBest = 0;
        emit(evaluationEvent(epoch, 'best', testSet.labels, test));
        if (options.checkpointDir) {
          const dir = path.join(options.checkpointDir, 'best');
          await saveCheckpoint(model, dir, { epoch, role: 'best', testAccuracy: test.accuracy });
          emit({ type: 'checkpoint', epoch, role: 'best', path: dir });
        }
      } else {
        epochsSinceBest++;
      }
      if (options.checkpointDir) {
        const dir = lastDir(options.checkpointDir);
        const book = { epoch, bestAccuracy, epochsSinceBest };
        await saveCheckpoint(model, dir, { epoch, role: 'last', testAccuracy: test.accuracy }, async (partial) => {
          await writeTrainingState(partial, config, optimizer!, dataOrder, book);
          await margins.save(partial);
        });
        emit({ type: 'checkpoint', epoch, role: 'last', path: dir });
        if (options.keepCheckpoints === 'all')
          await saveCheckpoint(model, path.join(options.checkpointDir, epochCheckpointDir(epoch)), { epoch });
      }
      options.onEpochEnd?.(model, epoch);

      if (options.verdict?.epochs.includes(epoch)) await options.verdict.wait();
      if (stopRequested()) break;
      if (config.earlyStoppingPatience > 0 && epochsSinceBest >= config.earlyStoppingPatience) {
        return finish({ type: 'completed', epochs: epoch, reason: 'early-stopping' });
      }
    }

    if (epochsCompleted === config.epochs) {
      return finish({ type: 'completed', epochs: epochsCompleted, reason: 'epochs' });
    }
    return finish({ type: 'stopped', epochs: epochsCompleted });

    /** The final evaluation is of the weights the run ended with. */
    function finish(event: FinalEvent): FinalEvent {
      if (lastTest) emit(evaluationEvent(finalEpoch, 'final', testSet.labels, lastTest));
      emit(event);
      return event;
    }
  } finally {
    runner?.dispose();
    model?.dispose();
    optimizer?.dispose();
    tf.dispose(owned);
  }
}

const lastDir = (checkpointDir: string): string => path.join(checkpointDir, 'last');

/**
 * One optimizer step on the images at `order[start … start+size)`, with L2 weight decay λ on
 * `kernels` ((λ/2)·Σ‖W‖², its gradient λ·W), on targets smoothed by `labelSmoothing`. Returns
 * the batch's mean cross-entropy against the plain labels (without the L2 term or the smoothing,
 * so runs with and without them compare), its number of correct predictions, and with
 * `recordMargins` the batch's `marginRows` (margins.ts). Every intermediate tensor is disposed
 * before it returns.
 */
export function makeTrainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  kernels: tf.Variable[],
  weightDecay: number,
  labelSmoothing = 0,
  recordMargins = false,
): TrainStep {
  return (images, labels, order, start, size, augmentation) => {
    let correct: tf.Scalar | null = null;
    let plainLoss: tf.Scalar | null = null;
    let margins: tf.Tensor2D | null = null;
    const crossEntropy = tf.tidy(() => {
      const index = order.slice(start, size);
      const gathered = tf.gather(images, index);
      const x = augmentation
        ? tf.tensor4d(
            augmentImages(gathered.dataSync() as Float32Array, gathered.shape[1], augmentation),
            gathered.shape,
          )
        : gathered;
      const batchLabels = tf.gather(labels, index);
      const y = tf.oneHot(batchLabels, CLASS_COUNT);
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(x, { training: true }) as tf.Tensor2D;
        // Kept past variableGrads' tidy; disposed below after reading.
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), batchLabels), 'int32')) as tf.Scalar);
        if (recordMargins) margins = tf.keep(marginRows(logits, y as tf.Tensor2D));
        // Smoothing is of softmax targets: the 1998 network's RBF output keeps the paper's loss.
        if (labelSmoothing === 0 || hasRbfOutput(model)) return dataLoss(model, y, logits);
        const { objective, crossEntropy } = smoothedCrossEntropy(y, logits, labelSmoothing);
        plainLoss = tf.keep(crossEntropy);
        return objective;
      }, variables);
      // L2 on `kernels` as λ·W added to their gradients (no penalty term on the tape).
      applyGradients(optimizer, grads, kernels, weightDecay);
      tf.dispose(grads);
      return value;
    });
    const loss = ((plainLoss as tf.Scalar | null) ?? crossEntropy).dataSync()[0];
    const correctCount = correct !== null ? (correct as tf.Scalar).dataSync()[0] : 0;
    const marginValues = margins !== null ? ((margins as tf.Tensor2D).dataSync() as Float32Array) : undefined;
    tf.dispose(
      [crossEntropy, correct as tf.Scalar | null, plainLoss as tf.Scalar | null, margins as tf.Tensor2D | null].filter(
        (t) => t !== null,
      ),
    );
    return { loss, correct: correctCount, ...(marginValues && { margins: marginValues }) };
  };
}

function evaluationEvent(
  epoch: number,
  role: 'best' | 'final',
  labels: Uint8Array,
  test: Evaluation,
): Extract<TrainerEvent, { type: 'evaluation' }> {
  const metrics = classMetrics(confusionMatrix(labels, test.predicted));
  return {
    type: 'evaluation',
    epoch,
    role,
    confusion: metrics.confusion,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    // Copies: the same Evaluation may be sent twice (best, then final) and a transport may
    // transfer (detach) the buffers.
    predicted: test.predicted.slice(),
    probabilities: test.probabilities.slice(),
  };
}
