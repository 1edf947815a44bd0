/**
 * FusedConv2D of a one-channel image (LeNet's C1 on grey images) by the project's own WebAssembly
 * SIMD loops (`conv1ch1`…`conv1ch6` in scripts/wasm-kernels.mjs): with a single input channel
 * XNNPACK's GEMM tiles are mostly empty, and it ran C1 (30M multiply-adds at batch 256) slower
 * than C3 (61M). Vectorised over 4 adjacent output pixels instead, with the bias and a ReLU fused.
 * Everything else (strides, dilations, other activations, channels-first, several input
 * channels, a bias that is not one value per output channel) goes to the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs';
import {
  heapF32,
  holds,
  orNull,
  plainConvGeometry,
  type KernelFuncArgs,
  type Shape4,
  type TensorInfo,
  type WasmKernelArgs,
} from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { backendHeapF32, CONV_1CH_BLOCK, F32, pointer, VECTOR, withScratch, type OwnFunctionName } from './own-kernels';
import { copyPaddedInput, paddedInputSize } from './padded-input';

/**
 * What the loops assume, checked before any address is computed: x [B,H,W,1] and the filter
 * [KH,KW,1,CO] float32 and holding their shapes' elements; no bias, or a float32 bias of exactly
 * CO elements, rank 1 (the shipped kernel refuses any other, and the splatted bias has room for
 * CO values); stride 1, no dilation, channels-last, padding ≥ 0, a linear or ReLU activation
 * without PReLU weights. Then the scratch holds the padded x (with the columns the last 4-pixel
 * vector reads), KH·KW·CO filter vectors and CO bias vectors, and y is written as its own
 * [B,OH,OW,CO] (the lanes past OW are not stored). Anything else goes to the shipped kernel.
 */
function supportedInfo(args: WasmKernelArgs): tf.backend_util.Conv2DInfo | null {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = attrs as unknown as tf.FusedConv2DAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') return null;
  if (activation !== undefined && activation !== 'linear' && activation !== 'relu') return null;
  if (inputs.preluActivationWeights) return null;
  if (!holds(backend, x, 'float32', 4) || !holds(backend, filter, 'float32', 4)) return null;
  if (x.shape[3] !== 1 || filter.shape[2] !== 1) return null;
  if (bias && (!holds(backend, bias, 'float32', 1) || bias.shape[0] !== filter.shape[3])) return null;
  const info = orNull(() =>
    tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      strides,
      dilations ?? 1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    ),
  );
  if (!info || !plainConvGeometry(info) || info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  return info;
}

export function makeFusedConv2D(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const bias = inputs.bias as TensorInfo | undefined;
    const { activation } = attrs as unknown as tf.FusedConv2DAttrs;
    const info = supportedInfo(args);
    if (!info) return original(args as unknown as KernelFuncArgs);

    const { batchSize, filterHeight: kh, filterWidth: kw, outChannels: co, outHeight, outWidth } = info;
    // x with its zero padding, and columns enough for the last 4-pixel vector of each row.
    const padded = paddedInputSize(info, VECTOR);
    const { paddedHeight, paddedWidth } = padded;
    const y = backend.makeOutput([batchSize, outHeight, outWidth, co], 'float32');

    // Scratch: padded x | W splatted [KH][KW][CO] vectors | bias splatted [CO]. y is written in place.
    const wsAt = padded.floats;
    const bsAt = wsAt + kh * kw * co * VECTOR;
    withScratch(backend, bsAt + co * VECTOR, (at) => {
      copyPaddedInput(backend, at, x, info, padded);
      const heap = backendHeapF32(backend);
      splat(heap, at + wsAt, heapF32(backend, filter), kh * kw * co);
      if (bias) splat(heap, at + bsAt, heapF32(backend, bias), co);
      else heap.fill(0, at + bsAt, at + bsAt + co * VECTOR);

      // Images split across the threads our kernels may use (./own-kernel-pool.ts).
      const yAddress = pointer(backend, y);
      const ranges = splitRange(batchSize, ownKernelThreads());
      for (let co0 = 0; co0 < co; co0 += CONV_1CH_BLOCK) {
        runParts(
          backend,
          `conv1ch${Math.min(CONV_1CH_BLOCK, co - co0)}` as OwnFunctionName,
          ranges.map(([b0, images]) => [
            (at + b0 * paddedHeight * paddedWidth) * F32,
            (at + wsAt) * F32,
            (at + bsAt) * F32,
            yAddress + b0 * outHeight * outWidth * co * F32,
            co0,
            images,
            outHeight,
            outWidth,
            paddedHeight,
            paddedWidth,
            kh,
            kw,
            co,
            activation === 'relu' ? 1 : 0,
          ]),
        );
      }
    });
    return y;
  }) as unknown as tf.KernelFunc;
}

/** Each of the `count` values of `values` as a whole vector (4 copies), from `at` on: `count` vectors. */
function splat(heap: Float32Array, at: number, values: Float32Array, count: number): void {
  if (values.length !== count) {
    throw new Error(`conv1ch: ${values.length} values where the scratch has room for ${count}`);
  }
  for (let i = 0; i < values.length; i++) heap.fill(values[i], at + i * VECTOR, at + (i + 1) * VECTOR);
}
