/** The fixed inputs (no RNG) that wasm-threads-child.ts and its test both build, on their backends. */
import * as tf from '@tensorflow/tfjs';

export const INPUT_GRAD_SHAPE: [number, number, number, number] = [8, 14, 14, 6];

export function kernelInputs() {
  const ramp = (shape: number[], scale: number) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * scale)),
      shape,
    );
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
    filterGrad: tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: filter.shape },
      ) as tf.Tensor,
    inputGrad: tf.conv2dTranspose(dy, filter, INPUT_GRAD_SHAPE, 1, 'valid'),
    matMul: tf.matMul(a, b),
  };
  return Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.dataSync())]));
}
