/**
 * The project's own WebAssembly SIMD module (scripts/wasm-kernels.mjs, compiled into
 * ./own-kernels.wasm.ts), instantiated on the wasm backend's own memory: the kernels read the
 * backend's tensors and write its outputs in place, and what they need besides (a padded copy, a
 * sum) is scratch on the backend's heap (`withScratch`). Copying in and out of a memory of our own
 * cost as much as the arithmetic on LeNet's C1. Worker threads instantiate it on the same (shared)
 * memory: ./own-kernel-pool.ts.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from './kernel-utils';
import { OWN_KERNELS_PLAIN_WASM_BASE64, OWN_KERNELS_SHARED_WASM_BASE64 } from './own-kernels.wasm';

/** The slice of the WebAssembly API used here (lib ES2022 without DOM declares no WebAssembly global). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Input channels per call of the `inputGrad${n}` functions (scripts/wasm-kernels.mjs INPUT_GRAD_BLOCKS). */
export const INPUT_GRAD_BLOCK = 6;
/** Output channels per call of the `conv1ch${n}` functions (scripts/wasm-kernels.mjs CONV_1CH_BLOCKS). */
export const CONV_1CH_BLOCK = 6;

type Block = 1 | 2 | 3 | 4 | 5 | 6;
/**
 * The module's functions; their arguments (byte pointers and sizes, all i32, but adamStep's
 * float32 constants) are documented beside their WAT in scripts/wasm-kernels.mjs. JS calls them
 * through own-kernel-pool.ts `runParts` (adamStep directly: a worker takes i32 arguments only).
 */
export type OwnFunctionName =
  | 'taps5'
  | 'taps1'
  | 'filterGradTasks'
  | 'filterGradChunks'
  | 'padImages'
  | 'sumRowChunks'
  | 'avgPoolGradTiles'
  | 'adamStep'
  | 'sigmoidGrad'
  | `inputGrad${Block}`
  | `conv1ch${Block}`;

export type OwnKernels = Record<OwnFunctionName, (...args: number[]) => void>;

/** Floats in one f32x4 vector. */
export const VECTOR = 4;
/** SIMD lanes the filter gradient works in: two f32x4 vectors. */
export const LANES = 2 * VECTOR;
export const F32 = 4;

export interface OwnModule {
  module: object;
  /** The backend's memory, which the instance imports. */
  memory: WasmMemory;
  /** Whether that memory is shared (the threaded build), so that worker threads can use it too. */
  shared: boolean;
  kernels: OwnKernels;
}

let loaded: OwnModule | null = null;

/** The backend's memory: the threaded build keeps it as `wasmMemory`, the unthreaded one exports it. */
function backendMemory(backend: BackendWasm): WasmMemory {
  const wasm = backend.wasm as unknown as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!memory) throw new Error('own wasm kernels: the wasm backend exposes no memory to run on (a tfjs upgrade?)');
  return memory;
}

/** Our module instantiated on `backend`'s memory (once per backend). */
export function ownModule(backend: BackendWasm): OwnModule {
  const memory = backendMemory(backend);
  if (loaded?.memory !== memory) {
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const bytes = shared ? OWN_KERNELS_SHARED_WASM_BASE64 : OWN_KERNELS_PLAIN_WASM_BASE64;
    const module = new Module(Buffer.from(bytes, 'base64'));
    const kernels = new Instance(module, { env: { memory } }).exports as OwnKernels;
    loaded = { module, memory, shared, kernels };
  }
  return loaded;
}

/** The whole backend heap as floats: a fresh view (take it again after anything allocates). */
export function backendHeapF32(backend: BackendWasm): Float32Array {
  return new Float32Array(backendMemory(backend).buffer);
}

/** A tensor's byte address on the backend's heap, as the module's functions take it. */
export function pointer(backend: BackendWasm, t: TensorInfo): number {
  return (backend.typedArrayFromHeap(t) as Float32Array).byteOffset;
}

/**
 * `floats` of scratch on the backend's heap (its malloc, so nothing else is handed the same
 * bytes) for as long as `use` runs, freed after it even when it throws. `use` gets the scratch's
 * first float index, and takes its heap views after this allocation.
 */
export function withScratch<T>(backend: BackendWasm, floats: number, use: (at: number) => T): T {
  const wasm = backend.wasm as unknown as { _malloc(bytes: number): number; _free(ptr: number): void };
  const bytes = Math.max(1, floats) * F32;
  const address = wasm._malloc(bytes);
  if (!address) throw new Error(`own wasm kernels: the wasm heap has no room for ${bytes} bytes of scratch`);
  try {
    return use(address / F32);
  } finally {
    wasm._free(address);
  }
}
