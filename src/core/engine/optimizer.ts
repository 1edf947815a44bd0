/** Optimizers from Hyperparams, and changing their learning rate between epochs. */
import * as tf from '@tensorflow/tfjs';
import type { Hyperparams } from '../../shared/hyperparams';
import { ADAM_STEP, adamInPlace, type AdamSlot, type AdamStepAttrs } from './backend';

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
 * tfjs's Adam, computed in fewer calls where the backend allows: on wasm all variables in one
 * pass over the heap, in place, with weight decay folded in and subnormals flushed
 * (./backend/adam-in-place.ts); else one `AdamStep` kernel per variable where the backend has it
 * (the same float32 operations as tfjs's 14 kernels, so the same bits); else tfjs's own. The
 * state, its names and its saving are tfjs's, so checkpoints do not depend on the backend.
 */
class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: AdamGradients): void {
    this.applyDecayed(variableGradients, new Map());
  }

  /** One step; `decay` maps a variable's name to its λ (absent: not decayed). */
  applyDecayed(variableGradients: AdamGradients, decay: ReadonlyMap<string, number>): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const state = this as unknown as AdamState;
    const attrs: AdamStepAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
      accBeta1: state.accBeta1.dataSync()[0],
      accBeta2: state.accBeta2.dataSync()[0],
    };
    const slots = list.map(({ name, tensor }, i) => {
      const value = tf.engine().registeredVariables[name];
      // Created on first use, named as tfjs names them.
      const moment = (which: 'm' | 'v') => ({
        originalName: `${name}/${which}`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      });
      state.accumulatedFirstMoment[i] ??= moment('m');
      state.accumulatedSecondMoment[i] ??= moment('v');
      const m = state.accumulatedFirstMoment[i].variable;
      const v = state.accumulatedSecondMoment[i].variable;
      return { value, m, v, gradient: tensor, weightDecay: decay.get(name) ?? 0 };
    });
    const present = slots.filter((s): s is AdamSlot => s.gradient != null);
    if (adamInPlace(present, attrs)) return this.advance();
    const decayed = (s: AdamSlot) =>
      s.weightDecay === 0 ? s.gradient : tf.add(s.gradient, tf.mul(s.value, s.weightDecay));
    if (!tf.getKernel(ADAM_STEP, tf.getBackend())) {
      // tfjs's own Adam (which advances its β powers and step count itself).
      return tf.tidy(() => super.applyGradients(present.map((s) => ({ name: s.value.name, tensor: decayed(s) }))));
    }
    tf.tidy(() => {
      for (const s of present) {
        const inputs = { value: s.value, m: s.m, v: s.v, gradient: decayed(s) };
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        s.m.assign(newM);
        s.v.assign(newV);
        s.value.assign(newValue);
      }
    });
    this.advance();
  }

  /** βᵗ and the step count, after a step taken here. */
  private advance(): void {
    const state = this as unknown as AdamState;
    tf.tidy(() => {
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * One optimizer step from gradients, with L2 weight decay λ on `decayed` (the kernels): each of
 * their gradients gains λ·w, the gradient of (λ/2)·‖W‖², as PyTorch's `weight_decay=λ` does.
 * Adding it here rather than as a loss term keeps it off the tape (which cost two kernels per
 * kernel forward and more backward) and, on wasm with Adam, costs no call at all.
 */
export function applyGradients(
  optimizer: tf.Optimizer,
  gradients: tf.NamedTensorMap,
  decayed: readonly tf.Variable[],
  weightDecay: number,
): void {
  const decay = new Map(weightDecay === 0 ? [] : decayed.map((v) => [v.name, weightDecay]));
  const list = Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
  // Not `instanceof`: see setLearningRate.
  if ('applyDecayed' in optimizer) return (optimizer as FusedAdam).applyDecayed(list, decay);
  tf.tidy(() => {
    const withDecay = list.map(({ name, tensor }) => {
      const lambda = decay.get(name);
      return { name, tensor: lambda ? tf.add(tensor, tf.mul(tf.engine().registeredVariables[name], lambda)) : tensor };
    });
    optimizer.applyGradients(withDecay);
  });
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

/** Adam's state for a step computed outside tfjs (fused/step-runner.ts), per variable in order. */
export interface AdamSnapshot {
  /** Steps taken. */
  iterations: number;
  /** β₁ᵗ, β₂ᵗ as the next step uses them (tfjs's float32 running products). */
  accBeta1: number;
  accBeta2: number;
  /** First and second moments per variable; null before the first step made them. */
  moments: ({ m: Float32Array; v: Float32Array } | null)[];
}

/** The Adam state `optimizer` (from createOptimizer with `adam`) holds for `variables`. */
export function readAdamState(optimizer: tf.Optimizer, variables: readonly tf.Variable[]): AdamSnapshot {
  const state = optimizer as unknown as AdamState;
  return {
    iterations: optimizer.iterations,
    accBeta1: state.accBeta1.dataSync()[0],
    accBeta2: state.accBeta2.dataSync()[0],
    moments: variables.map((_, i) => {
      const m = state.accumulatedFirstMoment[i]?.variable;
      const v = state.accumulatedSecondMoment[i]?.variable;
      return m && v ? { m: m.dataSync() as Float32Array, v: v.dataSync() as Float32Array } : null;
    }),
  };
}

/**
 * Make `optimizer` hold `snapshot` (moments in place, created as tfjs names them where missing),
 * so its checkpoints and a later tfjs step continue from it.
 */
export function writeAdamState(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  snapshot: AdamSnapshot,
): void {
  const state = optimizer as unknown as AdamState & { iterations_: number };
  variables.forEach((variable, i) => {
    const moments = snapshot.moments[i];
    if (!moments) return;
    const set = (list: AdamState['accumulatedFirstMoment'], which: 'm' | 'v', values: Float32Array) => {
      const value = tf.tensor(values, variable.shape, 'float32');
      if (list[i]) list[i].variable.assign(value);
      else list[i] = { originalName: `${variable.name}/${which}`, variable: value.variable(false) };
      value.dispose(); // the variable holds its own reference to the data
    };
    set(state.accumulatedFirstMoment, 'm', moments.m);
    set(state.accumulatedSecondMoment, 'v', moments.v);
  });
  tf.tidy(() => {
    state.accBeta1.assign(tf.scalar(snapshot.accBeta1));
    state.accBeta2.assign(tf.scalar(snapshot.accBeta2));
  });
  // tfjs keeps the count in a protected field that only its own steps and setWeights advance.
  state.iterations_ = snapshot.iterations;
}
