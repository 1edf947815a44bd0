/**
 * The learning-rate range test as a trainer job (the numbers and the suggestion rule live in
 * shared/lr-range.ts): the run's network, optimizer, weight decay, batch size and seeded data
 * order, with the learning rate set before every batch to the exponential ramp's value.
 *
 * Event order: started → lr-point… → lr-range-result → completed (reason `range-test`), or
 * stopped when the user stops it (its points and a suggestion from them are still sent).
 * A diverging loss is the expected end of a range test, not a failure: it ends `completed`
 * with stopReason `diverged`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../shared/hyperparams';
import {
  LossSmoother,
  lrAtStep,
  suggestLearningRate,
  type LrPoint,
  type LrRangeOptions,
  type LrStopReason,
} from '../../shared/lr-range';
import type { TrainerEvent } from '../../shared/training';
import type { FashionMnist } from '../dataset';
import type { SelectedBackend } from './backend/types';
import { imagesToTensor, labelsToTensor } from './data-tensors';
import { buildLeNet5, deriveSeed } from './model/build';
import { createOptimizer, setLearningRate } from './optimizer';
import { DataOrder } from './resume-state';
import { startedEvent, trainingPlan } from './started-event';
import { makeTrainStep } from './train';

export interface LrRangeTestOptions {
  config: Hyperparams;
  range: LrRangeOptions;
  dataset: FashionMnist;
  /** As for a run: left out when `config.excludeMarked` is `wrong`. */
  markedWrong?: ArrayLike<number>;
  backend: SelectedBackend;
  backendChoice?: string;
  emit(event: TrainerEvent): void;
  stopRequested?(): boolean;
  /** Model factory (tests); default `buildLeNet5(config.model, config.seed)`. */
  buildModel?(config: Hyperparams): tf.LayersModel;
}

export type LrRangeFinal = Extract<TrainerEvent, { type: 'completed' | 'stopped' }>;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Run the range test to its final event (emitted and returned); disposes every tensor it made. */
export async function lrRangeTest(options: LrRangeTestOptions): Promise<LrRangeFinal> {
  const { config, range, dataset, emit } = options;
  const stopRequested = options.stopRequested ?? (() => false);
  // The training split the run would train on: the validation images stay unseen here too.
  const { trainSet, batchSize, batchesPerEpoch } = trainingPlan(config, dataset, options.markedWrong);
  emit(
    startedEvent({
      ...options,
      trainSize: trainSet.count,
      validationSize: 0,
      epochs: Math.ceil(range.steps / batchesPerEpoch),
      batchesPerEpoch,
    }),
  );

  const xTrain = imagesToTensor(trainSet);
  const yTrain = labelsToTensor(trainSet);
  const model = (options.buildModel ?? ((c) => buildLeNet5(c.model, c.seed)))(config);
  const optimizer = createOptimizer(config, range.minLr);
  let orderTensor: tf.Tensor1D | null = null;
  try {
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernels = variables.filter((v) => v.rank >= 2);
    const step = makeTrainStep(model, optimizer, variables, kernels, config.weightDecay);
    // The same seeded order a run of this configuration starts with.
    const dataOrder = DataOrder.fresh(trainSet.count, deriveSeed(config.seed, 0x5eed));
    const smoother = new LossSmoother();
    const points: LrPoint[] = [];
    let stopReason: LrStopReason = 'max-lr';

    for (let n = 1; n <= range.steps; n++) {
      const batch = (n - 1) % batchesPerEpoch;
      if (batch === 0) {
        orderTensor?.dispose();
        orderTensor = tf.tensor1d(dataOrder.next(), 'int32');
      }
      const learningRate = lrAtStep(range, n);
      setLearningRate(optimizer, learningRate);
      const start = batch * batchSize;
      const { loss } = step(xTrain, yTrain, orderTensor!, start, Math.min(batchSize, trainSet.count - start));
      const smoothedLoss = smoother.add(loss);
      if (smoother.diverged(loss, smoothedLoss)) {
        // The diverging point is not kept: a NaN or a blown-up loss would flatten the plot.
        stopReason = 'diverged';
        break;
      }
      const point: LrPoint = { step: n, learningRate, loss, smoothedLoss };
      points.push(point);
      emit({ type: 'lr-point', ...point });
      await yieldToEventLoop();
      if (stopRequested()) {
        stopReason = 'stopped';
        break;
      }
    }

    emit({ type: 'lr-range-result', ...suggestLearningRate(points), stopReason, steps: points.length });
    const final: LrRangeFinal =
      stopReason === 'stopped'
        ? { type: 'stopped', epochs: 0 }
        : { type: 'completed', epochs: 0, reason: 'range-test' };
    emit(final);
    return final;
  } finally {
    orderTensor?.dispose();
    model.dispose();
    optimizer.dispose();
    tf.dispose([xTrain, yTrain]);
  }
}
