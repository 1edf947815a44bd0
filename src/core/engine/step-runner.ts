/**
 * How the training loop takes one optimizer step: tfjs's op-by-op path (any network, backend and
 * optimizer) or the fused LeNet-5 step (./fused/: the whole step in one WebAssembly SIMD module),
 * chosen per run by `chooseStepRunner`. Evaluation, checkpoints, snapshots and resume stay on
 * the tfjs model and optimizer: the fused runner copies its state into them at `endEpoch`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../shared/hyperparams';
import type { ImageSet } from '../dataset';
import type { ImageAugmentation } from './augment';
import type { SelectedBackend } from './backend/types';
import { imagesToTensor, labelsToTensor } from './data-tensors';
import { FUSED_PARAMETER_SHAPES, fusedStepRefusal, LeNetStep, type FusedStepConfig } from './fused/lenet-step';
import { SplitLeNetStep } from './fused/split-step';
import { getLearningRate, readAdamState, writeAdamState } from './optimizer';

export interface StepRunner {
  /** `tfjs` or `fused`, for the bench and logs. */
  readonly kind: 'tfjs' | 'fused';
  /** Before an epoch's batches, with that epoch's order of the training images. */
  beginEpoch(order: Int32Array): void;
  /**
   * One step on the images at `order[start … start+size)`, augmented by `augmentation` (one per
   * image) when given: mean cross-entropy, correct count and the batch's margin rows (margins.ts).
   */
  step(start: number, size: number, augmentation?: readonly ImageAugmentation[]): StepResult;
  /** After an epoch's batches (or a stop): the tfjs model and optimizer hold the weights reached. */
  endEpoch(): void;
  dispose(): void;
}

/** A step's figures; `margins` [2, size] flattened: each image's margin, then its believed class. */
export interface StepResult {
  loss: number;
  correct: number;
  margins?: Float32Array;
}

/** tfjs's step (train.ts makeTrainStep): the batch is `order[start … start+size)` of the tensors. */
export type TrainStep = (
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  order: tf.Tensor1D,
  start: number,
  size: number,
  /** One per image of the batch: the batch is augmented (in typed arrays) before the forward pass. */
  augmentation?: readonly ImageAugmentation[],
) => StepResult;

export interface StepRunnerOptions {
  config: Hyperparams;
  /** Makes tfjs's step, for the runs the fused step does not train. */
  tfjsStep(): TrainStep;
  backend: SelectedBackend;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  trainSet: ImageSet;
  /**
   * Cores the fused step may use (the wasm backend's threads: trainer/run-trainer.ts): from 2,
   * each batch is split over two threads (fused/split-step.ts).
   */
  stepThreads?: number;
}

/** Set to `tfjs` to train on tfjs's path where the fused step would run (comparisons, bisecting). */
export const STEP_ENV = 'LENET5_STEP';

/** Why this configuration takes tfjs's path whatever the backend and model, or null. */
function configRefusal(config: FusedStepConfig): string | null {
  if (process.env[STEP_ENV] === 'tfjs') return `${STEP_ENV}=tfjs`;
  return fusedStepRefusal(config);
}

/** Whether the fused step would train this configuration on wasm (the model's shapes aside). */
export function fusedStepConfigured(config: FusedStepConfig): boolean {
  return configRefusal(config) === null;
}

/** Why this run takes tfjs's path, or null when the fused step trains it. */
export function fusedRefusal(options: StepRunnerOptions): string | null {
  const refusal = configRefusal(options.config);
  if (refusal) return refusal;
  if (options.backend.name !== 'wasm') return `the ${options.backend.name} backend`;
  const shapes = options.model.trainableWeights.map((w) => w.shape.join('x'));
  if (shapes.join() !== FUSED_PARAMETER_SHAPES.map((s) => s.join('x')).join()) return 'a model of other shapes';
  return null;
}

export function chooseStepRunner(options: StepRunnerOptions): StepRunner {
  return fusedRefusal(options) === null ? fusedStepRunner(options) : tfjsStepRunner(options);
}

/** tfjs's path: the training set on the backend once, each batch a gather and `makeTrainStep`. */
export function tfjsStepRunner({ trainSet, tfjsStep }: StepRunnerOptions): StepRunner {
  const xTrain = imagesToTensor(trainSet);
  const yTrain = labelsToTensor(trainSet);
  const step = tfjsStep();
  let order: tf.Tensor1D | null = null;
  return {
    kind: 'tfjs',
    beginEpoch(values) {
      order?.dispose();
      order = tf.tensor1d(values, 'int32');
    },
    step: (start, size, augmentation) => step(xTrain, yTrain, order!, start, size, augmentation),
    endEpoch() {
      order?.dispose();
      order = null;
    },
    dispose() {
      order?.dispose();
      tf.dispose([xTrain, yTrain]);
    },
  };
}

/**
 * The fused step: weights and Adam state are read from the tfjs model and optimizer when it is
 * made (fresh or resumed), then live in its module; `endEpoch` writes them back. The learning
 * rate is read from the optimizer at every step (the loop sets it there).
 */
export function fusedStepRunner({ config, model, optimizer, trainSet, stepThreads }: StepRunnerOptions): StepRunner {
  const split = (stepThreads ?? 1) >= 2 ? new SplitLeNetStep(config.model, config.labelSmoothing) : null;
  const fused = split?.main ?? new LeNetStep(config.model, config.labelSmoothing);
  const computer = split ?? fused;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const ranges = LeNetStep.ranges();
  variables.forEach((v, i) => fused.params.set(v.dataSync() as Float32Array, ranges[i].offset));
  const adam = readAdamState(optimizer, variables);
  adam.moments.forEach((moments, i) => {
    if (!moments) return;
    fused.m.set(moments.m, ranges[i].offset);
    fused.v.set(moments.v, ranges[i].offset);
  });
  const { beta1, beta2, epsilon } = optimizer as unknown as { beta1: number; beta2: number; epsilon: number };
  let { iterations, accBeta1, accBeta2 } = adam;
  let order: Int32Array = new Int32Array(0);
  const slice = (buffer: Float32Array, i: number) => buffer.slice(ranges[i].offset, ranges[i].offset + ranges[i].size);
  return {
    kind: 'fused',
    beginEpoch(values) {
      order = values;
    },
    step(start, size) {
      const result = computer.gradients(trainSet.images, trainSet.labels, order, start, size);
      const learningRate = getLearningRate(optimizer);
      computer.adam({ beta1, beta2, epsilon, learningRate, accBeta1, accBeta2, weightDecay: config.weightDecay });
      // As tfjs advances them: float32 products.
      accBeta1 = Math.fround(accBeta1 * Math.fround(beta1));
      accBeta2 = Math.fround(accBeta2 * Math.fround(beta2));
      iterations++;
      return result;
    },
    endEpoch() {
      variables.forEach((v, i) => {
        const value = tf.tensor(slice(fused.params, i), v.shape, 'float32');
        v.assign(value);
        value.dispose();
      });
      const moments = variables.map((_, i) => ({ m: slice(fused.m, i), v: slice(fused.v, i) }));
      writeAdamState(optimizer, variables, { iterations, accBeta1, accBeta2, moments });
    },
    dispose() {
      split?.dispose();
    },
  };
}
