/** Fast paths wrapped around shipped wasm kernels, which still handle every other case. */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { dispose, holds, transpose, type KernelFuncArgs, type TensorInfo, type WasmKernelArgs } from './kernel-utils';

/** The dtypes whose elements these wrappers copy as typed-array elements. */
const PLAIN_DTYPES: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

/** Swap the last two axes of a tensor of any rank ≥ 2 (the batch axes stay where they are). */
export function lastTwoSwapped(rank: number): number[] {
  if (rank < 2) throw new Error(`lastTwoSwapped: rank ${rank} has no two last axes`);
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  return transpose(backend, x, lastTwoSwapped(x.shape.length));
}

/**
 * The shipped BatchMatMul is fast (XNNPACK) only without transposes; with transposeA or
 * transposeB — which is how every dense-layer gradient calls it — it takes a scalar loop about
 * 10× slower. Transposing the operand first is cheap (these are at most a few 100k floats).
 * It touches no memory itself: the shipped Transpose gets a permutation of the operand's own rank
 * (any rank ≥ 2; the batch axes stay), and only float32 operands (the shipped kernel refuses
 * others) are transposed; the transposed copies are freed even when the shipped kernel throws.
 */
export function makeBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const [a, b] = [inputs.a as TensorInfo, inputs.b as TensorInfo];
    const operand = (t: TensorInfo) => holds(backend, t, 'float32') && t.shape.length >= 2;
    if ((!transposeA && !transposeB) || !operand(a) || !operand(b)) return original(args as unknown as KernelFuncArgs);
    const copies: TensorInfo[] = [];
    try {
      const at = transposeA ? transposeLastTwo(backend, a) : a;
      if (transposeA) copies.push(at);
      const bt = transposeB ? transposeLastTwo(backend, b) : b;
      if (transposeB) copies.push(bt);
      return original({
        inputs: { a: at, b: bt },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      } as unknown as KernelFuncArgs) as TensorInfo;
    } finally {
      dispose(backend, ...copies);
    }
  }) as unknown as tf.KernelFunc;
}

/**
 * The shipped Slice first copies the *whole* input out of the heap (`readSync`), then the slice:
 * slicing 1,000 images off the 10,000-image test tensor copied 31 MB each time. A slice that is
 * one contiguous run of memory (e.g. leading-axis ranges) is copied directly here: only of a
 * float32, int32 or bool tensor holding its shape's elements, and a slice inside it on every axis
 * (0 ≤ begin, 0 ≤ size, begin + size ≤ the axis), so the run lies inside x's data and fills out's.
 */
export function makeSlice(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    if (!PLAIN_DTYPES.includes(x.dtype) || !holds(backend, x, x.dtype))
      return original(args as unknown as KernelFuncArgs);
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    const inside =
      begin_.length === x.shape.length &&
      size_.length === x.shape.length &&
      x.shape.every((d, i) => begin_[i] >= 0 && size_[i] >= 0 && begin_[i] + size_[i] <= d);
    if (!inside || !tf.slice_util.isSliceContinous(x.shape, begin_, size_)) {
      return original(args as unknown as KernelFuncArgs);
    }
    const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
    const count = tf.util.sizeFromShape(size_);
    const out = backend.makeOutput(size_, x.dtype);
    if (count > 0) {
      const src = backend.typedArrayFromHeap(x);
      (backend.typedArrayFromHeap(out) as typeof src).set(src.subarray(offset, offset + count) as never);
    }
    return out;
  }) as unknown as tf.KernelFunc;
}

/**
 * The shipped Identity copies the tensor; tfjs calls it for every `tf.clone`/identity in the
 * gradient bookkeeping (three 1.2M-float copies per LeNet5 step at batch 256). Tensors are
 * immutable, so sharing the data with a reference count — what the cpu backend's Identity and
 * wasm's own Reshape do — is enough. It reads and writes no memory: it only counts a reference
 * to data the backend holds (float32, int32 and bool; strings keep the shipped copy).
 */
export function makeIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (!PLAIN_DTYPES.includes(x.dtype) || !holds(args.backend, x, x.dtype)) {
      return original(args as unknown as KernelFuncArgs);
    }
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}

/**
 * The shipped GatherV2 computes a multi-dimensional index for every element in C++: gathering the
 * 256 images of a batch (200k floats) took ~5 ms, ~9% of a LeNet5 step. Without batch dims the
 * result is `outer × indices` runs of `sliceSize` contiguous elements each; copied directly here:
 * only from a float32, int32 or bool x and int32 indices holding their shapes' elements, without
 * batch dims, every index checked to lie in [0, dimSize) first, so each run lies inside x's data,
 * and out is exactly `outer × indices × sliceSize` elements.
 */
export function makeGatherV2(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const indices = inputs.indices as TensorInfo;
    const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
    const plain = PLAIN_DTYPES.includes(x.dtype) && holds(backend, x, x.dtype) && holds(backend, indices, 'int32');
    if (batchDims !== 0 || !plain || x.shape.length === 0) return original(args as unknown as KernelFuncArgs);
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.TensorInfo as tf.Tensor,
      indices as tf.TensorInfo as tf.Tensor,
      parsedAxis,
      0,
    );
    const { outerSize, dimSize, sliceSize } = info;
    const index = backend.typedArrayFromHeap(indices) as Int32Array;
    // The shipped kernel's (and the cpu backend's) bounds check, with the same message.
    for (let i = 0; i < index.length; i++) {
      const v = index[i];
      tf.util.assert(v <= dimSize - 1 && v >= 0, () => `GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
    }
    const out = backend.makeOutput(info.outputShape, x.dtype);
    if (tf.util.sizeFromShape(info.outputShape) === 0) return out;
    // Views after makeOutput: an allocation may grow (and detach) the heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out) as typeof src;
    const idx = backend.typedArrayFromHeap(indices) as Int32Array;
    let o = 0;
    for (let outer = 0; outer < outerSize; outer++) {
      const base = outer * dimSize * sliceSize;
      if (sliceSize === 1) {
        for (let i = 0; i < idx.length; i++) dst[o++] = src[base + idx[i]];
      } else {
        for (let i = 0; i < idx.length; i++, o += sliceSize) {
          const s = base + idx[i] * sliceSize;
          dst.set(src.subarray(s, s + sliceSize) as never, o);
        }
      }
    }
    return out;
  }) as unknown as tf.KernelFunc;
}
