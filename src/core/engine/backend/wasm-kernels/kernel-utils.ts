/** Shared plumbing for the wasm training kernels: calling other kernels, heap views, padding. */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
export type Shape4 = [number, number, number, number];
export type KernelFuncArgs = Parameters<tf.KernelFunc>[0];
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.NamedAttrMap;
}

export const BACKEND = 'wasm';

/** Run another registered wasm kernel from inside a kernel (no tape, no engine bookkeeping). */
export function callKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, BACKEND);
  if (!kernel) throw new Error(`wasm kernel ${kernelName} is not registered`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function dispose(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * Whether `t` is a tensor of `dtype` (and rank `rank`, if given) whose data on the heap holds
 * exactly as many elements as its shape says: the backend's own record of what was allocated for
 * the data (its shape at allocation; a reshape shares the data with the same size) agrees with it.
 * Every kernel here checks each tensor it addresses with this before computing an address from
 * its shape, so a shape that lies about its data is handed to the shipped kernel, never read.
 */
export function holds(backend: BackendWasm, t: TensorInfo | undefined, dtype: tf.DataType, rank?: number): boolean {
  if (!t || t.dtype !== dtype || (rank !== undefined && t.shape.length !== rank)) return false;
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) return false;
  const record = backend.dataIdMap.get(t.dataId);
  return (
    record !== undefined &&
    record.dtype === dtype &&
    tf.util.sizeFromShape(record.shape) === tf.util.sizeFromShape(t.shape)
  );
}

/** Whether `shape` is `expected`, element by element. */
export function sameShape(shape: readonly number[], expected: readonly number[]): boolean {
  return shape.length === expected.length && shape.every((d, i) => d === expected[i]);
}

/**
 * The geometry every convolution kernel here assumes: channels-last, no dilation, padding ≥ 0 on
 * every side, at least one row, column and channel in and out (any number of images). `info`
 * comes from `computeConv2DInfo`, which throws on shapes it cannot make sense of (see `orNull`).
 */
export function plainConvGeometry(info: tf.backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = info.padInfo;
  return (
    info.dataFormat === 'channelsLast' &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    [top, bottom, left, right, info.batchSize].every((p) => Number.isInteger(p) && p >= 0) &&
    [info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels]
      .concat([info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth])
      .every((d) => Number.isInteger(d) && d > 0)
  );
}

/**
 * The geometry of the forward convolution behind a backward kernel, when it is one the kernels
 * here handle: `plainConvGeometry`, the filter's input channels those of the input, and dy
 * exactly that convolution's output [B,OH,OW,CO] (tfjs does not check the last: given a larger
 * dy, the shipped kernels read only the rows and columns a convolution would have made).
 */
export function backwardConvInfo(
  inputShape: Shape4,
  filterShape: Shape4,
  dy: TensorInfo,
  attrs: Pick<tf.Conv2DBackpropInputAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
): tf.backend_util.Conv2DInfo | null {
  const { strides, pad, dimRoundingMode } = attrs;
  const info = orNull(() =>
    tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast'),
  );
  if (!info || !plainConvGeometry(info) || filterShape[2] !== inputShape[3]) return null;
  return sameShape(dy.shape, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]) ? info : null;
}

/** `compute()`, or null where it throws (tfjs's shape helpers assert; the shipped kernel then says why). */
export function orNull<T>(compute: () => T): T | null {
  try {
    return compute();
  } catch {
    return null;
  }
}

/** A fresh Float32Array view; views must be re-taken after any allocation (the heap may grow). */
export function heapF32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/**
 * Copy the leading [n0, n1, n2, n3] corner of a rank-4 tensor (used to drop the rows/columns a
 * strided, unpadded forward convolution never read).
 */
export function cropLeading(backend: BackendWasm, x: TensorInfo, size: Shape4): TensorInfo {
  const [s0, s1, s2, s3] = x.shape as Shape4;
  if (x.shape.length !== 4 || size.some((d, i) => d > x.shape[i])) {
    throw new Error(`cropLeading: [${size}] is not a corner of [${x.shape}]`);
  }
  if (s0 === size[0] && s1 === size[1] && s2 === size[2] && s3 === size[3]) {
    return callKernel(backend, 'Identity', { x }, {});
  }
  const out = backend.makeOutput(size, 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  let o = 0;
  for (let a = 0; a < size[0]; a++) {
    for (let b = 0; b < size[1]; b++) {
      for (let c = 0; c < size[2]; c++) {
        const base = ((a * s1 + b) * s2 + c) * s3;
        dst.set(src.subarray(base, base + size[3]), o);
        o += size[3];
      }
    }
  }
  return out;
}

export function explicitPad(top: number, bottom: number, left: number, right: number): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * What a kernel of ours does with a call it does not take: the shipped kernel's answer, or (for a
 * kernel the backend lacks) an error naming the kernel and what it needs.
 */
export function handOff(
  shipped: tf.KernelFunc | undefined,
  args: WasmKernelArgs,
  kernel: string,
  needs: string,
): TensorInfo | TensorInfo[] {
  if (shipped) return shipped(args as unknown as KernelFuncArgs) as TensorInfo | TensorInfo[];
  throw new Error(`${kernel} on wasm supports only ${needs}`);
}
