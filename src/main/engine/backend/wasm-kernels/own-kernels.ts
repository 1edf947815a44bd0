/**
 * The project's own WebAssembly SIMD module (scripts/wasm-kernels.mjs, compiled into
 * ./own-kernels.wasm.ts): instantiated once per process, with its own memory, which the kernels
 * copy their inputs into (the backend's heap is not a `WebAssembly.Memory` they could import).
 */
import { OWN_KERNELS_WASM_BASE64 } from './own-kernels.wasm';

/** The slice of the WebAssembly API used here (lib ES2022 without DOM declares no WebAssembly global). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
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

let instance: OwnKernels | null = null;

export function ownKernels(): OwnKernels {
  if (!instance) {
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const bytes = Buffer.from(OWN_KERNELS_WASM_BASE64, 'base64');
    instance = new Instance(new Module(bytes)).exports as OwnKernels;
  }
  return instance;
}

/** The module's memory grown to at least `bytes`, as a fresh view (growing detaches old ones). */
export function ownHeapF32(kernels: OwnKernels, bytes: number): Float32Array {
  const missing = bytes - kernels.memory.buffer.byteLength;
  if (missing > 0) kernels.memory.grow(Math.ceil(missing / 65536));
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
