/** Optimizers from Hyperparams, and changing their learning rate between epochs. */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../shared/hyperparams';
import { ADAM_STEP, type AdamStepAttrs } from './backend';

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
      return new FusedAdam(learningRate, 0.9, 0.999, 1e-8);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, config.momentum, 0, 1e-8);
  }
}

type AdamGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** The state tfjs's AdamOptimizer keeps (private in its types), as FusedAdam updates it. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/**
 * tfjs's Adam, with each variable's update done by one `AdamStep` kernel where the backend has one
 * (wasm: the same float32 operations as tfjs's 14 kernels, so the same bits, in one call). The
 * state, its names and its saving are tfjs's, so checkpoints do not depend on the backend.
 */
class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: AdamGradients): void {
    if (!tf.getKernel(ADAM_STEP, tf.getBackend())) return super.applyGradients(variableGradients);
    const state = this as unknown as AdamState;
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const attrs: AdamStepAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
      accBeta1: state.accBeta1.dataSync()[0],
      accBeta2: state.accBeta2.dataSync()[0],
    };
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name];
        // Created on first use, named as tfjs names them.
        const moment = (which: 'm' | 'v') => ({
          originalName: `${name}/${which}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        });
        state.accumulatedFirstMoment[i] ??= moment('m');
        state.accumulatedSecondMoment[i] ??= moment('v');
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const inputs = { value, m, v, gradient };
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
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
