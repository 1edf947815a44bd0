/**
 * BatchMatMul and _FusedMatMul (a dense layer: with a bias, no activation) on wasm by the project's
 * own WebAssembly SIMD loop `matMulRows` (scripts/wasm-kernels.mjs), rows split across our threads.
 *
 * The shipped kernels hand each product to XNNPACK, which packs B's weights into its own layout
 * first; a trained layer's weights are new tensors every step, so every call paid for packing and
 * creating an operator, and XNNPACK ran LeNet's products (at most 256 × 400 × 120) on one thread
 * at best. With transposeA or transposeB, which is how every dense layer's gradient calls it, the
 * shipped kernel is a scalar loop; a transposed A costs ours nothing (it is read with strides), a
 * transposed B is transposed into scratch (it is a layer's weights: ≤ 48k floats here).
 * Batched products (batch > 1), other dtypes and fused activations go to the shipped kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { dispose, heapF32, transpose, type KernelFuncArgs, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { backendHeapF32, F32, pointer, VECTOR, withScratch } from './own-kernels';

/** Rows per tile of matMulRows (scripts/wasm-kernels.mjs MATMUL_TILE_ROWS): threads take whole tiles. */
const TILE_ROWS = 4;
/** Below this many multiply-adds one thread does it all: a hand-over costs more than the product. */
const MIN_THREADED_MULTIPLY_ADDS = 1 << 18;

interface Product {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo;
}

/** [rows, columns] of a rank-2 operand or a rank-3 one of batch 1; null for a batch of several. */
function matrixShape(t: TensorInfo): [number, number] | null {
  const shape = t.shape;
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length === 3 && shape[0] === 1) return [shape[1], shape[2]];
  return null;
}

/** Whether matMulRows computes this product (else the shipped kernel does: batches, empty operands). */
function ownKernelTakes({ a, b, bias }: Product): boolean {
  const float32 = [a, b, ...(bias ? [bias] : [])].every((t) => t.dtype === 'float32');
  const nonEmpty = [a, b].every((t) => tf.util.sizeFromShape(t.shape) > 0);
  return float32 && nonEmpty && matrixShape(a) !== null && matrixShape(b) !== null && a.shape.length === b.shape.length;
}

/**
 * Where matMulRows finds A(i, k), in bytes (scripts/wasm-kernels.mjs documents the fields): a
 * matrix is one image of one group of rows, with one group of k; a convolution is not.
 */
export interface ALayout {
  perImage: number;
  perGroup: number;
  aImage: number;
  aGroup: number;
  aRow: number;
  kGroups: number;
  kGroup: number;
  aKGroup: number;
  aK: number;
}

/** The layout of a [rows][depth] matrix, or of its transpose stored [depth][rows]. */
function matrixLayout(rows: number, depth: number, transposed: boolean): ALayout {
  const [aRow, aK] = transposed ? [F32, rows * F32] : [depth * F32, F32];
  return {
    perImage: rows,
    perGroup: rows,
    aImage: 0,
    aGroup: 0,
    aRow,
    kGroups: 1,
    kGroup: depth,
    aKGroup: depth * aK,
    aK,
  };
}

/**
 * out [rows][n] = A·op(B) (+ bias), A at byte `aAddress` laid out as `layout`, B a [depth][n]
 * matrix (or [n][depth] with `transposeB`), rows split across our threads. B, out and the bias
 * are used in place when their rows are whole vectors and B is not transposed; otherwise B is
 * copied (transposed) into padded rows of scratch, and out computed there.
 */
export function multiplyInto(
  backend: BackendWasm,
  out: TensorInfo,
  aAddress: number,
  layout: ALayout,
  rows: number,
  { b, transposeB, n, bias }: { b: TensorInfo; transposeB: boolean; n: number; bias?: TensorInfo },
): void {
  if (rows === 0 || n === 0) return;
  const depth = layout.kGroups * layout.kGroup;
  const nVectors = Math.ceil(n / VECTOR);
  const padded = nVectors * VECTOR;
  const copyB = transposeB || padded !== n;
  const scratchFloats = padded === n ? (copyB ? depth * padded : 0) : (depth + rows + 1) * padded;
  withScratch(backend, scratchFloats, (at) => {
    const [bAt, cAt, biasAt] = [at, at + depth * padded, at + (depth + rows) * padded];
    if (copyB)
      copyRows(backendHeapF32(backend), bAt, heapF32(backend, b), { rows: depth, n, padded, transposed: transposeB });
    if (bias && padded !== n) {
      copyRows(backendHeapF32(backend), biasAt, heapF32(backend, bias), { rows: 1, n, padded, transposed: false });
    }
    const bAddress = copyB ? bAt * F32 : pointer(backend, b);
    const cAddress = padded === n ? pointer(backend, out) : cAt * F32;
    const biasAddress = !bias ? 0 : padded === n ? pointer(backend, bias) : biasAt * F32;
    const { perImage, perGroup, aImage, aGroup, aRow, kGroups, kGroup, aKGroup, aK } = layout;
    const threads = rows * n * depth < MIN_THREADED_MULTIPLY_ADDS ? 1 : ownKernelThreads();
    const parts = splitRange(Math.ceil(rows / TILE_ROWS), threads).map(([tile0, tiles]) => [
      aAddress,
      bAddress,
      cAddress,
      biasAddress,
      tile0 * TILE_ROWS,
      Math.min(rows, (tile0 + tiles) * TILE_ROWS),
      nVectors,
      perImage,
      perGroup,
      aImage,
      aGroup,
      aRow,
      kGroups,
      kGroup,
      aKGroup,
      aK,
    ]);
    runParts(backend, 'matMulRows', parts);
    if (padded !== n) {
      const heap = backendHeapF32(backend);
      const c = heapF32(backend, out);
      for (let i = 0; i < rows; i++) c.set(heap.subarray(cAt + i * padded, cAt + i * padded + n), i * n);
    }
  });
}

