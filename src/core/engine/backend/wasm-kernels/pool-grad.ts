/**
 * Pooling gradients on wasm, in JS over the heap (AvgPool's non-overlapping windows by our own
 * module: ./own-kernels.ts): the shipped MaxPoolGrad starts its running maximum at FLT_MIN (the
 * smallest *positive* float) and keeps the last of equal values, so windows whose maximum is ≤ 0
 * send their gradient to the wrong element.
 *
 * What both assume, checked before any index is computed (`supportedInfo`): dy [B,OH,OW,C] and the
 * input [B,H,W,C] float32, rank 4 and holding their shapes' elements, dy exactly the pooling's
 * output for that input, padding ≥ 0. Then every loop is bounded by those shapes: the general
 * loops clamp each window to the input's rows and columns, and the fast paths for windows that
 * tile the input (2×2 max, non-overlapping average) are taken only when the windows lie inside
 * it (OH·FH ≤ H, OW·FW ≤ W: 'same' padding of an odd size adds a window past the last row, which
 * the general loops clamp). Anything else goes to the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs';
import {
  handOff,
  heapF32,
  holds,
  orNull,
  sameShape,
  type Shape4,
  type TensorInfo,
  type WasmKernelArgs,
} from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { pointer } from './own-kernels';

/** The pooling's geometry when the call is one the loops below take (see the header), else null. */
function supportedInfo(
  args: WasmKernelArgs,
  attrs: { filterSize: number | [number, number]; strides: number | [number, number]; pad: unknown },
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.backend_util.Conv2DInfo | null {
  const { inputs, backend } = args;
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  if (!holds(backend, dy, 'float32', 4) || !holds(backend, input, 'float32', 4)) return null;
  const info = orNull(() =>
    tf.backend_util.computePool2DInfo(
      input.shape as Shape4,
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad as 'valid' | 'same' | number,
      dimRoundingMode,
    ),
  );
  if (!info || info.dataFormat !== 'channelsLast' || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { top, bottom, left, right } = info.padInfo;
  const sizes = [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth];
  if (![top, bottom, left, right].every((p) => Number.isInteger(p) && p >= 0)) return null;
  if (!sizes.every((d) => Number.isInteger(d) && d > 0)) return null;
  return sameShape(dy.shape, [info.batchSize, info.outHeight, info.outWidth, info.inChannels]) ? info : null;
}

/** Whether the windows, FH×FW every FH×FW, lie inside the input: no padding inside or past it. */
function tiles(info: tf.backend_util.Conv2DInfo, fh: number, fw: number): boolean {
  const { strideHeight, strideWidth, padInfo, outHeight, outWidth, inHeight, inWidth } = info;
  return (
    strideHeight === fh &&
    strideWidth === fw &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    outHeight * fh <= inHeight &&
    outWidth * fw <= inWidth
  );
}

/**
 * Max-pool gradient: each window's gradient goes to the first element holding the window maximum
 * (scan order row, column, strict `>` from −∞ — the cpu backend's rule; it matters for ReLU outputs,
 * where whole windows are 0, and a window of only NaN passes no gradient). Channels are the inner
 * loop so the heap is read contiguously.
 */
export function makeMaxPoolGrad(shipped: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = supportedInfo(args, attrs, attrs.dimRoundingMode);
    if (!info) return handOff(shipped, args, 'MaxPoolGrad', 'float32 NHWC tensors, dy the pooling output');
    return maxPoolGrad(args, info);
  }) as unknown as tf.KernelFunc;
}

function maxPoolGrad(args: WasmKernelArgs, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { inputs, backend } = args;
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;

  const dx = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const out = heapF32(backend, dx);
  if (fh === 2 && fw === 2 && tiles(info, 2, 2)) {
    maxPoolGrad2x2(x, g, out, batchSize, inHeight, inWidth, ch, outHeight, outWidth);
    return dx;
  }
  out.fill(0);
  const best = new Float32Array(ch);
  const at = new Int32Array(ch);
  const rowStride = inWidth * ch;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(inHeight, r0 + fh);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(inWidth, c0 + fw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let q = cMin; q < cMax; q++) {
            const base = xb + r * rowStride + q * ch;
            for (let c = 0; c < ch; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * outHeight + oh) * outWidth + ow) * ch;
        for (let c = 0; c < ch; c++) if (at[c] >= 0) out[at[c]] += g[gBase + c];
      }
    }
  }
  return dx;
}

