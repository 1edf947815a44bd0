/**
 * The network of LeCun, Bottou, Bengio and Haffner 1998 ("Gradient-based learning applied to
 * document recognition", section II.B) as tfjs layers: the scaled-tanh squashing function,
 * trainable subsampling, C3's partial connection table and the Euclidean RBF output. The layers
 * are registered with tfjs's serialization on import, so checkpoints of this network save and
 * load (checkpoint.ts imports this module). Only tf ops that have kernels (and gradients) on the
 * cpu, wasm and tensorflow backends are used.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelOptions } from '../../../shared/hyperparams';
import { layerSpec, RBF_CODE_LENGTH, type LayerSpec } from '../../../shared/lenet';
import { mulberry32 } from '../../../shared/random';
import { deriveSeed } from './seeds';

type Shape = (number | null)[];

const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);

/** Appendix A's squashing function f(a) = A·tanh(S·a), A = 1.7159, S = 2/3: f(±1) = ±1. */
export const SQUASH_AMPLITUDE = 1.7159;
export const SQUASH_SLOPE = 2 / 3;

/**
 * The paper's initialization (appendix A): every weight (biases included) uniform in
 * ±2.4/F, F the unit's number of inputs, "to keep the total inputs within the operating range
 * of the sigmoid". Seeded so a run's seed fixes the initial weights.
 */
function paperUniform(fanIn: number, seed: number | undefined): ReturnType<typeof tf.initializers.randomUniform> {
  const bound = 2.4 / fanIn;
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/** f(a) = 1.7159·tanh(2a/3), the squashing function of every layer up to F6. */
export class ScaledTanh extends tf.layers.Layer {
  static readonly className = 'ScaledTanh';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(SQUASH_AMPLITUDE, tf.tanh(tf.mul(single(inputs), SQUASH_SLOPE))));
  }
}

interface SeededConfig {
  /** Seed of the paper's uniform initialization; omitted → random. */
  seed?: number;
  name?: string;
  inputShape?: number[];
}

/**
 * S2 and S4: "the four inputs to a unit are added, then multiplied by a trainable coefficient,
 * and added to a trainable bias" — per map, over non-overlapping 2×2 windows. The sum is
 * 4 × the 2×2 average (avgPool has a kernel and a gradient on every backend).
 */
export class Subsampling2d extends tf.layers.Layer {
  static readonly className = 'Subsampling2d';
  private coefficient!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  private readonly seed?: number;

