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
import { F32, INPUT_GRAD_BLOCK, ownHeapF32, ownKernels, type OwnFunctionName } from './own-kernels';

const VECTOR = 4;

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

  // The module's memory: dy [B][OH][OW][coPadded] | W [KH][KW][C][coPadded] | dx [B][H][W][C].
  const pixels = batch * outHeight * outWidth;
  const taps = kh * kw * c;
  const wAt = pixels * coPadded;
  const dxAt = wAt + taps * coPadded;
  const dxFloats = batch * height * width * c;
  const wasm = ownKernels();
  const heap = ownHeapF32(wasm, (dxAt + dxFloats) * F32);
  copyPadded(heap, 0, heapF32(backend, dy), pixels, co, coPadded);
  copyPadded(heap, wAt, heapF32(backend, filter), taps, co, coPadded);

  // Images split across the threads our kernels may use (./own-kernel-pool.ts).
  const ranges = splitRange(batch, ownKernelThreads());
  for (let c0 = 0; c0 < c; c0 += INPUT_GRAD_BLOCK) {
    const n = Math.min(INPUT_GRAD_BLOCK, c - c0);
    runParts(
      `inputGrad${n}` as OwnFunctionName,
      ranges.map(([b0, images]) => [
        b0 * outHeight * outWidth * coPadded * F32,
        wAt * F32,
        (dxAt + b0 * height * width * c) * F32,
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
  const dx = backend.makeOutput(inputShape, 'float32');
  // makeOutput may have grown the backend's heap: its view is taken after it.
  heapF32(backend, dx).set(new Float32Array(wasm.memory.buffer, dxAt * F32, dxFloats));
  return dx;
}

/** `rows` rows of `width` floats from `source` into `heap` at `at`, each padded with zeros to `padded`. */
function copyPadded(heap: Float32Array, at: number, source: Float32Array, rows: number, width: number, padded: number) {
  if (width === padded) {
    heap.set(source.subarray(0, rows * width), at);
    return;
  }
  heap.fill(0, at, at + rows * padded);
  for (let r = 0; r < rows; r++) heap.set(source.subarray(r * width, (r + 1) * width), at + r * padded);
}
