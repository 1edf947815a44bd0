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

export function requireChannelsLast(dataFormat: string | undefined, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only NHWC (channels-last), got ${dataFormat}`);
  }
}