  constructor(config: SeededConfig = {}) {
    super(config);
    this.seed = config.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = (inputShape as Shape)[3] as number;
    // Each unit has 4 inputs (times one shared coefficient) and a bias.
    const init = (salt: number) => paperUniform(4, this.seed === undefined ? undefined : this.seed + salt);
    this.coefficient = this.addWeight('coefficient', [channels], 'float32', init(0));
    this.bias = this.addWeight('bias', [channels], 'float32', init(1));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = inputShape as Shape;
    return [n, Math.floor((h as number) / 2), Math.floor((w as number) / 2), c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const sum = tf.mul(tf.avgPool(single(inputs) as tf.Tensor4D, 2, 2, 'valid'), 4);
      return tf.add(tf.mul(sum, this.coefficient.read()), this.bias.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}

interface PartialConvConfig extends SeededConfig {
  filters: number;
  kernelSize: number;
  /** For each output map, the input maps it reads (Table I for C3). */
  connections: number[][];
}

/**
 * A valid, stride-1 convolution in which output map j reads only the input maps
 * `connections[j]`: a full k×k×C×F kernel times a fixed 0/1 mask, so the unconnected weights
 * are zero from the start and get a zero gradient (they stay zero under Adam and L2). Its
 * trainable parameters are the unmasked weights and the biases (1,516 for C3), not the kernel's
 * size; `trainableCount` says so.
 */
export class PartialConv2d extends tf.layers.Layer {
  static readonly className = 'PartialConv2d';
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  private mask!: tf.Tensor4D;
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly connections: number[][];
  private readonly seed?: number;

  constructor(config: PartialConvConfig) {
    super(config);
    this.filters = config.filters;
    this.kernelSize = config.kernelSize;
    this.connections = config.connections;
    this.seed = config.seed;
    if (this.connections.length !== this.filters) {
      throw new Error(`PartialConv2d: ${this.filters} filters but ${this.connections.length} rows of connections`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = (inputShape as Shape)[3] as number;
    const k = this.kernelSize;
    const mask = new Float32Array(k * k * channels * this.filters);
    // Per output map, the paper's bound 2.4/F with F = k·k·(maps read); drawn per map and scaled.
    const scale = new Float32Array(this.filters);
    this.connections.forEach((maps, f) => {
      scale[f] = 2.4 / (k * k * maps.length);
      for (const c of maps) {
        if (c < 0 || c >= channels) throw new Error(`PartialConv2d: input map ${c} of ${channels}`);
        for (let i = 0; i < k * k; i++) mask[(i * channels + c) * this.filters + f] = 1;
      }
    });
    this.mask = tf.keep(tf.tensor4d(mask, [k, k, channels, this.filters]));
    const unit = tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: this.seed });
    this.kernel = this.addWeight('kernel', [k, k, channels, this.filters], 'float32', unit);
    this.bias = this.addWeight(
      'bias',
      [this.filters],
      'float32',
      tf.initializers.randomUniform({
        minval: -1,
        maxval: 1,
        seed: this.seed === undefined ? undefined : this.seed + 1,
      }),
    );
    tf.tidy(() => {
      const s = tf.tensor1d(scale);
      this.kernel.write(tf.mul(tf.mul(this.kernel.read(), this.mask), s));
      this.bias.write(tf.mul(this.bias.read(), s));
    });
    this.built = true;
  }

  /** Unmasked weights plus biases: what the paper counts. */
  trainableCount(): number {
    const k = this.kernelSize;
    return this.connections.reduce((n, maps) => n + k * k * maps.length, 0) + this.filters;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = inputShape as Shape;
    const k = this.kernelSize;
    return [n, (h as number) - k + 1, (w as number) - k + 1, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const filter = tf.mul(this.kernel.read(), this.mask) as tf.Tensor4D;
      return tf.add(tf.conv2d(single(inputs) as tf.Tensor4D, filter, 1, 'valid'), this.bias.read());
    });
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) this.mask?.dispose();
    return result;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      connections: this.connections,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}

/**
 * The seed of the RBF codes. They are part of the architecture, not of a run: every 1998 network
 * compares F6 with the same codes, whatever the run's seed (they are saved in checkpoints too).
 */
export const RBF_CODE_SEED = 1998;

/**
 * The 10 fixed codes of ±1, 84 each. The paper draws them as stylised 7×12 bitmaps of the
 * characters (Fig. 3); FashionMNIST's classes are garments, not characters, and the bitmaps are
 * not given in a reproducible form, so these are the paper's own alternative: "random", with
 * equal odds of −1 and +1, from a fixed seed.
 */
export function rbfCodes(seed = RBF_CODE_SEED): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: 10 * RBF_CODE_LENGTH }, () => (random() < 0.5 ? -1 : 1));
}

/**
 * The output layer: y_i = Σ_j (x_j − w_ij)², the squared Euclidean distance from F6's output to
 * class i's code. It returns −y (shape [batch, 10]), so that, like a logit, larger means more
 * likely: argmax is the class with the smallest distance, and softmax(−y) is what the studio
 * shows as probabilities. The codes are a non-trainable weight.
 */
export class RbfOutput extends tf.layers.Layer {
  static readonly className = 'RbfOutput';
  private codes!: tf.LayerVariable;

  override build(inputShape: Shape | Shape[]): void {
    const length = (inputShape as Shape)[1] as number;
    if (length !== RBF_CODE_LENGTH) throw new Error(`RbfOutput: input of ${length}, codes of ${RBF_CODE_LENGTH}`);
    const codes = rbfCodes();
    this.codes = this.addWeight('codes', [10, length], 'float32', tf.initializers.zeros(), undefined, false);
    tf.tidy(() => {
      this.codes.write(tf.tensor2d(codes, [10, length]));
    });
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [(inputShape as Shape)[0], 10];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor2D;
      const diff = tf.sub(tf.expandDims(x, 1), tf.expandDims(this.codes.read(), 0));
      return tf.neg(tf.sum(tf.square(diff), -1));
    });
  }
}

for (const cls of [ScaledTanh, Subsampling2d, PartialConv2d, RbfOutput]) tf.serialization.registerClass(cls);

/**
 * The paper's constant j of equation 9. The paper only says "a positive constant"; with j = 1 a
 * fresh network (all distances ≈ 84) is pulled towards its class's code as by the MSE term, and
 * once the distances are small the log term pushes the wrong classes' distances up.
 */
export const RBF_LOSS_J = 1;

