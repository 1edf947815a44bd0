/**
 * Conv2DBackpropInput on wasm: the project's own SIMD loop, or XNNPACK's DepthwiseConv2dNative for
 * one input channel; the shipped kernel is a scalar loop. (The shipped backend has no
 * Conv2DBackpropFilter: see conv-filter-grad.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  callKernel,
  cropLeading,
  dispose,
  explicitPad,
  heapF32,
  holds,
  backwardConvInfo,
  type KernelFuncArgs,
  type Shape4,
  type TensorInfo,
  type WasmKernelArgs,
} from './kernel-utils';
import { strideOneInputGrad } from './conv-input-grad';

/**
 * Insert (s−1) zeros between the rows/columns of dy, so a strided backward pass becomes a
 * stride-1 convolution.
 */
function dilateSpatial(backend: BackendWasm, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [b, oh, ow, c] = dy.shape as Shape4;
  const dh = (oh - 1) * sh + 1;
  const dw = (ow - 1) * sw + 1;
  const out = backend.makeOutput([b, dh, dw, c], 'float32');
  const src = heapF32(backend, dy);
  const dst = heapF32(backend, out);
  dst.fill(0);
  for (let n = 0; n < b; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        const s = ((n * oh + r) * ow + q) * c;
        dst.set(src.subarray(s, s + c), ((n * dh + r * sh) * dw + q * sw) * c);
      }
    }
  }
  return out;
}

/**
 * What both routes assume, checked before any address is computed: dy [B,OH,OW,CO] and the filter
 * [KH,KW,C,CO] float32 and holding their shapes' elements, dy exactly the output of the forward
 * convolution of an input of `inputShape` [B,H,W,C] (tfjs's conv2dTranspose does not check this:
 * given a larger dy, the shipped kernel reads only the rows and columns a convolution would have
 * made, which is what the cpu backend does too), channels-last, no dilation, padding ≥ 0. Then
 * dy dilated by the stride is [B,(OH−1)·sh+1,(OW−1)·sw+1,CO], every tap read is bounded by it
 * (inputGrad's per-row and per-column ranges; the depthwise route's padding is computed from
 * it), and dx is written as [B,H,W,C], its own shape. Anything else goes to the shipped kernel.
 */
function supportedInfo(args: WasmKernelArgs): tf.backend_util.Conv2DInfo | null {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') return null;
  if (!holds(backend, dy, 'float32', 4) || !holds(backend, filter, 'float32', 4) || inputShape?.length !== 4) {
    return null;
  }
  return backwardConvInfo(inputShape as Shape4, filter.shape as Shape4, dy, { strides, pad, dimRoundingMode });
}

/**
 * dx from dy dilated by the stride, so every case is a stride-1 one:
 * dx[ih] = Σ_kh dyd[ih + top − kh] · W[kh]. Several input channels: the project's own loop
 * (conv-input-grad.ts). One input channel (a first layer on grey images): a depthwise
 * convolution (below). Wraps the shipped kernel (a scalar loop), which still serves what
 * `supportedInfo` refuses and a one-channel layer padded wider than its filter.
 */
export function makeConv2DBackpropInput(original: tf.KernelFunc): tf.KernelFunc {
  return ((args: WasmKernelArgs) => {
    const { inputs, backend } = args;
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const info = supportedInfo(args);
    if (!info) return original(args as unknown as KernelFuncArgs);
    const { batchSize, filterHeight: kh, filterWidth: kw, inChannels, inHeight, inWidth } = info;
    const { strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    const padTop = kh - 1 - top;
    const padLeft = kw - 1 - left;
    const singleChannel = inChannels === 1;
    if (singleChannel && (padTop < 0 || padLeft < 0)) return original(args as unknown as KernelFuncArgs);

    const strided = sh > 1 || sw > 1;
    const dyd = strided ? dilateSpatial(backend, dy, sh, sw) : dy;
    const dxShape: Shape4 = [batchSize, inHeight, inWidth, inChannels];
    let dx: TensorInfo;
    if (singleChannel) {
      const [, dh, dw] = dyd.shape as Shape4;
      const padBottom = inHeight - dh - padTop + kh - 1;
      const padRight = inWidth - dw - padLeft + kw - 1;
      const padding = explicitPad(padTop, Math.max(0, padBottom), padLeft, Math.max(0, padRight));
      const conv = singleChannelBackpropInput(backend, dyd, filter, padding);
      dx = cropLeading(backend, conv, dxShape);
      dispose(backend, conv);
    } else {
      dx = strideOneInputGrad(backend, dyd, filter, { inputShape: dxShape, top, left });
    }
    if (strided) dispose(backend, dyd);
    return dx;
  }) as unknown as tf.KernelFunc;
}

/**
 * With one input channel (a first layer on grey images) the full convolution has a single output
 * channel, which wastes ⅞ of XNNPACK's 8-wide GEMM tiles. Instead: a depthwise convolution of dy
 * with the flipped filter (one 2-D filter per output channel co), then a sum over co.
 * (tfjs's fused conv2d computes this gradient even for the model input, so it is on the hot path.)
 */
function singleChannelBackpropInput(
  backend: BackendWasm,
  dyd: TensorInfo,
  filter: TensorInfo,
  padding: tf.backend_util.ExplicitPadding,
): TensorInfo {
  const [kh, kw, , co] = filter.shape as Shape4;
  const flipped = backend.makeOutput([kh, kw, co, 1], 'float32');
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, flipped);
  for (let r = 0; r < kh; r++) {
    for (let q = 0; q < kw; q++) {
      const s = ((kh - 1 - r) * kw + (kw - 1 - q)) * co;
      dst.set(src.subarray(s, s + co), (r * kw + q) * co);
    }
  }
  const perChannel = callKernel(
    backend,
    'DepthwiseConv2dNative',
    { x: dyd, filter: flipped },
    { strides: [1, 1], pad: padding, dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined },
  ); // [B, H', W', CO]
  dispose(backend, flipped);
  const summed = callKernel(backend, 'Sum', { x: perChannel }, { axis: [3], keepDims: true });
  dispose(backend, perChannel);
  return summed;
}
