/**
 * LeNet5 on the `@tensorflow/tfjs` layers API, built from the shared layer spec so the model,
 * the summary table and the diagram cannot disagree. Only the tfjs API is used here; the backend
 * (tensorflow / wasm / cpu) is chosen by the trainer entry.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelOptions } from '../../../shared/hyperparams';
import { layerSpec, type LayerSpec } from '../../../shared/lenet';
import { buildLecun1998 } from './lecun1998';
import { deriveSeed } from './seeds';

/**
 * Build an uncompiled LeNet5: input [28, 28, 1] (channels-last, the raw image; the 32×32 variant
 * pads inside the model), output 10 logits. There is no softmax layer: the trainer uses softmax
 * cross-entropy from logits, which is numerically safer than log(softmax).
 *
 * One tfjs layer per spec row (activations are separate layers), named `${torchName}-${index}`
 * like the summary table, so `model.getLayer('Conv2d-1')` finds the table's row.
 *
 * Initialization reproduces PyTorch's defaults, because the seed's figures were produced with
 * them: weights and biases uniform in ±1/√fan_in (kaiming_uniform with a=√5).
 * @param seed same seed → identical initial weights; omitted → random
 */
export function buildLeNet5(options: ModelOptions, seed?: number): tf.LayersModel {
  // The 1998 network has layers of its own (trainable subsampling, partial C3, RBF output).
  if (options.architecture === 'lecun1998') return buildLecun1998(options, seed);
  const spec = layerSpec(options);
  const model = tf.sequential({ name: 'LeNet5' });
  let first = true;
  let seenConv = false;
  for (const layer of spec) {
    if (layer.kind === 'input') continue;
    const inputShape = first ? { inputShape: [28, 28, 1] } : {};
    first = false;
    const tfLayer = tfjsLayer(layer, inputShape, seed);
    if (layer.kind === 'dropout' && seed !== undefined) seedDropout(tfLayer, layer, seed);
    // Only a parameter-free zero-padding can precede C1, so C1 reads (a padding of) the image.
    if (layer.kind === 'conv' && !seenConv) trainWithoutInputGradient(tfLayer);
    if (layer.kind === 'conv') seenConv = true;
    model.add(tfLayer);
  }
  return model;
}

type LayerCall = tf.layers.Layer['call'];

/**
 * For the convolution that reads the image: while training, treat its input as a constant.
 * tfjs's conv layer runs the fused conv-with-bias op, whose custom gradient computes dx, dW and db
 * together, so every step paid for the image's dx (~15% of a wasm step) only for the tape to drop
 * it. Here the same fused op runs inside a custom gradient whose inputs are the kernel and the
 * bias only, so backprop computes dW (the Conv2DBackpropFilter kernel, what the fused gradient
 * calls) and db (Σ dy over batch, rows, columns, as the fused gradient does) and never dx.
 * (conv2d + add would get the same from per-input gradients, but the broadcast bias add costs
 * wasm ~2 ms a step.) Asking for a gradient with respect to the image through this layer is an
 * error ("not a function of x"), not a silent zero. Same layer class, name, weights and config
 * (checkpoints load as a plain Conv2D); inference calls the layer's own code. Assumes what
 * tfjsLayer builds for a conv row: 2-D, channels-last, dilation 1, linear activation, a bias.
 */
function trainWithoutInputGradient(layer: tf.layers.Layer): void {
  const layerCall: LayerCall = layer.call.bind(layer);
  const { strides, padding } = layer.getConfig() as { strides: [number, number]; padding: 'same' | 'valid' };
  layer.call = (inputs, kwargs) => {
    if (kwargs.training !== true) return layerCall(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      // Conv layers create their weights in this order: kernel, then bias.
      const [kernel, bias] = layer.weights;
      const convolve = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [filter, b, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
        save([x]);
        const value = tf.fused.conv2d({ x, filter, bias: b, strides, pad: padding });
        const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => [
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: saved[0], dy },
              { strides, pad: padding, dataFormat: 'NHWC', filterShape: filter.shape },
            ) as tf.Tensor,
          tf.sum(dy, [0, 1, 2]),
        ];
        return { value, gradFunc };
      });
      return convolve(kernel.read(), bias.read());
    });
  };
}

