/**
 * Sum over a tensor's leading axes (how every bias gradient reduces dy: over batch, rows and
 * columns, keeping the channels) by the project's own `sumRowChunks`. The shipped Sum transposes
 * the reduced axes to the end first, so LeNet's C1 bias gradient (1.2M floats at batch 256) cost
 * ~4 ms, three quarters of it the transpose. Only of a float32 x holding its shape's elements,
 * over its leading axes and not all of them, and not empty: `sumRowChunks` then reads rows × cols
 * = x's elements, writes each chunk's cols sums into a scratch area of chunks × cols (rounded up to
 * whole vectors), and JS writes out's cols values. Every other Sum goes to the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, holds, type KernelFuncArgs, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { backendHeapF32, F32, pointer, VECTOR, withScratch } from './own-kernels';

/** Rows per partial sum: float32 chains stay short, and threads take ranges of chunks. */
const CHUNK_ROWS = 1024;

export function makeSum(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    if (!holds(backend, x, 'float32') || tf.util.sizeFromShape(x.shape) === 0) {
      return original(args as unknown as KernelFuncArgs);
    }
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    if (!leading) return original(args as unknown as KernelFuncArgs);

    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const cols = tf.util.sizeFromShape(x.shape.slice(axes.length));
    const colsPadded = Math.ceil(cols / VECTOR) * VECTOR;
    const chunks = Math.ceil(rows / CHUNK_ROWS);
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = backend.makeOutput(outShape, 'float32');
    const source = pointer(backend, x);
    withScratch(backend, chunks * colsPadded, (at) => {
      runParts(
        backend,
        'sumRowChunks',
        splitRange(chunks, ownKernelThreads()).map(([k0, count]) => [
          source,
          at * F32,
          rows,
          cols,
          CHUNK_ROWS,
          k0,
          k0 + count,
        ]),
      );
      // The chunks' partial sums, added in order in float64.
      const heap = backendHeapF32(backend);
      const sums = heapF32(backend, out);
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let k = 0; k < chunks; k++) sum += heap[at + k * colsPadded + c];
        sums[c] = sum;
      }
    });
    return out;
  }) as unknown as tf.KernelFunc;
}
