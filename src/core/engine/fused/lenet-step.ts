/**
 * The fused LeNet-5 training step (./lenet-step.c, compiled into ./lenet-step.wasm.ts): forward,
 * backward and Adam for the whole network in two calls into one WebAssembly SIMD module, on its own
 * memory, instead of tfjs's ~150 kernel calls per step. Parameters, gradients and Adam moments are
 * flat buffers there, each tensor in tfjs's layout and `model.trainableWeights` order, so the
 * tfjs model and optimizer are synchronised by copies (./step-runner.ts does it at epoch ends).
 */
import type { Hyperparams, ModelOptions } from '../../../shared/hyperparams';
import { adamConstants, type AdamStepAttrs } from '../backend';
import { LENET_STEP_WASM_BASE64 } from './lenet-step.wasm';

/** Shapes of the parameters the module holds, in its (and tfjs's trainableWeights') order. */
export const FUSED_PARAMETER_SHAPES: readonly (readonly number[])[] = [
  [5, 5, 1, 6],
  [6],
  [5, 5, 6, 16],
  [16],
  [400, 120],
  [120],
  [120, 84],
  [84],
  [84, 10],
  [10],
];
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** The module's layer widths, as its biases' lengths: C1, C3, C5 and F6 (the seed's 6, 16, 120, 84). */
const FUSED_WIDTHS = [1, 3, 5, 7].map((i) => FUSED_PARAMETER_SHAPES[i][0]);

/** Codes of lenet-step.c's `configure`. */
const ACTIVATION_CODE = { none: 0, sigmoid: 1, tanh: 2, relu: 3 } as const;
const POOL_CODE = { avg: 0, max: 1 } as const;

/** What of a run decides whether the fused step can train it. */
export type FusedStepConfig = Pick<Hyperparams, 'model' | 'optimizer' | 'augmentShift' | 'augmentFlip'>;

/** Why the fused step cannot train this configuration (its network and optimizer), or null when it can. */
export function fusedStepRefusal(config: FusedStepConfig): string | null {
  const { model } = config;
  if (model.architecture !== 'lenet5') return 'the 1998 network (the fused step has the LeNet-5 builder’s layers)';
  if (config.optimizer !== 'adam') return `the ${config.optimizer} optimizer (the fused step has Adam)`;
  if (config.augmentShift > 0 || config.augmentFlip !== 'none') return 'augmentation (the fused step has none)';
  if (model.inputSize !== 28) return `input size ${model.inputSize} (the fused step has the 28×28, padded-C1 network)`;
  if (model.c5 !== 'dense') return 'C5 as a convolution (the fused step has C5 as a dense layer)';
  const widths = [model.c1Maps, model.c3Maps, model.c5Units, model.f6Units];
  if (widths.join() !== FUSED_WIDTHS.join())
    return `widths ${widths.join(', ')} (the fused step has the seed's ${FUSED_WIDTHS.join(', ')})`;
  if (model.batchNorm !== 'none') return 'batch normalisation (the fused step has none)';
  if (model.dropout > 0) return 'dropout (the fused step has none)';
  return null;
}

/**
 * How a configuration's steps are computed on wasm, for keys of measured speeds (backend/choice.ts):
 * a new version of the fused step changes its speed, so its answers are measured again.
 */
export function wasmStepKind(config: FusedStepConfig): string {
  return fusedStepRefusal(config) === null ? 'fused step v1' : 'tfjs step';
}

interface Exports {
  memory: { buffer: ArrayBuffer };
  param_buffer(): number;
  grad_buffer(): number;
  m_buffer(): number;
  v_buffer(): number;
  input_buffer(): number;
  label_buffer(): number;
  pixel_table(): number;
  max_batch(): number;
  param_count(): number;
  correct_count(): number;
  margin_buffer(): number;
  configure(conv: number, pool: number, dense: number, smoothing: number): number;
  forward_backward(n: number): number;
  adam(
    b1: number,
    oneMinusB1: number,
    b2: number,
    oneMinusB2: number,
    c1: number,
    c2: number,
    eps: number,
    negLr: number,
    lambda: number,
  ): void;
}

/** The slice of the WebAssembly API used here (lib ES2022 without DOM declares no WebAssembly global). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

let compiled: object | null = null;

/** One Adam step's settings: tfjs's AdamOptimizer's, and λ added as λ·w to kernels' gradients (not biases'). */
export type AdamStepConstants = AdamStepAttrs & { weightDecay: number };

/** A step's gradients' figures; `margins` [2, size] flattened (margins.ts's marginRows). */
export interface StepGradients {
  loss: number;
  correct: number;
  margins: Float32Array;
}

/** What a training loop asks of a fused step: one thread's (LeNetStep) or two's (split-step.ts). */
export type StepComputer = Pick<LeNetStep, 'gradients' | 'adam'>;

/** One instance: its own memory, parameters, gradients and Adam moments. */
export class LeNetStep {
  private readonly wasm: Exports;
  /** Views on the module's memory (it never grows: all buffers are static). */
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  private readonly inputs: Uint8Array;
  private readonly labels: Int32Array;
  readonly maxBatch: number;
  /** `configure`'s codes for this network and loss (a second instance is configured the same). */
  readonly codes: { conv: number; pool: number; dense: number; smoothing: number };

  /** The compiled module, compiled once per process (a worker instantiates it again). */
  static module(): object {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    compiled ??= new api.Module(Buffer.from(LENET_STEP_WASM_BASE64, 'base64'));
    return compiled;
  }

  /** @param labelSmoothing ε of the targets the gradients are taken against (0 to 0.5). */
  constructor(model: ModelOptions, labelSmoothing = 0) {
    const refusal = fusedStepRefusal({ model, optimizer: 'adam', augmentShift: 0, augmentFlip: 'none' });
    if (refusal) throw new Error(`the fused LeNet step cannot train this network: ${refusal}`);
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    this.wasm = new api.Instance(LeNetStep.module(), {}).exports as Exports;
    const w = this.wasm;
    const count = w.param_count();
    const floats = (at: number, n: number) => new Float32Array(w.memory.buffer, at, n);
    this.params = floats(w.param_buffer(), count);
    this.grads = floats(w.grad_buffer(), count);
    this.m = floats(w.m_buffer(), count);
    this.v = floats(w.v_buffer(), count);
    this.maxBatch = w.max_batch();
    this.inputs = new Uint8Array(w.memory.buffer, w.input_buffer(), this.maxBatch * 784);
    this.labels = new Int32Array(w.memory.buffer, w.label_buffer(), this.maxBatch);
    // The input tensor's float32 of each byte: byte / 255 in float64, rounded (data-tensors.ts).
    floats(w.pixel_table(), 256).set(Array.from({ length: 256 }, (_, b) => b / 255));
    this.codes = {
      conv: ACTIVATION_CODE[model.convActivation],
      pool: POOL_CODE[model.pooling],
      dense: ACTIVATION_CODE[model.denseActivation],
      smoothing: labelSmoothing,
    };
    const code = w.configure(this.codes.conv, this.codes.pool, this.codes.dense, this.codes.smoothing);
    if (code !== 0)
      throw new Error(`the fused LeNet step refused its configuration (label smoothing ${labelSmoothing})`);
    if (count !== FUSED_PARAMETER_SHAPES.reduce((n, s) => n + sizeOf(s), 0)) {
      throw new Error(`the fused LeNet step holds ${count} parameters, not LeNet-5's`);
    }
  }

  /** The parameter tensors' ranges in the flat buffers, in trainableWeights order. */
  static ranges(): { offset: number; size: number }[] {
    let offset = 0;
    return FUSED_PARAMETER_SHAPES.map((shape) => {
      const size = sizeOf(shape);
      const range = { offset, size };
      offset += size;
      return range;
    });
  }

  /**
   * Gradients of the mean cross-entropy over images `order[start … start+size)` of `images`
   * (28×28 bytes each) into `grads`; returns that mean, the number predicted right and the
   * batch's margin rows ([2, size] flattened, as margins.ts's marginRows).
   */
  gradients(
    images: Uint8Array,
    labels: ArrayLike<number>,
    order: ArrayLike<number>,
    start: number,
    size: number,
  ): StepGradients {
    if (size < 1 || size > this.maxBatch)
      throw new Error(`a fused step takes 1 to ${this.maxBatch} images, not ${size}`);
    for (let i = 0; i < size; i++) {
      const index = order[start + i];
      this.inputs.set(images.subarray(index * 784, index * 784 + 784), i * 784);
      this.labels[i] = labels[index];
    }
    const loss = this.wasm.forward_backward(size);
    const margins = new Float32Array(this.wasm.memory.buffer, this.wasm.margin_buffer(), 2 * size).slice();
    return { loss, correct: this.wasm.correct_count(), margins };
  }

  /** One Adam step on every parameter from `grads` (tfjs's float32 operations, subnormals flushed). */
  adam(c: AdamStepConstants): void {
    const [b1, oneMinusB1, b2, oneMinusB2, c1, c2, eps, negLr] = adamConstants(c);
    this.wasm.adam(b1, oneMinusB1, b2, oneMinusB2, c1, c2, eps, negLr, Math.fround(c.weightDecay));
  }
}
