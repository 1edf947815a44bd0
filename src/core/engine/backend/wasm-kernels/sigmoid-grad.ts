/**
 * `SigmoidGrad`, a kernel of the project's own (no tfjs kernel has this name): the sigmoid's
 * gradient dy · (y · (1 − y)) from its output y, in one pass of `sigmoidGrad`
 * (scripts/wasm-kernels.mjs) split across our threads. tfjs's Sigmoid gradient is three
 * element-wise kernels (Sub, Mul, Mul), three passes over C1's 1.2M activations at batch 256.
 * Same float32 operations in the same order, so the same bits. `registerSigmoidGradient` routes
 * the gradient here on backends that have the kernel and to tfjs's composition elsewhere.
 *
 * The kernel reads y and dy and writes dx over the same `count` elements: it refuses (naming them)
 * inputs that are not both float32 tensors of one shape holding that many elements; the gradient
 * sends those to tfjs's composition instead, which broadcasts and casts as tfjs does.
 */
import * as tf from '@tensorflow/tfjs';
import { holds, sameShape, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { pointer, VECTOR } from './own-kernels';

export const SIGMOID_GRAD = 'SigmoidGrad';

/** Below this many elements one thread does it all: a hand-over costs more than the pass. */
const MIN_THREADED_ELEMENTS = 1 << 16;

export const sigmoidGrad = ((args: WasmKernelArgs) => {
  const { backend } = args;
  const { y, dy } = args.inputs as Record<'y' | 'dy', TensorInfo>;
  if (!holds(backend, y, 'float32') || !holds(backend, dy, 'float32') || !sameShape(dy.shape, y.shape)) {
    throw new Error(
      `${SIGMOID_GRAD}: dy is ${dy.dtype} [${dy.shape}], y ${y.dtype} [${y.shape}]; both float32, one shape`,
    );
  }
  const count = tf.util.sizeFromShape(y.shape);
  const dx = backend.makeOutput(y.shape, 'float32');
  const threads = count < MIN_THREADED_ELEMENTS ? 1 : ownKernelThreads();
  const [yAt, dyAt, dxAt] = [y, dy, dx].map((t) => pointer(backend, t));
  // Ranges of whole vectors; the last one ends at `count`.
  const ranges = splitRange(Math.ceil(count / VECTOR), threads).map(([v0, vectors]) => [
    yAt,
    dyAt,
    dxAt,
    v0 * VECTOR,
    Math.min(count, (v0 + vectors) * VECTOR),
  ]);
  runParts(backend, 'sigmoidGrad', ranges);
  return dx;
}) as unknown as tf.KernelFunc;

/**
 * Replace tfjs's Sigmoid gradient (gradients are registered for every backend at once) by one
 * that runs `SigmoidGrad` where the active backend has it, and tfjs's own three ops elsewhere.
 */
export function registerSigmoidGradient(): void {
  tf.registerGradient({
    kernelName: 'Sigmoid',
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved;
      const gradient = dy as tf.Tensor;
      const fused =
        tf.getKernel(SIGMOID_GRAD, tf.getBackend()) !== undefined &&
        y.dtype === 'float32' &&
        gradient.dtype === 'float32' &&
        sameShape(gradient.shape, y.shape);
      return {
        x: () =>
          fused
            ? (tf.engine().runKernel(SIGMOID_GRAD, { y, dy: gradient }) as tf.Tensor)
            : tf.mul(gradient, tf.mul(y, tf.sub(tf.scalar(1), y))),
      };
    },
  });
}
