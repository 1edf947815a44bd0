/**
 * A convolution's input with its zero padding, copied once so that no kernel loop tests bounds:
 * its size, and the copy (on the backend's heap, by our module's `padImages`).
 */
import type { backend_util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from './kernel-utils';
import { ownKernelThreads, runParts, splitRange } from './own-kernel-pool';
import { F32, pointer } from './own-kernels';

/** A convolution input with its zero padding: every row and column the forward windows read. */
export interface PaddedInput {
  paddedHeight: number;
  paddedWidth: number;
  /** B · paddedHeight · paddedWidth · C. */
  floats: number;
}

/**
 * The padded size of `info`'s input. `widthMultiple` rounds the output columns up to whole vectors
 * (a kernel that computes 4 adjacent outputs at once reads that far). A strided valid convolution
 * may never read x's last rows or columns: they are left out.
 */
export function paddedInputSize(info: backend_util.Conv2DInfo, widthMultiple = 1): PaddedInput {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const columns = Math.ceil(outWidth / widthMultiple) * widthMultiple;
  const paddedHeight = Math.max(inHeight + top, (outHeight - 1) * strideHeight + filterHeight);
  const paddedWidth = Math.max(inWidth + left, (columns - 1) * strideWidth + filterWidth);
  return { paddedHeight, paddedWidth, floats: info.batchSize * paddedHeight * paddedWidth * info.inChannels };
}

/**
 * Copy x to the backend's heap from float `at` as [B][paddedHeight][paddedWidth][C], x at row
 * `top`, column `left`, zeros around (`padImages`, with the images split across our threads).
 */
export function copyPaddedInput(
  backend: BackendWasm,
  at: number,
  x: TensorInfo,
  info: backend_util.Conv2DInfo,
  { paddedHeight, paddedWidth }: PaddedInput,
): void {
  const { batchSize, inHeight, inWidth, inChannels } = info;
  const { top, left } = info.padInfo;
  const source = pointer(backend, x);
  runParts(
    backend,
    'padImages',
    splitRange(batchSize, ownKernelThreads()).map(([b0, count]) => [
      source,
      at * F32,
      b0,
      count,
      inHeight,
      inWidth,
      inChannels,
      paddedHeight,
      paddedWidth,
      top,
      left,
    ]),
  );
}
