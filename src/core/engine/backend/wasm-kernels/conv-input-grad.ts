/**
 * Conv2DBackpropInput of a stride-1 convolution by the project's own WebAssembly SIMD loops
 * (`inputGrad1`…`inputGrad6` in scripts/wasm-kernels.mjs):
 *
 *   dx[b,ih,iw,c] = Σ_{kh,kw,co} dy[b, ih+top−kh, iw+left−kw, co] · W[kh,kw,c,co]
 *
 * over the taps whose dy pixel exists. The XNNPACK route it replaced (a "full" convolution of dy
 * padded by KH−1 on every side) multiplies twice as many zeros as products on LeNet's C3 (10×10
 * dy, 5×5 filter → 14×14). Vectorised over co, which dy and W both hold contiguously: each dy
 * vector serves up to 6 input channels' accumulators. A strided convolution reaches it with dy
 * dilated by the stride (conv-backprop.ts).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, type Shape4, type TensorInfo } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import {
  backendHeapF32,
  F32,
  INPUT_GRAD_BLOCK,
  pointer,
  VECTOR,
  withScratch,
  type OwnFunctionName,
} from './own-kernels';

export interface StrideOneGeometry {
  /** dx's shape [B, H, W, C]. */
  inputShape: Shape4;
  /** The forward convolution's top and left padding. */
  top: number;
  left: number;
}

/** dx for `dy` ([B, OH, OW, CO], stride 1 — dilated if the convolution was strided) and `filter` [KH, KW, C, CO]. */
export function strideOneInputGrad(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  { inputShape, top, left }: StrideOneGeometry,
): TensorInfo {
  const [batch, height, width, c] = inputShape;
  const [, outHeight, outWidth, co] = dy.shape as Shape4;
  const [kh, kw] = filter.shape as Shape4;
  // co padded with zeros to whole vectors, in dy and in W alike.
  const coVectors = Math.ceil(co / VECTOR);
  const coPadded = coVectors * VECTOR;

  // dy [B][OH][OW][coPadded] and W [KH][KW][C][coPadded] are read in place when co is a whole
  // number of vectors, else from padded copies in scratch. dx is written in place.
  const pixels = batch * outHeight * outWidth;
  const taps = kh * kw * c;
  const inPlace = co === coPadded;
  const dx = backend.makeOutput(inputShape, 'float32');
  withScratch(backend, inPlace ? 0 : (pixels + taps) * coPadded, (at) => {
    let dyAddress = pointer(backend, dy);
    let wAddress = pointer(backend, filter);
    if (!inPlace) {
      const heap = backendHeapF32(backend);
      copyPadded(heap, at, heapF32(backend, dy), pixels, co, coPadded);
      copyPadded(heap, at + pixels * coPadded, heapF32(backend, filter), taps, co, coPadded);
      dyAddress = at * F32;
      wAddress = (at + pixels * coPadded) * F32;
    }
    const dxAddress = pointer(backend, dx);
    // Images split across the threads our kernels may use (./own-kernel-pool.ts).
    const ranges = splitRange(batch, ownKernelThreads());
    for (let c0 = 0; c0 < c; c0 += INPUT_GRAD_BLOCK) {
      const n = Math.min(INPUT_GRAD_BLOCK, c - c0);
      runParts(
        backend,
        `inputGrad${n}` as OwnFunctionName,
        ranges.map(([b0, images]) => [
          dyAddress + b0 * outHeight * outWidth * coPadded * F32,
          wAddress,
          dxAddress + b0 * height * width * c * F32,
          c0,
          images,
          height,
          width,
          outHeight,
          outWidth,
          kh,
          kw,
          top,
          left,
          coVectors,
          c,
        ]),
      );
    }
  });
  return dx;
}

/** `rows` rows of `width` floats from `source` into `heap` at `at`, each padded with zeros to `padded`. */
function copyPadded(heap: Float32Array, at: number, source: Float32Array, rows: number, width: number, padded: number) {
  heap.fill(0, at, at + rows * padded);
  for (let r = 0; r < rows; r++) heap.set(source.subarray(r * width, (r + 1) * width), at + r * padded);
}
