/**
 * Networks and recipes the tests name for what they are rather than by a preset, so a preset can
 * be tuned (issue 28 made `modern` wider, with batch norm, dropout and flips) without changing what
 * a test exercises.
 */
import { PRESETS, type Hyperparams, type ModelOptions } from '../../src/shared/hyperparams';

/**
 * The configurable network with ReLU after C1, C3, C5 and F6 and max pooling, at the seed's widths
 * (61,706 parameters): the network the fused step trains besides the seed's, and `modern` before
 * round 4 of issue 28.
 */
export const RELU_MAX: ModelOptions = {
  ...PRESETS.seed.model,
  convActivation: 'relu',
  denseActivation: 'relu',
  pooling: 'max',
};

/** A plain recipe for it (the `modern` preset until round 4): Adam 0.0015, cosine, L2 5e-4, batch 32, 15 epochs on all 60,000 images, no augmentation or smoothing. */
export const RELU_MAX_RECIPE: Hyperparams = {
  ...PRESETS.modern,
  model: RELU_MAX,
  epochs: 15,
  batchSize: 32,
  optimizer: 'adam',
  learningRate: 0.0015,
  lrSchedule: 'cosine',
  weightDecay: 0.0005,
  validationFraction: 0,
  trainSubset: 0,
  labelSmoothing: 0,
  augmentShift: 0,
  augmentFlip: 'none',
};
