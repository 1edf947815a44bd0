/** The fixed inputs (no RNG) that wasm-threads-child.ts and its test both build, on their backends. */
import * as tf from '@tensorflow/tfjs';

export const INPUT_GRAD_SHAPE: [number, number, number, number] = [8, 14, 14, 6];

/** sin(i · scale) over the tensor's flat index i. */
function ramp(shape: number[], scale: number): tf.Tensor {
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * scale)),
    shape,
  );
}

function filterGrad(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], pad: 'same' | 'valid'): tf.Tensor {
  return tf
    .engine()
    .runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad, dataFormat: 'NHWC', filterShape });
}

export function kernelInputs() {
  return {
    x: ramp(INPUT_GRAD_SHAPE, 0.37) as tf.Tensor4D,
    filter: ramp([5, 5, 6, 16], 0.11) as tf.Tensor4D,
    dy: ramp([8, 10, 10, 16], 0.23) as tf.Tensor4D,
    a: ramp([64, 120], 0.05) as tf.Tensor2D,
    b: ramp([120, 84], 0.07) as tf.Tensor2D,
  };
}

/** The kernels XNNPACK parallelises in a training step, run on the active backend. */
export function kernelOutputs(): Record<string, number[]> {
  const { x, filter, dy, a, b } = kernelInputs();
  const outputs = {
    conv: tf.conv2d(x, filter, 1, 'valid'),
    filterGrad: filterGrad(x, dy, filter.shape, 'valid'),
    inputGrad: tf.conv2dTranspose(dy, filter, INPUT_GRAD_SHAPE, 1, 'valid'),
    matMul: tf.matMul(a, b),
  };
  return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.dataSync())]));
}

/**
 * The project's own kernels (engine/backend/wasm-kernels/own-kernels.ts) on shapes whose batch,
 * chunks and rows split across threads: the one-channel FusedConv2D (with bias and ReLU), both
 * gradients of a C3-like convolution (16 output channels: dy read in place), the filter gradient of
 * a C1-like one (6 channels: the last chunk's dy copied), a bias gradient's Sum, a 2×2
 * average pool's gradient and a sigmoid's gradient (67,501 elements: threaded, with a tail).
 */
export function ownKernelOutputs(): Record<string, number[]> {
  return tf.tidy(() => {
    const x3 = ramp([40, 8, 8, 6], 0.31);
    const w3 = ramp([5, 5, 6, 16], 0.13);
    const dy3 = ramp([40, 4, 4, 16], 0.17);
    const outputs = {
      conv1ch: tf.fused.conv2d({
        x: ramp([9, 12, 10, 1], 0.29) as tf.Tensor4D,
        filter: ramp([5, 5, 1, 6], 0.19) as tf.Tensor4D,
        bias: tf.ones([6]),
        strides: 1,
        pad: 'same',
        activation: 'relu',
      }),
      inputGrad: tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy: dy3, filter: w3 },
          { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', inputShape: [40, 8, 8, 6] },
        ) as tf.Tensor,
      filterGrad: filterGrad(x3, dy3, [5, 5, 6, 16], 'valid'),
      filterGrad1: filterGrad(ramp([40, 12, 10, 1], 0.23), ramp([40, 12, 10, 6], 0.37), [5, 5, 1, 6], 'same'),
      biasSum: tf.sum(ramp([9, 30, 30, 6], 0.41), [0, 1, 2]),
      sigmoidGrad: tf.grad((x: tf.Tensor) => tf.sigmoid(x))(ramp([67_501], 0.0007), ramp([67_501], 0.53)),
      avgPoolGrad: tf
        .engine()
        .runKernel(
          'AvgPoolGrad',
          { dy: ramp([9, 7, 7, 6], 0.43), input: ramp([9, 14, 14, 6], 0.47) },
          { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
        ) as tf.Tensor,
    };
    return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.dataSync())]));
  });
}
