/**
 * The project's own WebAssembly SIMD module (scripts/wasm-kernels.mjs, compiled into
 * ./own-kernels.wasm.ts): instantiated once per process, with its own (shared) memory, which the
 * kernels copy their inputs into (the backend's heap is not a `WebAssembly.Memory` they could
 * import). Worker threads instantiate it on the same memory: ./own-kernel-pool.ts.
 */
import { OWN_KERNELS_WASM_BASE64 } from './own-kernels.wasm';

/** The slice of the WebAssembly API used here (lib ES2022 without DOM declares no WebAssembly global). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** Conv2DBackpropFilter's inner loops (see conv-filter-grad.ts and the generator). */
export type TapsFunction = (
  x: number,
  dy: number,
  out: number,
  batch: number,
  rows: number,
  cols: number,
  xBatch: number,
  xRow: number,
  xCol: number,
  tap: number,
  dyPix: number,
) => void;

/** Conv2DBackpropInput of a stride-1 convolution for a block of input channels (see conv-input-grad.ts). */
export type InputGradFunction = (
  dy: number,
  w: number,
  out: number,
  firstChannel: number,
  batch: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
  filterHeight: number,
  filterWidth: number,
  top: number,
  left: number,
  coVectors: number,
  inChannels: number,
) => void;

/** Input channels per call of the `inputGrad${n}` functions (scripts/wasm-kernels.mjs INPUT_GRAD_BLOCKS). */
export const INPUT_GRAD_BLOCK = 6;

/** A one-channel stride-1 convolution with bias (and ReLU) for a block of output channels (see conv-1ch.ts). */
export type Conv1chFunction = (
  x: number,
  splatWeights: number,
  splatBias: number,
  out: number,
  firstChannel: number,
  batch: number,
  outHeight: number,
  outWidth: number,
  paddedHeight: number,
  paddedWidth: number,
  filterHeight: number,
  filterWidth: number,
  outChannels: number,
  relu: number,
) => void;

/** Output channels per call of the `conv1ch${n}` functions (scripts/wasm-kernels.mjs CONV_1CH_BLOCKS). */
export const CONV_1CH_BLOCK = 6;

export interface OwnKernels {
  memory: WasmMemory;
  taps5: TapsFunction;
  taps1: TapsFunction;
  filterGradTasks: (...args: number[]) => void;
  inputGrad1: InputGradFunction;
  inputGrad2: InputGradFunction;
  inputGrad3: InputGradFunction;
  inputGrad4: InputGradFunction;
  inputGrad5: InputGradFunction;
  inputGrad6: InputGradFunction;
  conv1ch1: Conv1chFunction;
  conv1ch2: Conv1chFunction;
  conv1ch3: Conv1chFunction;
  conv1ch4: Conv1chFunction;
  conv1ch5: Conv1chFunction;
  conv1ch6: Conv1chFunction;
}

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

export interface PaddedLayout {
  /** x's shape [B, H, W, C]. */
  shape: [number, number, number, number];
  top: number;
  left: number;
  paddedHeight: number;
  paddedWidth: number;
}

/**
 * Copy x into `heap` from float 0 with its zero padding: [B][paddedHeight][paddedWidth][C], x at
 * row `top`, column `left` (rows and columns of x past the padded size are not copied: a strided
 * valid convolution never reads them). Returns the floats written.
 */
export function copyPaddedImages(heap: Float32Array, x: Float32Array, layout: PaddedLayout): number {
  const [batch, height, width, c] = layout.shape;
  const { top, left, paddedHeight, paddedWidth } = layout;
  const floats = batch * paddedHeight * paddedWidth * c;
  heap.fill(0, 0, floats);
  const rowFloats = Math.min(width, paddedWidth - left) * c;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < height && r + top < paddedHeight; r++) {
      const from = (b * height + r) * width * c;
      heap.set(x.subarray(from, from + rowFloats), ((b * paddedHeight + r + top) * paddedWidth + left) * c);
    }
  }
  return floats;
}