/**
 * The LeNet case (2×2 windows, stride 2, no padding) unrolled: windows do not overlap, so every
 * input element is written exactly once and no zero-fill or accumulation is needed.
 */
function maxPoolGrad2x2(
  x: Float32Array,
  g: Float32Array,
  out: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  ch: number,
  outHeight: number,
  outWidth: number,
): void {
  // Odd sizes leave a last row/column no window reads: its gradient is 0. (The caller checked
  // that the windows lie inside the input: 2·outHeight ≤ inHeight, 2·outWidth ≤ inWidth.)
  if (inHeight !== outHeight * 2 || inWidth !== outWidth * 2) out.fill(0);
  const rowStride = inWidth * ch;
  let gi = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowBase = (b * inHeight + oh * 2) * rowStride;
      for (let ow = 0; ow < outWidth; ow++) {
        const i00 = rowBase + ow * 2 * ch;
        const i01 = i00 + ch;
        const i10 = i00 + rowStride;
        const i11 = i10 + ch;
        for (let c = 0; c < ch; c++, gi++) {
          const v00 = x[i00 + c];
          const v01 = x[i01 + c];
          const v10 = x[i10 + c];
          const v11 = x[i11 + c];
          // First maximum in scan order, strict `>` from −∞ (NaN never wins) — the cpu rule.
          let best = -Infinity;
          let k = -1;
          if (v00 > best) {
            best = v00;
            k = 0;
          }
          if (v01 > best) {
            best = v01;
            k = 1;
          }
          if (v10 > best) {
            best = v10;
            k = 2;
          }
          if (v11 > best) k = 3;
          const grad = g[gi];
          out[i00 + c] = k === 0 ? grad : 0;
          out[i01 + c] = k === 1 ? grad : 0;
          out[i10 + c] = k === 2 ? grad : 0;
          out[i11 + c] = k === 3 ? grad : 0;
        }
      }
    }
  }
}

/** Average-pool gradient: each window spreads dy/(window size incl. padding) over its elements. */
export function makeAvgPoolGrad(shipped: tf.KernelFunc | undefined): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const info = supportedInfo(args, args.attrs as unknown as tf.AvgPoolGradAttrs);
    if (!info) return handOff(shipped, args, 'AvgPoolGrad', 'float32 NHWC tensors, dy the pooling output');
    return avgPoolGrad(args, info);
  }) as unknown as tf.KernelFunc;
}

function avgPoolGrad(args: WasmKernelArgs, info: tf.backend_util.Conv2DInfo): TensorInfo {
  const { inputs, backend } = args;
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  // tfjs (like TF) divides by the full filter area, padding included.
  const scale = 1 / (filterHeight * filterWidth);

  const dx = backend.makeOutput(input.shape, 'float32');
  const out = heapF32(backend, dx);
  if (tiles(info, filterHeight, filterWidth)) {
    // Non-overlapping windows inside the input (LeNet's 2×2/2): each element is written once, by
    // our module's `avgPoolGradTiles`, with the images split across our threads; uncovered edges stay 0.
    if (inHeight !== outHeight * filterHeight || inWidth !== outWidth * filterWidth) out.fill(0);
    const [dyAddress, dxAddress] = [pointer(backend, dy), pointer(backend, dx)];
    runParts(
      backend,
      'avgPoolGradTiles',
      splitRange(batchSize, ownKernelThreads()).map(([b0, count]) => [
        dyAddress,
        dxAddress,
        b0,
        count,
        outHeight,
        outWidth,
        ch,
        filterHeight,
        filterWidth,
        inHeight,
        inWidth,
      ]),
    );
    return dx;
  }
  const g = heapF32(backend, dy);
  const rowStride = inWidth * ch;
  out.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(inHeight, r0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(inWidth, c0 + filterWidth);
        const gBase = ((b * outHeight + oh) * outWidth + ow) * ch;
        for (let r = rMin; r < rMax; r++) {
          for (let q = cMin; q < cMax; q++) {
            const base = xb + r * rowStride + q * ch;
            for (let c = 0; c < ch; c++) out[base + c] += g[gBase + c] * scale;
          }
        }
      }
    }
  }
  return dx;
}