/**
 * Seeded dropout masks: tfjs's Dropout layer with a `seed` draws the SAME mask at every step (each
 * call seeds a new generator), and without one the run cannot be repeated. Here each training call
 * draws its mask from a seed derived from the run's seed, the layer and a count of the calls, so a
 * run repeated with its seed drops the same units (a resumed run counts again from its restart).
 * Inverted dropout, as tfjs's and PyTorch's: kept units are scaled by 1/(1−rate) while training,
 * so evaluation (the layer's own call, training false) is the identity.
 */
function seedDropout(layer: tf.layers.Layer, spec: LayerSpec, seed: number): void {
  const layerCall: LayerCall = layer.call.bind(layer);
  const rate = spec.rate!;
  let calls = 0;
  layer.call = (inputs, kwargs) => {
    if (kwargs.training !== true) return layerCall(inputs, kwargs);
    const maskSeed = deriveSeed(deriveSeed(seed, 1000 + spec.index), calls++);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', maskSeed), rate), 'float32');
      return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
    });
  };
}

function tfjsLayer(layer: LayerSpec, inputShape: { inputShape?: number[] }, seed?: number): tf.layers.Layer {
  const name = `${layer.torchName}-${layer.index}`;
  switch (layer.kind) {
    case 'pad':
      return tf.layers.zeroPadding2d({ ...inputShape, name, padding: layer.padding! });
    case 'conv': {
      const fanIn = layer.kernel! * layer.kernel! * channelsBefore(layer);
      return tf.layers.conv2d({
        ...inputShape,
        name,
        filters: layer.filters!,
        kernelSize: layer.kernel!,
        strides: layer.stride ?? 1,
        // Padding 2 with a 5×5 kernel keeps the size: that is tfjs's 'same' (stride 1).
        padding: layer.padding ? 'same' : 'valid',
        ...torchDefaultInit(fanIn, seed, layer.index),
      });
    }
    case 'norm':
      // PyTorch's defaults (its momentum 0.1 is Keras's 0.9), as the initialisation follows PyTorch's;
      // γ = 1, β = 0, moving mean 0 and variance 1 at the start. Channels-last: the last axis.
      return tf.layers.batchNormalization({ ...inputShape, name, axis: -1, momentum: 0.9, epsilon: 1e-5 });
    case 'dropout':
      return tf.layers.dropout({ ...inputShape, name, rate: layer.rate! });
    case 'activation':
      return tf.layers.activation({ ...inputShape, name, activation: layer.activation as 'sigmoid' | 'tanh' | 'relu' });
    case 'pool': {
      const config = { ...inputShape, name, poolSize: layer.kernel!, strides: layer.stride! };
      return layer.torchName === 'MaxPool2d' ? tf.layers.maxPooling2d(config) : tf.layers.averagePooling2d(config);
    }
    case 'flatten':
      return tf.layers.flatten({ ...inputShape, name });
    case 'dense': {
      const fanIn = (layer.params - layer.units!) / layer.units!;
      return tf.layers.dense({
        ...inputShape,
        name,
        units: layer.units!,
        ...torchDefaultInit(fanIn, seed, layer.index),
      });
    }
    case 'input':
      throw new Error('the input row is not a layer');
  }
}

/** Input channels of a conv layer, recovered from its parameter count (k·k·C·F + F). */
function channelsBefore(layer: LayerSpec): number {
  return (layer.params - layer.filters!) / (layer.kernel! * layer.kernel! * layer.filters!);
}

/**
 * PyTorch's default Conv2d/Linear init: weight and bias ~ U(−1/√fan_in, 1/√fan_in).
 * varianceScaling(scale 1/3, fanIn, uniform) has limit √(3·scale/fan_in) = 1/√fan_in.
 */
function torchDefaultInit(fanIn: number, seed: number | undefined, layerIndex: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.varianceScaling({
      scale: 1 / 3,
      mode: 'fanIn',
      distribution: 'uniform',
      seed: seed === undefined ? undefined : deriveSeed(seed, 2 * layerIndex),
    }),
    biasInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: seed === undefined ? undefined : deriveSeed(seed, 2 * layerIndex + 1),
    }),
  };
}

export { deriveSeed } from './seeds';
