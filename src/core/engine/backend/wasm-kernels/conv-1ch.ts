/**
 * FusedConv2D of a one-channel image (LeNet's C1 on grey images) by the project's own WebAssembly
 * SIMD loops (`conv1ch1`…`conv1ch6` in scripts/wasm-kernels.mjs): with a single input channel
 * XNNPACK's GEMM tiles are mostly empty, and it ran C1 (30M multiply-adds at batch 256) slower
 * than C3 (61M). Vectorised over 4 adjacent output pixels instead, with the bias and a ReLU fused.
 * Everything else (strides, dilations, other activations, channels-first, several input
 * channels) goes to the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type KernelFuncArgs, type Shape4, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { backendHeapF32, CONV_1CH_BLOCK, F32, pointer, VECTOR, withScratch, type OwnFunctionName } from './own-kernels';
import { copyPaddedInput, paddedInputSize } from './padded-input';

export function makeFusedConv2D(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const bias = inputs.bias as TensorInfo | undefined;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } =
      attrs as unknown as tf.FusedConv2DAttrs;
    const [, , , inChannels] = x.shape as Shape4;
    const one = (v: number | [number, number] | undefined) =>
      v === undefined || v === 1 || (Array.isArray(v) && v[0] === 1 && v[1] === 1);
    const supported =
      inChannels === 1 &&
      (dataFormat === undefined || dataFormat === 'NHWC') &&
      one(strides) &&
      one(dilations) &&
      (activation === undefined || activation === 'linear' || activation === 'relu') &&
      !inputs.preluActivationWeights;
    if (!supported) return original(args as unknown as KernelFuncArgs);

    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      1,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
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
      splat(heap, at + wsAt, heapF32(backend, filter));
      if (bias) splat(heap, at + bsAt, heapF32(backend, bias));
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

/** Each value of `values` as a whole vector (4 copies), from `at` on. */
function splat(heap: Float32Array, at: number, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) heap.fill(values[i], at + i * VECTOR, at + (i + 1) * VECTOR);
}
