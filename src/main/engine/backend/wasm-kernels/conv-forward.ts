/**
 * FusedConv2D (a conv layer's forward pass, with its bias) on wasm by the project's own SIMD loops,
 * for stride-1, undilated, channels-last convolutions:
 * - one input channel (a first layer on grey images): `conv1ch` (./conv-1ch.ts), with a ReLU fused;
 * - several (LeNet's C3): `matMulRows` (./matmul.ts) reading the input in place as a matrix of
 *   output pixels × filter taps (no patches copied), rows split across our threads. Without an
 *   activation only: the model's activations are layers of their own.
 * The shipped kernel (XNNPACK) takes every other case. With all of a step's large products in our
 * pool, XNNPACK can stay on one thread: its pool's workers spin for about a millisecond after each
 * parallel operation, on the cores ours need (../wasm-threads.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { oneChannelConv } from './conv-1ch';
import type { KernelFuncArgs, Shape4, TensorInfo, WasmKernelArgs } from './kernel-utils';
import { multiplyInto } from './matmul';
import { F32, pointer, withScratch } from './own-kernels';
import { copyPaddedInput, paddedInputSize } from './padded-input';

export function makeFusedConv2D(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const bias = inputs.bias as TensorInfo | undefined;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } =
      attrs as unknown as tf.FusedConv2DAttrs;
    const one = (v: number | [number, number] | undefined) =>
      v === undefined || v === 1 || (Array.isArray(v) && v[0] === 1 && v[1] === 1);
    const linear = activation === undefined || activation === 'linear';
    const float32 = [x, filter, ...(bias ? [bias] : [])].every((t) => t.dtype === 'float32');
    const [, , , inChannels] = x.shape as Shape4;
    const supported =
      float32 &&
      (dataFormat === undefined || dataFormat === 'NHWC') &&
      one(strides) &&
      one(dilations) &&
      (linear || (inChannels === 1 && activation === 'relu')) &&
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
    if (bias && tf.util.sizeFromShape(bias.shape) !== info.outChannels)
      return original(args as unknown as KernelFuncArgs);
    if (tf.util.sizeFromShape(info.outShape) === 0) return original(args as unknown as KernelFuncArgs);
    return inChannels === 1
      ? oneChannelConv(backend, { x, filter, bias }, info, activation === 'relu')
      : convAsProduct(backend, { x, filter, bias }, info);
  }) as unknown as tf.KernelFunc;
}

/**
 * y[b, oh, ow, ·] = bias + Σ_{kh, kw, c} x[b, oh+kh, ow+kw, c] · W[kh, kw, c, ·] (x zero-padded
 * first if the convolution pads) as one product: rows are output pixels, in images of OH·OW and
 * groups (output rows) of OW; k runs over the KH filter rows, each KW·C floats contiguous in x.
 */
function convAsProduct(
  backend: BackendWasm,
  { x, filter, bias }: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo },
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, filterHeight: kh, filterWidth: kw, inChannels: c, outChannels, outHeight, outWidth } = info;
  const y = backend.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32');
  const { top, left } = info.padInfo;
  const padding = top > 0 || left > 0 || info.padInfo.bottom > 0 || info.padInfo.right > 0;
  const padded = paddedInputSize(info);
  const [height, width] = padding ? [padded.paddedHeight, padded.paddedWidth] : [info.inHeight, info.inWidth];
  withScratch(backend, padding ? padded.floats : 0, (at) => {
    if (padding) copyPaddedInput(backend, at, x, info, padded);
    const xAddress = padding ? at * F32 : pointer(backend, x);
    const rowBytes = width * c * F32;
    const layout = {
      perImage: outHeight * outWidth,
      perGroup: outWidth,
      aImage: height * rowBytes,
      aGroup: rowBytes,
      aRow: c * F32,
      kGroups: kh,
      kGroup: kw * c,
      aKGroup: rowBytes,
      aK: F32,
    };
    multiplyInto(backend, y, xAddress, layout, batchSize * outHeight * outWidth, {
      b: filter,
      transposeB: false,
      n: outChannels,
      bias,
    });
  });
  return y;
}
