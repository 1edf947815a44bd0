/**
 * Training kernels for the tfjs `wasm` backend.
 *
 * As shipped (4.22) the wasm backend cannot train a CNN: it has no `Conv2DBackpropFilter`, its
 * `Conv2DBackpropInput` is a naive scalar loop, and its `MaxPoolGrad` routes the gradient to the
 * wrong element in windows whose maximum is ≤ 0. We register replacements built from the
 * backend's own fast kernels (XNNPACK `DepthwiseConv2dNative`, `Transpose`), our own WebAssembly
 * SIMD loops (Conv2DBackpropFilter, Conv2DBackpropInput, one-channel FusedConv2D, Sum over
 * leading axes, AvgPoolGrad of tiling windows, a fused Adam update and sigmoid gradient:
 * ./own-kernels.ts) and small JS loops that work directly on the wasm heap, plus fast paths for
 * BatchMatMul with transposes, contiguous Slice, row-copying GatherV2 and a zero-copy Identity.
 * Each one is checked against the `cpu` backend in test/unit/wasm-kernels.test.ts, and against
 * TensorFlow.js's own test cases for its op by the conformance suite (scripts/conformance.mjs).
 *
 * Every one of them checks what it assumes (dtype, rank, shapes that agree with each other and
 * with the data the backend holds, padding, strides, dilations, data format: each file says which)
 * before it computes an address, and hands anything else to the shipped kernel (or, for one the
 * backend lacks, throws saying what it supports): none reads or writes outside its tensors.
 *
 * Only this folder and ../index.ts know about the wasm backend; model code uses `@tensorflow/tfjs`.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_STEP, adamStep } from './adam-step';
import { makeConv2DBackpropInput } from './conv-backprop';
import { makeFusedConv2D } from './conv-1ch';
import { conv2DBackpropFilter } from './conv-filter-grad';
import { BACKEND } from './kernel-utils';
import { makeAvgPoolGrad, makeMaxPoolGrad } from './pool-grad';
import { registerSigmoidGradient, SIGMOID_GRAD, sigmoidGrad } from './sigmoid-grad';
import { makeSum } from './sum-leading-axes';
import { makeBatchMatMul, makeGatherV2, makeIdentity, makeSlice } from './wrappers';

/** Kernels the shipped backend lacks. */
const ADDITIONS: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as tf.KernelFunc,
  // Not tfjs kernels: the optimizer's fused Adam update (./adam-step.ts) and the sigmoid's
  // gradient in one pass (./sigmoid-grad.ts).
  [ADAM_STEP]: adamStep,
  [SIGMOID_GRAD]: sigmoidGrad,
};

/** Kernels wrapped around the shipped implementation, which they call for every case they do not take. */
const WRAPPERS: Record<string, (original: tf.KernelFunc) => tf.KernelFunc> = {
  MaxPoolGrad: makeMaxPoolGrad,
  AvgPoolGrad: makeAvgPoolGrad,
  Conv2DBackpropInput: makeConv2DBackpropInput,
  FusedConv2D: makeFusedConv2D,
  BatchMatMul: makeBatchMatMul,
  Slice: makeSlice,
  Identity: makeIdentity,
  GatherV2: makeGatherV2,
  Sum: makeSum,
};

export const WASM_TRAINING_KERNELS = [...Object.keys(ADDITIONS), ...Object.keys(WRAPPERS)];

let registered = false;

/**
 * Register (once per process) the training kernels above for backendName 'wasm', replacing the
 * shipped ones. Safe to call before or after `tf.setBackend('wasm')`: none of them needs a setup
 * step of its own (they call already-set-up kernels or work in JS on the heap).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const [kernelName, kernelFunc] of Object.entries(ADDITIONS)) {
    if (tf.getKernel(kernelName, BACKEND)) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }
  for (const [kernelName, wrap] of Object.entries(WRAPPERS)) {
    const original = tf.getKernel(kernelName, BACKEND);
    if (!original) throw new Error(`wasm kernel ${kernelName} is missing: is tfjs-backend-wasm loaded?`);
    tf.unregisterKernel(kernelName, BACKEND);
    // Keep the original setupFunc: it binds the C++ function the original kernelFunc calls.
    tf.registerKernel({ ...original, kernelFunc: wrap(original.kernelFunc) });
  }
  registerSigmoidGradient();
  registered = true;
}
