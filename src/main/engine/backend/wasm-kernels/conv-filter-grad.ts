/**
 * Conv2DBackpropFilter on wasm, computed directly by the project's own WebAssembly SIMD loops
 * (scripts/wasm-kernels.mjs; loaded by ./own-kernels.ts):
 *
 *   dW[kh,kw,c,co] = Σ_{b,oh,ow} x[b, oh·sh+kh−top, ow·sw+kw−left, c] · dy[b,oh,ow,co]
 *
 * Formulating this as an XNNPACK convolution (what this kernel replaced) makes dy the filter, and
 * XNNPACK transposes and packs a new filter at every call: for LeNet's first layer at batch 256
 * that is 1.2M floats packed per step, costing twice the GEMM itself. Here nothing is packed: x is
 * copied once with its zero padding (so no loop tests bounds), dy is copied as is, and each dy
 * vector loaded serves five filter columns from registers.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, requireChannelsLast, type Shape4, type TensorInfo, type WasmKernelArgs } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { copyPaddedInput, F32, LANES, ownHeapF32, ownKernels, paddedInputSize } from './own-kernels';

/**
 * Images per call. Each call sums from zero and the partial sums are added in float64, so a sum
 * over 200k products is never one long float32 chain; 32 LeNet images of dy (≤ 1.2 MB) also stay
 * in the L2 cache across the calls for the other filter rows.
 */
const BATCH_CHUNK = 32;

export function conv2DBackpropFilter(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  requireChannelsLast(dataFormat, 'Conv2DBackpropFilter');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, filterHeight: kh, filterWidth: kw, inChannels: c, outChannels: co } = info;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  // The padded input (zeros outside x), so no loop tests bounds.
  const padded = paddedInputSize(info);
  const { paddedHeight, paddedWidth } = padded;
  const groups = Math.ceil(co / LANES);

  // Layout of the module's memory: padded x | dy (+ one group of slack: the last pixel's vectors
  // read past co, into lanes that are dropped) | per-call sums [kh][c][group][kw][8].
  const dyFloats = batchSize * outHeight * outWidth * co;
  const sumFloats = kh * c * groups * kw * LANES;
  const dyAt = padded.floats;
  const sumAt = dyAt + dyFloats + LANES;
  const wasm = ownKernels();
  const heap = ownHeapF32(wasm, (sumAt + sumFloats) * F32);

  copyPaddedInput(heap, heapF32(backend, x), info, padded);
  heap.set(heapF32(backend, dy), dyAt);
  heap.fill(0, dyAt + dyFloats, sumAt);

  const xBatch = paddedHeight * paddedWidth * c * F32;
  const xRow = strideHeight * paddedWidth * c * F32;
  const xCol = strideWidth * c * F32;
  const tap = c * F32;
  const dyPix = co * F32;
  const dyImage = outHeight * outWidth * dyPix;
  const total = new Float64Array(sumFloats);
  const tasks = splitRange(kh * c, ownKernelThreads());
  for (let b0 = 0; b0 < batchSize; b0 += BATCH_CHUNK) {
    const images = Math.min(BATCH_CHUNK, batchSize - b0);
    heap.fill(0, sumAt, sumAt + sumFloats);
    // Tasks (filter row, input channel) write disjoint sums: split across our kernels' threads.
    runParts(
      'filterGradTasks',
      tasks.map(([t0, count]) => [
        b0 * xBatch,
        dyAt * F32 + b0 * dyImage,
        sumAt * F32,
        t0,
        t0 + count,
        c,
        groups,
        kw,
        paddedWidth,
        images,
        outHeight,
        outWidth,
        xBatch,
        xRow,
        xCol,
        tap,
        dyPix,
      ]),
    );
    for (let i = 0; i < sumFloats; i++) total[i] += heap[sumAt + i];
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