/** C = op(A)·op(B) (+ bias over C's rows), shaped like tfjs's output: [(1,) M, N]. */
function ownMatMul(backend: BackendWasm, { a, b, transposeA, transposeB, bias }: Product): TensorInfo {
  const [aRows, aColumns] = matrixShape(a)!;
  const [bRows, bColumns] = matrixShape(b)!;
  const [m, depth] = transposeA ? [aColumns, aRows] : [aRows, aColumns];
  const [bDepth, n] = transposeB ? [bColumns, bRows] : [bRows, bColumns];
  if (depth !== bDepth) {
    throw new Error(
      `BatchMatMul: inner dimensions differ: [${a.shape}] and [${b.shape}] (transposeA ${transposeA}, transposeB ${transposeB})`,
    );
  }
  if (bias && tf.util.sizeFromShape(bias.shape) !== n) {
    throw new Error(`_FusedMatMul: the bias [${bias.shape}] does not have one value per output column (${n})`);
  }
  const out = backend.makeOutput(a.shape.length === 3 ? [1, m, n] : [m, n], 'float32');
  multiplyInto(backend, out, pointer(backend, a), matrixLayout(m, depth, transposeA), m, { b, transposeB, n, bias });
  return out;
}

/**
 * `rows` rows of `n` floats into `heap` at `at`, each padded with zeros to `padded`: row k of the
 * source, or (transposed) column k of a source of `n` rows.
 */
function copyRows(
  heap: Float32Array,
  at: number,
  source: Float32Array,
  { rows, n, padded, transposed }: { rows: number; n: number; padded: number; transposed: boolean },
): void {
  heap.fill(0, at, at + rows * padded);
  for (let k = 0; k < rows; k++) {
    const row = at + k * padded;
    if (!transposed) heap.set(source.subarray(k * n, (k + 1) * n), row);
    else for (let j = 0; j < n; j++) heap[row + j] = source[j * rows + k];
  }
}

/** The shipped kernel with transposes done first: it is fast (XNNPACK) only without them. */
function withoutTransposes(original: tf.KernelFunc, args: WasmKernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  if (!transposeA && !transposeB) return original(args as unknown as KernelFuncArgs) as TensorInfo;
  const swapLastTwo = (x: TensorInfo) => transpose(backend, x, x.shape.length === 2 ? [1, 0] : [0, 2, 1]);
  const a = transposeA ? swapLastTwo(inputs.a as TensorInfo) : (inputs.a as TensorInfo);
  const b = transposeB ? swapLastTwo(inputs.b as TensorInfo) : (inputs.b as TensorInfo);
  const out = original({
    inputs: { ...inputs, a, b },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  } as unknown as KernelFuncArgs) as TensorInfo;
  if (transposeA) dispose(backend, a);
  if (transposeB) dispose(backend, b);
  return out;
}

export function makeBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const product = { a: inputs.a as TensorInfo, b: inputs.b as TensorInfo, transposeA, transposeB };
    return ownKernelTakes(product) ? ownMatMul(backend, product) : withoutTransposes(original, args);
  }) as unknown as tf.KernelFunc;
}

export function makeFusedMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB, activation } = attrs as unknown as tf._FusedMatMulAttrs;
    const bias = inputs.bias as TensorInfo | undefined;
    const product = { a: inputs.a as TensorInfo, b: inputs.b as TensorInfo, transposeA, transposeB, bias };
    const linear = (activation === undefined || activation === 'linear') && !inputs.preluActivationWeights;
    const perColumnBias = !bias || tf.util.sizeFromShape(bias.shape) === bias.shape[bias.shape.length - 1];
    if (!linear || !perColumnBias || !ownKernelTakes(product)) return original(args as unknown as KernelFuncArgs);
    return ownMatMul(backend, product);
  }) as unknown as tf.KernelFunc;
}