/**
 * Equation 9, the paper's loss for an RBF output, per image:
 *   E = y_D + log(e^{−j} + Σ_i e^{−y_i}),
 * y_i the distance to class i, D the desired class. With the layer returning −y this is a
 * softmax cross-entropy over 11 logits (the 10 outputs and a constant −j for a "rubbish" class)
 * with the target among the first 10, computed with logSumExp so large distances do not underflow.
 * @param y one-hot targets [batch, 10]
 * @param negDistances the RbfOutput's output [batch, 10]
 * @returns per-image losses [batch]
 */
export function rbfLoss(y: tf.Tensor2D, negDistances: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const rubbish = tf.fill([negDistances.shape[0], 1], -RBF_LOSS_J);
    const all = tf.concat([negDistances, rubbish], 1);
    return tf.sub(tf.logSumExp(all, 1), tf.sum(tf.mul(y, negDistances), 1)) as tf.Tensor1D;
  });
}

/** True when `model` ends in the 1998 RBF output (its loss is eq. 9, not softmax cross-entropy). */
export function hasRbfOutput(model: tf.LayersModel): boolean {
  return model.layers[model.layers.length - 1] instanceof RbfOutput;
}

/**
 * The loss the trainer and the evaluation use: eq. 9 for an RBF output, softmax cross-entropy
 * from logits otherwise. `Reduction.SUM` or `MEAN` over the batch.
 */
export function dataLoss(
  model: tf.LayersModel,
  y: tf.Tensor,
  output: tf.Tensor,
  reduction: tf.Reduction.SUM | tf.Reduction.MEAN = tf.Reduction.MEAN,
): tf.Scalar {
  if (!hasRbfOutput(model)) return tf.losses.softmaxCrossEntropy(y, output, undefined, 0, reduction) as tf.Scalar;
  return tf.tidy(() => {
    const perImage = rbfLoss(y as tf.Tensor2D, output as tf.Tensor2D);
    return (reduction === tf.Reduction.SUM ? tf.sum(perImage) : tf.mean(perImage)) as tf.Scalar;
  });
}

/**
 * Build the 1998 network from its spec rows (one tfjs layer per row, named like the summary
 * table's `${torchName}-${index}`): input [28, 28, 1], output [batch, 10] (−distances for RBF,
 * logits for softmax). Same seed → same initial weights.
 */
export function buildLecun1998(options: ModelOptions, seed?: number): tf.LayersModel {
  const model = tf.sequential({ name: 'LeNet5_1998' });
  let first = true;
  for (const row of layerSpec(options)) {
    if (row.kind === 'input') continue;
    const inputShape = first ? { inputShape: [28, 28, 1] } : {};
    first = false;
    model.add(lecunLayer(row, inputShape, seed === undefined ? undefined : deriveSeed(seed, 2 * row.index)));
  }
  return model;
}

function lecunLayer(row: LayerSpec, inputShape: { inputShape?: number[] }, seed?: number): tf.layers.Layer {
  const name = `${row.torchName}-${row.index}`;
  const base = { ...inputShape, name };
  switch (row.torchName) {
    case 'ZeroPad2d':
      return tf.layers.zeroPadding2d({ ...base, padding: row.padding! });
    case 'ScaledTanh':
      return new ScaledTanh(base);
    case 'Subsampling2d':
      return new Subsampling2d({ ...base, seed });
    case 'PartialConv2d':
      return new PartialConv2d({
        ...base,
        seed,
        filters: row.filters!,
        kernelSize: row.kernel!,
        connections: row.connections!,
      });
    case 'Conv2d': {
      const fanIn = (row.params - row.filters!) / row.filters!;
      return tf.layers.conv2d({
        ...base,
        filters: row.filters!,
        kernelSize: row.kernel!,
        padding: 'valid',
        kernelInitializer: paperUniform(fanIn, seed),
        biasInitializer: paperUniform(fanIn, seed === undefined ? undefined : seed + 1),
      });
    }
    case 'Flatten':
      return tf.layers.flatten(base);
    case 'Linear': {
      const fanIn = (row.params - row.units!) / row.units!;
      return tf.layers.dense({
        ...base,
        units: row.units!,
        kernelInitializer: paperUniform(fanIn, seed),
        biasInitializer: paperUniform(fanIn, seed === undefined ? undefined : seed + 1),
      });
    }
    case 'RBF':
      return new RbfOutput(base);
    default:
      throw new Error(`the 1998 network has no layer ${row.torchName}`);
  }
}
