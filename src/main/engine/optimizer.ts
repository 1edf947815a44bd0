/** Optimizers from Hyperparams, and changing their learning rate between epochs. */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../shared/hyperparams';

type OptimizerConfig = Pick<Hyperparams, 'optimizer' | 'learningRate' | 'momentum'>;

/**
 * - sgd: plain SGD
 * - momentum: heavy-ball momentum `momentum` (PyTorch's SGD(momentum=…) form, not Nesterov)
 * - adam: β₁ 0.9, β₂ 0.999, ε 1e-8 (PyTorch's defaults; tfjs would use 1e-7)
 * - rmsprop: decay ρ = `momentum`, no momentum term, ε 1e-8
 */
export function createOptimizer(config: OptimizerConfig, learningRate = config.learningRate): tf.Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'momentum':
      return tf.train.momentum(learningRate, config.momentum);
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, config.momentum, 0, 1e-8);
  }
}

/**
 * Set the rate used by the next `minimize`. SGD and momentum cache −lr in a scalar (`c`), which
 * only `setLearningRate` refreshes; Adam and RMSProp read the `learningRate` field at every step.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof`: tfjs optimizers override Symbol.hasInstance with a duck-typed check that
  // an AdamOptimizer passes too.
  const sgdLike = optimizer as unknown as { setLearningRate?: (lr: number) => void };
  if (typeof sgdLike.setLearningRate === 'function') {
    sgdLike.setLearningRate(learningRate); // SGD, and Momentum which extends it
    return;
  }
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}
