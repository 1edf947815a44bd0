/**
 * The sigmoid on wasm, forward and backward, by the project's own WebAssembly SIMD loops
 * (scripts/wasm-kernels.mjs), each one pass split across our threads:
 *
 * - `Sigmoid` (wrapping the shipped kernel, which serves other dtypes): y = 1 / (1 + e^−x), with
 *   e^−x as Cephes' expf computes it. The shipped one is XNNPACK's on one thread; C1's 1.2M
 *   activations at batch 256 make it the largest element-wise kernel of a step.
 * - `SigmoidGrad`, a kernel of the project's own (no tfjs kernel has this name): dy · (y · (1 − y))
 *   from the output y, tfjs's three element-wise kernels (Sub, Mul, Mul) in one pass, with the
 *   same float32 operations in the same order, so the same bits. `registerSigmoidGradient` routes
 *   the gradient here on backends that have the kernel and to tfjs's composition elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFuncArgs, TensorInfo, WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { pointer, VECTOR, type OwnFunctionName } from './own-kernels';

export const SIGMOID_GRAD = 'SigmoidGrad';

/** Below this many elements one thread does it all: a hand-over costs more than the pass. */
const MIN_THREADED_ELEMENTS = 1 << 16;

/**
 * Run the element-wise function `name` (arguments: the tensors' byte pointers, then the range
 * start … end) over `count` elements, in ranges of whole vectors across our threads.
 */
function runElementWise(backend: BackendWasm, name: OwnFunctionName, tensors: TensorInfo[], count: number): void {
  const threads = count < MIN_THREADED_ELEMENTS ? 1 : ownKernelThreads();
  const pointers = tensors.map((t) => pointer(backend, t));
  // The last range ends at `count`, so the tail is its own.
  const ranges = splitRange(Math.ceil(count / VECTOR), threads).map(([v0, vectors]) => [
    ...pointers,
    v0 * VECTOR,
    Math.min(count, (v0 + vectors) * VECTOR),
  ]);
  runParts(backend, name, ranges);
}

export function makeSigmoid(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { backend } = args;
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') return original(args as unknown as KernelFuncArgs);
    const y = backend.makeOutput(x.shape, 'float32');
    runElementWise(backend, 'sigmoid', [x, y], tf.util.sizeFromShape(x.shape));
    return y;
  }) as unknown as tf.KernelFunc;
}

export const sigmoidGrad = ((args: WasmKernelArgs) => {
  const { backend } = args;
  const { y, dy } = args.inputs as Record<'y' | 'dy', TensorInfo>;
  if (y.dtype !== 'float32' || dy.dtype !== 'float32' || !tf.util.arraysEqual(y.shape, dy.shape)) {
    throw new Error(
      `${SIGMOID_GRAD}: dy is ${dy.dtype} [${dy.shape}], y ${y.dtype} [${y.shape}]; both float32, one shape`,
    );
  }
  const dx = backend.makeOutput(y.shape, 'float32');
  runElementWise(backend, 'sigmoidGrad', [y, dy, dx], tf.util.sizeFromShape(y.shape));
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
      return {
        x: () =>
          tf.getKernel(SIGMOID_GRAD, tf.getBackend())
            ? (tf.engine().runKernel(SIGMOID_GRAD, { y, dy: gradient }) as tf.Tensor)
            : tf.mul(gradient, tf.mul(y, tf.sub(tf.scalar(1), y))),
      };
    },
  });
}
