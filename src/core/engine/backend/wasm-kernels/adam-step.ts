/**
 * `AdamStep`, a kernel of the project's own (no tfjs kernel has this name): one Adam update of a
 * variable from its gradient, in one pass of `adamStep` (scripts/wasm-kernels.mjs). tfjs's
 * AdamOptimizer spends 14 element-wise kernels per variable, ~140 calls a LeNet step, each a few
 * microseconds of bookkeeping for a few thousand floats. ../../optimizer.ts calls it where the
 * backend has it. The float32 operations and their order are tfjs's, so the bits are too.
 *
 * Inputs value, m, v, gradient (same shape, float32); attrs beta1, beta2, epsilon, learningRate
 * and accBeta1/accBeta2 (β₁ᵗ, β₂ᵗ as the optimizer holds them). Outputs the new value, m and v.
 * `adamStep` reads the four inputs and writes the three outputs over the same `count` elements: the
 * kernel refuses (naming them) inputs that are not all float32 tensors of the value's shape
 * holding that many elements, and makes the outputs that size itself.
 */
import * as tf from '@tensorflow/tfjs';
import { holds, sameShape, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownModule, pointer } from './own-kernels';

export const ADAM_STEP = 'AdamStep';

export interface AdamStepAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  accBeta1: number;
  accBeta2: number;
}

/**
 * The float32 constants of an Adam step, in the order `adamStep` (and lenet-step.c's `adam`) take
 * them: β₁, 1 − β₁, β₂, 1 − β₂, 1 − β₁ᵗ, 1 − β₂ᵗ, ε, −lr. As tfjs's scalars hold them: 1 − β in
 * float64 then rounded, 1 − βᵗ in float32.
 */
export function adamConstants(attrs: AdamStepAttrs): number[] {
  const f32 = Math.fround;
  return [
    f32(attrs.beta1),
    f32(1 - attrs.beta1),
    f32(attrs.beta2),
    f32(1 - attrs.beta2),
    f32(1 - f32(attrs.accBeta1)),
    f32(1 - f32(attrs.accBeta2)),
    f32(attrs.epsilon),
    f32(-attrs.learningRate),
  ];
}

export const adamStep = ((args: WasmKernelArgs) => {
  const { inputs, backend } = args;
  const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
  if (!holds(backend, value, 'float32')) {
    throw new Error(`${ADAM_STEP}: the value is ${value.dtype} [${value.shape}], not float32 holding its shape`);
  }
  for (const [name, t] of Object.entries({ m, v, gradient })) {
    if (!holds(backend, t, 'float32') || !sameShape(t.shape, value.shape)) {
      throw new Error(`${ADAM_STEP}: ${name} is ${t.dtype} [${t.shape}], the value float32 [${value.shape}]`);
    }
  }
  const outs = [value, m, v].map(() => backend.makeOutput(value.shape, 'float32'));
  ownModule(backend).kernels.adamStep(
    ...[value, m, v, gradient, ...outs].map((t) => pointer(backend, t)),
    tf.util.sizeFromShape(value.shape),
    ...adamConstants(args.attrs as unknown as AdamStepAttrs),
  );
  return outs;
}) as unknown as tf.KernelFunc;
