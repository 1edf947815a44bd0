/**
 * The project's own WebAssembly SIMD module (scripts/wasm-kernels.mjs, compiled into
 * ./own-kernels.wasm.ts): instantiated once per process, with its own (shared) memory, which the
 * kernels copy their inputs into (the backend's heap is not a `WebAssembly.Memory` they could
 * import). Worker threads instantiate it on the same memory: ./own-kernel-pool.ts.
 */
import type { backend_util } from '@tensorflow/tfjs';
import { OWN_KERNELS_WASM_BASE64 } from './own-kernels.wasm';

/** The slice of the WebAssembly API used here (lib ES2022 without DOM declares no WebAssembly global). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** Input channels per call of the `inputGrad${n}` functions (scripts/wasm-kernels.mjs INPUT_GRAD_BLOCKS). */
export const INPUT_GRAD_BLOCK = 6;
/** Output channels per call of the `conv1ch${n}` functions (scripts/wasm-kernels.mjs CONV_1CH_BLOCKS). */
export const CONV_1CH_BLOCK = 6;

type Block = 1 | 2 | 3 | 4 | 5 | 6;
/**
 * The module's functions; their arguments (byte pointers and sizes, all i32) are documented beside
 * their WAT in scripts/wasm-kernels.mjs. JS calls them through own-kernel-pool.ts `runParts`.
 */
export type OwnFunctionName = 'taps5' | 'taps1' | 'filterGradTasks' | `inputGrad${Block}` | `conv1ch${Block}`;

export type OwnKernels = { memory: WasmMemory } & Record<OwnFunctionName, (...args: number[]) => void>;

/** SIMD lanes the kernels work in: two f32x4 vectors. */
export const LANES = 8;
export const F32 = 4;

/** The module's memory limit in 64 KiB pages, as its WAT declares it (1 GiB, reserved not allocated). */
const MAX_PAGES = 16384;

let loaded: { module: object; memory: WasmMemory; kernels: OwnKernels } | null = null;

/** The compiled module and its shared memory (own-kernel-pool.ts instantiates it in its workers). */
export function ownModule(): { module: object; memory: WasmMemory; kernels: OwnKernels } {
  if (!loaded) {
    const { Module, Instance, Memory } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new Module(Buffer.from(OWN_KERNELS_WASM_BASE64, 'base64'));
    const memory = new Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const exports = new Instance(module, { env: { memory } }).exports as Omit<OwnKernels, 'memory'>;
    loaded = { module, memory, kernels: { ...exports, memory } };
  }
  return loaded;
}

export function ownKernels(): OwnKernels {
  return ownModule().kernels;
}

/** The module's memory grown to at least `bytes`, as a fresh view (growing detaches old ones). */
export function ownHeapF32(kernels: OwnKernels, bytes: number): Float32Array {
  const missing = bytes - kernels.memory.buffer.byteLength;
  if (missing > 0) {
    const pages = Math.ceil(missing / 65536);
    const have = kernels.memory.buffer.byteLength / 65536;
    if (have + pages > MAX_PAGES) throw new Error(`own wasm kernels: ${bytes} bytes exceed the module's 1 GiB`);
    kernels.memory.grow(pages);
  }
  return new Float32Array(kernels.memory.buffer);
}

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

/** Copy x into `heap` from float 0 as [B][paddedHeight][paddedWidth][C], x at row `top`, column `left`, zeros around. */
export function copyPaddedInput(
  heap: Float32Array,
  x: Float32Array,
  info: backend_util.Conv2DInfo,
  { paddedHeight, paddedWidth, floats }: PaddedInput,
): void {
  const { batchSize, inHeight: height, inWidth: width, inChannels: c } = info;
  const { top, left } = info.padInfo;
  heap.fill(0, 0, floats);
  const rowFloats = Math.min(width, paddedWidth - left) * c;
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < height && r + top < paddedHeight; r++) {
      const from = (b * height + r) * width * c;
      heap.set(x.subarray(from, from + rowFloats), ((b * paddedHeight + r + top) * paddedWidth + left) * c);
    }
  }
}
