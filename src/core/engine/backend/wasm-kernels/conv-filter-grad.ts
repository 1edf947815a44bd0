/**
 * Conv2DBackpropFilter on wasm, computed directly by the project's own WebAssembly SIMD loops
 * (scripts/wasm-kernels.mjs; loaded by ./own-kernels.ts):
 *
 *   dW[kh,kw,c,co] = Σ_{b,oh,ow} x[b, oh·sh+kh−top, ow·sw+kw−left, c] · dy[b,oh,ow,co]
 *
 * Formulating this as an XNNPACK convolution (what this kernel replaced) makes dy the filter, and
 * XNNPACK transposes and packs a new filter at every call: for LeNet's first layer at batch 256
 * that is 1.2M floats packed per step, costing twice the GEMM itself. Here nothing is packed: x is
 * copied once with its zero padding (so no loop tests bounds), dy is read in place, and each dy
 * vector loaded serves five filter columns from registers.
 */
import * as tf from '@tensorflow/tfjs';
import {
  handOff,
  heapF32,
  holds,
  backwardConvInfo,
  type Shape4,
  type TensorInfo,
  type WasmKernelArgs,
} from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { backendHeapF32, F32, LANES, pointer, withScratch } from './own-kernels';
import { copyPaddedInput, paddedInputSize } from './padded-input';

/**
 * Images per chunk. Each chunk sums from zero into sums of its own and the chunks' sums are added
 * in float64, so a sum over 200k products is never one long float32 chain, and threads can take
 * ranges of chunks without changing the result; 32 LeNet images of dy (≤ 1.2 MB) also stay in the
 * L2 cache across the calls for the other filter rows.
 */
const BATCH_CHUNK = 32;

/**
 * What the loops assume, checked before any address is computed: x [B,H,W,C] and dy
 * [B,OH,OW,CO] float32 and holding their shapes' elements, dy exactly the forward convolution's
 * output for x and a [KH,KW,C,CO] filter, channels-last, no dilation, padding ≥ 0. Then the
 * padded copy of x covers every row and column a window reads (./padded-input.ts), dy's pixels
 * are read in place up to its last element (the last chunk from a copy with a group of slack),
 * and the sums have a scratch area of their own. The shipped backend has no Conv2DBackpropFilter
 * to hand anything else to: other calls throw, saying what is supported.
 */
function supportedInfo(args: WasmKernelArgs): tf.backend_util.Conv2DInfo | null {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') return null;
  if (!holds(backend, x, 'float32', 4) || !holds(backend, dy, 'float32', 4) || filterShape?.length !== 4) return null;
  return backwardConvInfo(x.shape as Shape4, filterShape as Shape4, dy, { strides, pad, dimRoundingMode });
}

export function conv2DBackpropFilter(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const info = supportedInfo(args);
  if (!info) {
    const { dataFormat } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const format = dataFormat !== undefined && dataFormat !== 'NHWC' ? `, got ${dataFormat}` : '';
    const needs =
      `NHWC (channels-last)${format}; float32 x [B,H,W,C] and dy [B,OH,OW,CO], dy the convolution's output ` +
      `for x and the filter [KH,KW,C,CO], padding ≥ 0 (got x [${x.shape}], dy [${dy.shape}])`;
    return handOff(undefined, args, 'Conv2DBackpropFilter', needs) as TensorInfo;
  }
  const { batchSize, filterHeight: kh, filterWidth: kw, inChannels: c, outChannels: co } = info;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  const padded = paddedInputSize(info);
  const groups = Math.ceil(co / LANES);
  const chunks = Math.ceil(batchSize / BATCH_CHUNK);

  // Scratch: padded x | when co is not whole 8-lane groups, the last chunk's dy with one group of
  // slack after it (its last pixel's vectors read past co, into lanes that are dropped, and so
  // past dy; every other chunk's dy is read in place) | each chunk's sums [kh][c][group][kw][8].
  const lastImages = batchSize - (chunks - 1) * BATCH_CHUNK;
  const dyImage = outHeight * outWidth * co;
  const copyLastDy = co % LANES !== 0;
  const sumFloats = kh * c * groups * kw * LANES;
  const lastDyAt = padded.floats;
  const sumAt = lastDyAt + (copyLastDy ? lastImages * dyImage + LANES : 0);
  const total = new Float64Array(sumFloats);
  if (batchSize > 0) {
    withScratch(backend, sumAt + chunks * sumFloats, (at) => {
      copyPaddedInput(backend, at, x, info, padded);
      const heap = backendHeapF32(backend);
      const dyAddress = pointer(backend, dy);
      let lastDyAddress = dyAddress + (batchSize - lastImages) * dyImage * F32;
      if (copyLastDy) {
        heap.set(heapF32(backend, dy).subarray((batchSize - lastImages) * dyImage), at + lastDyAt);
        heap.fill(0, at + lastDyAt + lastImages * dyImage, at + sumAt);
        lastDyAddress = (at + lastDyAt) * F32;
      }
      runParts(
        backend,
        'filterGradChunks',
        splitRange(chunks, ownKernelThreads()).map(([k0, count]) => [
          at * F32,
          dyAddress,
          lastDyAddress,
          (at + sumAt) * F32,
          sumFloats * F32,
          k0,
          k0 + count,
          batchSize,
          BATCH_CHUNK,
          kh * c,
          c,
          groups,
          kw,
          padded.paddedWidth,
          outHeight,
          outWidth,
          padded.paddedHeight * padded.paddedWidth * c * F32,
          strideHeight * padded.paddedWidth * c * F32,
          strideWidth * c * F32,
          c * F32,
          co * F32,
        ]),
      );
      for (let k = 0; k < chunks; k++) {
        const chunkAt = at + sumAt + k * sumFloats;
        for (let i = 0; i < sumFloats; i++) total[i] += heap[chunkAt + i];
      }
    });
  }

  const dW = backend.makeOutput([kh, kw, c, co], 'float32');
  const out = heapF32(backend, dW);
  let o = 0;
  for (let row = 0; row < kh; row++) {
    for (let col = 0; col < kw; col++) {
      for (let ch = 0; ch < c; ch++) {
        for (let k = 0; k < co; k++) {
          out[o++] = total[(((row * c + ch) * groups + Math.floor(k / LANES)) * kw + col) * LANES + (k % LANES)];
        }
      }
    }
  }
  return dW;
}
