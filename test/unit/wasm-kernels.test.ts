/**
 * The wasm training kernels (src/core/engine/backend/wasm-kernels/) against the `cpu` backend,
 * which is tfjs's reference implementation. tfjs backends are process-global, so each comparison
 * runs the same computation twice, switching with tf.setBackend in between.
 *
 * Tolerance: max |wasm − cpu| ≤ 1e-4 × max |cpu| per tensor. XNNPACK and our SIMD loops sum in
 * float32, in a different order than the cpu backend's scalar loops, so results differ in the last
 * bits (~1e-6 seen).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { compileWat, ownKernelsWat } from '../../scripts/wasm-kernels.mjs';
import { selectBackend, WASM_TRAINING_KERNELS } from '../../src/core/engine/backend';
import {
  OWN_KERNELS_PLAIN_WASM_BASE64,
  OWN_KERNELS_SHARED_WASM_BASE64,
} from '../../src/core/engine/backend/wasm-kernels/own-kernels.wasm';
import { splitRange } from '../../src/core/engine/backend/wasm-kernels/own-kernel-pool';
import { createOptimizer } from '../../src/core/engine/optimizer';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { PRESETS, type ModelOptions } from '../../src/shared/hyperparams';
import { RELU_MAX } from '../support/networks';

const RELATIVE_TOLERANCE = 1e-4;

type Shape4 = [number, number, number, number];

/** Run `compute` on cpu, then on wasm; compare every returned tensor. */
async function compareBackends(compute: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const run = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const out = tf.tidy(compute);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(list);
    return values;
  };
  const reference = await run('cpu');
  const actual = await run('wasm');
  expect(actual.length).toBe(reference.length);
  let worst = 0;
  reference.forEach((ref, i) => {
    expect(actual[i].length).toBe(ref.length);
    let maxAbs = 0;
    let maxDiff = 0;
    for (let k = 0; k < ref.length; k++) {
      maxAbs = Math.max(maxAbs, Math.abs(ref[k]));
      maxDiff = Math.max(maxDiff, Math.abs(ref[k] - actual[i][k]));
    }
    expect(maxAbs).toBeGreaterThan(0); // a comparison of zeros proves nothing
    const relative = maxDiff / maxAbs;
    expect(relative).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    worst = Math.max(worst, relative);
  });
  return worst;
}

/** Fixed pseudo-random values (same on both backends: generated once, in JS). */
function values(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Values with exact ties and all-non-positive windows: ReLU outputs (many exact zeros). */
function reluValues(shape: number[], seed: number): Float32Array {
  return values(shape, seed).map((v) => Math.max(0, v - 0.3));
}

/**
 * A gradient of conv2d(x: xShape, filter: filterShape), wasm against cpu: `filter` runs
 * Conv2DBackpropFilter (from x and dy), `input` Conv2DBackpropInput (from dy and the filter).
 */
async function checkConvGradient(
  which: 'filter' | 'input',
  xShape: Shape4,
  filterShape: Shape4,
  strides: [number, number],
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding,
  seed: number,
): Promise<void> {
  const dyShape = tf.tidy(
    () => tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, strides, pad).shape,
  );
  const other = which === 'filter' ? values(xShape, seed) : values(filterShape, seed);
  const dy = values(dyShape, seed + 1);
  await compareBackends(() => {
    const dyTensor = tf.tensor4d(dy, dyShape);
    return (
      which === 'filter'
        ? tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: tf.tensor4d(other, xShape), dy: dyTensor },
              { strides, pad, dataFormat: 'NHWC', filterShape },
            )
        : tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: dyTensor, filter: tf.tensor4d(other, filterShape) },
              { strides, pad, dataFormat: 'NHWC', inputShape: xShape },
            )
    ) as tf.Tensor;
  });
}

beforeAll(async () => {
  await selectBackend('wasm');
  // The cpu reference must be available too (it is always registered by @tensorflow/tfjs).
  expect(tf.findBackend('cpu')).toBeTruthy();
});

describe('wasm training kernels are registered', () => {
  it('replaces the missing and wrong kernels', () => {
    for (const name of [
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'MaxPoolGrad',
      'AvgPoolGrad',
      'BatchMatMul',
      'Slice',
      'GatherV2',
      'Sum',
      'AdamStep',
      'SigmoidGrad',
    ]) {
      expect(WASM_TRAINING_KERNELS).toContain(name);
      expect(tf.getKernel(name, 'wasm')).toBeTruthy();
    }
  });
});

describe.each([
  { stride: 1, pad: 'same' as const },
  { stride: 1, pad: 'valid' as const },
  { stride: 2, pad: 'same' as const },
  { stride: 2, pad: 'valid' as const },
])('convolution gradients, stride $stride, $pad padding', ({ stride, pad }) => {
  // Odd sizes so a strided valid convolution leaves unread rows (the crop path).
  for (const inChannels of [1, 4]) {
    const xShape: Shape4 = [3, 13, 11, inChannels];
    const filterShape: Shape4 = [5, 3, inChannels, 6];

    it(`Conv2DBackpropFilter matches cpu (${inChannels} input channel(s))`, async () => {
      await checkConvGradient('filter', xShape, filterShape, [stride, stride], pad, 1);
    });

    it(`Conv2DBackpropInput matches cpu (${inChannels} input channel(s))`, async () => {
      await checkConvGradient('input', xShape, filterShape, [stride, stride], pad, 3);
    });
  }
});

describe('convolution gradients, explicit padding', () => {
  // Several channels: the project's own loop takes any padding; one channel falls back to the
  // shipped kernel when the padding is wider than the filter.
  it.each([3, 1])('Conv2DBackpropInput with padding wider than the filter, %i input channel(s)', async (channels) => {
    const xShape: Shape4 = [2, 6, 5, channels];
    const filterShape: Shape4 = [3, 3, channels, 4];
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [4, 1],
      [1, 0],
      [0, 0],
    ];
    await checkConvGradient('input', xShape, filterShape, [1, 1], pad, 21);
  });

  it('Conv2DBackpropFilter handles explicit asymmetric padding', async () => {
    const xShape: Shape4 = [2, 7, 6, 2];
    const filterShape: Shape4 = [3, 2, 2, 5];
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ];
    await checkConvGradient('filter', xShape, filterShape, [2, 2], pad, 23);
  });
});

describe('Conv2DBackpropInput (WebAssembly SIMD) on the shapes its loop special-cases', () => {
  // Input channels in blocks of up to 6 (11 = 6 + 5), output channels in vectors of 4 (3 and 9
  // are padded with zeros), taps bounded per row and column.
  it.each([
    { name: '2 channels in, 3 out (one padded vector)', x: [2, 7, 9, 2], f: [3, 3, 2, 3], stride: 1, pad: 'same' },
    { name: '11 channels in (two blocks), 9 out', x: [2, 6, 5, 11], f: [3, 2, 11, 9], stride: 1, pad: 'valid' },
    { name: '8 channels in (two blocks), stride 2', x: [3, 9, 8, 8], f: [5, 5, 8, 4], stride: 2, pad: 'same' },
    { name: 'filter larger than dy (every pixel a border)', x: [1, 5, 5, 4], f: [5, 5, 4, 5], stride: 1, pad: 'valid' },
    { name: "the seed's C3, batch 40", x: [40, 14, 14, 6], f: [5, 5, 6, 16], stride: 1, pad: 'valid' },
  ] as const)('$name matches cpu', async ({ x, f, stride, pad }) => {
    await checkConvGradient('input', [...x], [...f], [stride, stride], pad, 41);
  });
});

describe('FusedConv2D of one input channel (WebAssembly SIMD)', () => {
  // 4 output pixels per vector (a width of 9 leaves a partial one), output channels in blocks of
  // up to 6 (7 = 6 + 1), the bias and a ReLU fused; the other cases go to the shipped kernel.
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [2, 0],
    [1, 3],
    [0, 0],
  ];
  it.each([
    { name: "the seed's C1, batch 40", x: [40, 28, 28, 1], f: [5, 5, 1, 6], pad: 'same', bias: true },
    { name: 'ReLU, width 9, valid', x: [3, 8, 9, 1], f: [3, 3, 1, 6], pad: 'valid', bias: true, activation: 'relu' },
    { name: '7 channels out (6 + 1), no bias', x: [2, 7, 6, 1], f: [5, 3, 1, 7], pad: 'same', bias: false },
    { name: 'explicit asymmetric padding', x: [2, 6, 5, 1], f: [3, 2, 1, 2], pad: explicit, bias: true },
    { name: 'stride 2 (shipped kernel)', x: [2, 9, 9, 1], f: [3, 3, 1, 4], pad: 'same', bias: true, strides: 2 },
    {
      name: 'sigmoid (shipped kernel)',
      x: [2, 9, 9, 1],
      f: [3, 3, 1, 4],
      pad: 'same',
      bias: true,
      activation: 'sigmoid',
    },
  ] as const)('$name matches cpu', async (c) => {
    const { x, f, pad, bias } = c;
    const { activation = 'linear', strides = 1 } = c as { activation?: tf.fused.Activation; strides?: number };
    const xValues = values([...x], 51);
    const w = values([...f], 52);
    const b = values([f[3]], 53);
    await compareBackends(() =>
      tf.fused.conv2d({
        x: tf.tensor4d(xValues, [...x] as Shape4),
        filter: tf.tensor4d(w, [...f] as Shape4),
        bias: bias ? tf.tensor1d(b) : undefined,
        strides,
        pad,
        activation,
      }),
    );
  });
});

describe('Conv2DBackpropFilter (WebAssembly SIMD) on the shapes its loops special-case', () => {
  // Its loops take 5 filter columns per call (then single ones), 8 output channels per group
  // (lanes past the last channel are dropped), 32 images per partial sum.
  it.each([
    { name: 'batch 1, 5 columns, 6 channels out', x: [1, 9, 8, 1], f: [5, 5, 1, 6], stride: [1, 1], pad: 'same' },
    {
      name: '7 columns (5 + 1 + 1), 11 channels out',
      x: [2, 10, 12, 3],
      f: [3, 7, 3, 11],
      stride: [1, 1],
      pad: 'valid',
    },
    { name: 'strides 2×1, 16 channels out', x: [3, 11, 9, 2], f: [5, 5, 2, 16], stride: [2, 1], pad: 'same' },
    { name: 'strides 1×3, valid, 1 channel out', x: [2, 8, 13, 4], f: [2, 5, 4, 1], stride: [1, 3], pad: 'valid' },
    { name: '70 images (3 partial sums)', x: [70, 6, 6, 2], f: [3, 3, 2, 9], stride: [1, 1], pad: 'same' },
    // The real layers (the cpu reference needs seconds per 100 images here, hence batch 40).
    { name: "the seed's C1, batch 40", x: [40, 28, 28, 1], f: [5, 5, 1, 6], stride: [1, 1], pad: 'same' },
    { name: "the seed's C3, batch 40", x: [40, 14, 14, 6], f: [5, 5, 6, 16], stride: [1, 1], pad: 'valid' },
  ] as const)('$name matches cpu', async ({ x, f, stride, pad }) => {
    await checkConvGradient('filter', [...x], [...f], [...stride], pad, 31);
  });

  it('is the module scripts/wasm-kernels.mjs compiles from its WAT source (both memory variants)', async () => {
    for (const [sharedMemory, base64] of [
      [true, OWN_KERNELS_SHARED_WASM_BASE64],
      [false, OWN_KERNELS_PLAIN_WASM_BASE64],
    ] as const) {
      const compiled: Buffer = await compileWat(ownKernelsWat({ sharedMemory }));
      expect(compiled.equals(Buffer.from(base64, 'base64'))).toBe(true);
    }
  });

  it('refuses channels-first data, naming it', () => {
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x: tf.zeros([1, 1, 4, 4]), dy: tf.zeros([1, 1, 4, 4]) },
          { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 1, 1] },
        ),
    ).toThrow(/NHWC.*NCHW/);
  });
});

describe.each([
  { window: 2, stride: 2, pad: 'valid' as const },
  { window: 3, stride: 1, pad: 'same' as const },
  { window: 3, stride: 2, pad: 'same' as const },
  { window: 3, stride: 2, pad: 'valid' as const },
])('pooling gradients, $window×$window window, stride $stride, $pad', ({ window, stride, pad }) => {
  const xShape: Shape4 = [3, 9, 7, 5];

  it('MaxPoolGrad matches cpu, including windows of zeros (ties) and of negatives', async () => {
    // Half the samples ReLU-like (ties at 0), half all-negative: the shipped kernel fails both.
    const x = reluValues(xShape, 5);
    for (let i = 0; i < x.length / 2; i++) x[i] = -Math.abs(x[i]) - 0.01 * (i % 7);
    const yShape = tf.tidy(() => tf.maxPool(tf.zeros(xShape) as tf.Tensor4D, window, stride, pad).shape);
    const dy = values(yShape, 6);
    await compareBackends(() =>
      tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, window, stride, pad), tf.tensor(dy, yShape))),
      )(tf.tensor4d(x, xShape)),
    );
  });

  it('AvgPoolGrad matches cpu', async () => {
    const x = values(xShape, 7);
    const yShape = tf.tidy(() => tf.avgPool(tf.zeros(xShape) as tf.Tensor4D, window, stride, pad).shape);
    const dy = values(yShape, 8);
    await compareBackends(() =>
      tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(tf.avgPool(input as tf.Tensor4D, window, stride, pad), tf.tensor(dy, yShape))),
      )(tf.tensor4d(x, xShape)),
    );
  });
});

describe('BatchMatMul with transposes', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s matches cpu (rank 2 and batched rank 3; rank 4 below)', async (ta, tb) => {
    const a2 = values(ta ? [7, 5] : [5, 7], 9);
    const b2 = values(tb ? [3, 7] : [7, 3], 10);
    const a3 = values(ta ? [2, 7, 5] : [2, 5, 7], 11);
    const b3 = values(tb ? [2, 3, 7] : [2, 7, 3], 12);
    await compareBackends(() => [
      tf.matMul(tf.tensor(a2, ta ? [7, 5] : [5, 7]), tf.tensor(b2, tb ? [3, 7] : [7, 3]), ta, tb),
      tf.matMul(tf.tensor(a3, ta ? [2, 7, 5] : [2, 5, 7]), tf.tensor(b3, tb ? [2, 3, 7] : [2, 7, 3]), ta, tb),
    ]);
  });
});

/**
 * Tensors made before a call and read after it: a kernel writing past its own tensors (or its
 * scratch, into malloc's bookkeeping) changes them, or makes the next allocation trap.
 */
async function withCanaries(call: () => void): Promise<void> {
  await tf.setBackend('wasm');
  const canaries = [0, 1, 2].map((i) => tf.tensor(values([64 + i], 200 + i)));
  const before = canaries.map((t) => Float32Array.from(t.dataSync()));
  try {
    call();
  } finally {
    const fresh = tf.tensor4d(values([2, 3, 3, 1], 210), [2, 3, 3, 1]);
    expect(Array.from(fresh.dataSync())).toEqual(Array.from(values([2, 3, 3, 1], 210)));
    canaries.forEach((t, i) => expect(t.dataSync()).toEqual(before[i]));
    tf.dispose([fresh, ...canaries]);
  }
}

// Issue 30: tfjs's own test cases (scripts/conformance.mjs) found these; each test here failed
// before its fix (see the closing note for how that was shown).
describe('calls our kernels got wrong, found by tfjs test cases', () => {
  it.each([
    [true, false],
    [false, true],
    [true, true],
  ])('BatchMatMul of rank-4 operands, transposeA=%s transposeB=%s, and its gradients match cpu', async (ta, tb) => {
    // tfjs's "A^t x B in 4D": the wrapper swapped axes 1 and 2 (the rank-3 permutation), then the
    // shipped Transpose wrote a rank-4 tensor with a rank-3 permutation past its output.
    const aShape = ta ? [2, 3, 4, 2] : [2, 3, 2, 4];
    const bShape = tb ? [2, 3, 5, 4] : [2, 3, 4, 5];
    const a = values(aShape, 61);
    const b = values(bShape, 62);
    const dy = values([2, 3, 2, 5], 63);
    await withCanaries(() => {}); // the heap is sound before…
    await compareBackends(() => {
      const [at, bt] = [tf.tensor(a, aShape), tf.tensor(b, bShape)];
      const product = tf.matMul(at, bt, ta, tb);
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb))(
        [at, bt],
        tf.tensor(dy, [2, 3, 2, 5]),
      );
      return [product, ...grads];
    });
    await withCanaries(() => {}); // …and after
  });

  it.each([8, 1])(
    'Conv2DBackpropInput of a dy larger than the convolution output (%i input channels) matches cpu',
    async (channels) => {
      // tfjs's "input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same vec4": conv2dTranspose does not
      // check that dy [1,8,8,8] is the output of a convolution of [1,4,4,C] (which would be 4×4);
      // cpu and the shipped kernel read only dy's first 4 rows and columns, ours read all of it.
      // (Not the uneven 'same' padding, 3 before and 4 after: consistent shapes below.)
      const dy = values([1, 8, 8, 8], 64);
      const w = values([8, 8, channels, 8], 65);
      await compareBackends(() =>
        tf.conv2dTranspose(
          tf.tensor4d(dy, [1, 8, 8, 8]),
          tf.tensor4d(w, [8, 8, channels, 8]),
          [1, 4, 4, channels],
          1,
          'same',
        ),
      );
    },
  );

  it('Conv2DBackpropInput with an even filter and uneven same padding (3 before, 4 after) matches cpu', async () => {
    await checkConvGradient('input', [2, 4, 4, 8], [8, 8, 8, 8], [1, 1], 'same', 66);
    await checkConvGradient('input', [2, 7, 6, 1], [4, 4, 1, 3], [1, 1], 'same', 67);
  });

  it('one-channel FusedConv2D leaves a bias that is not one value per channel to the shipped kernel', async () => {
    // tfjs's "gradient x=[2,3,3,1] f=[2,2,1,1] s=1 p=0 with bias": a rank-4 bias was copied value
    // by value into a scratch area with room for one per output channel, overrunning it.
    const run = (biasShape: number[], co: number) => () =>
      tf.tidy(() => {
        tf.engine().runKernel(
          'FusedConv2D',
          {
            x: tf.tensor4d(values([2, 3, 3, 1], 68), [2, 3, 3, 1]),
            filter: tf.tensor4d(values([2, 2, 1, co], 69), [2, 2, 1, co]),
            bias: tf.tensor(values(biasShape, 70), biasShape),
          },
          { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' },
        );
      });
    await withCanaries(() =>
      expect(run([2, 2, 2, 1], 1)).toThrow('FusedConv2D only supports rank-1 bias but got rank 4'),
    );
    await withCanaries(() => expect(run([], 4)).toThrow('FusedConv2D only supports rank-1 bias but got rank 0'));
    // A size-1 bias for 4 channels filled only the first channel's slot.
    await withCanaries(() => expect(run([1], 4)).toThrow('FusedConv2D bias shape (1) does not match'));
  });

  it.each(['max', 'avg'] as const)(
    '%sPool gradient, 2×2 windows every 2 with same padding of an odd size, matches cpu',
    async (pool) => {
      // 'same' padding of 5 rows makes 3 windows, the last one half past the input: the 2×2 fast
      // paths wrote (and read) a row past each image.
      for (const shape of [
        [2, 5, 4, 3],
        [3, 3, 3, 2],
      ] as Shape4[]) {
        const x = values(shape, 71);
        const op = (t: tf.Tensor) =>
          pool === 'max' ? tf.maxPool(t as tf.Tensor4D, 2, 2, 'same') : tf.avgPool(t as tf.Tensor4D, 2, 2, 'same');
        const yShape = tf.tidy(() => op(tf.zeros(shape)).shape);
        const dy = values(yShape, 72);
        await withCanaries(() => {});
        await compareBackends(() =>
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t), tf.tensor(dy, yShape))))(tf.tensor4d(x, shape)),
        );
        await withCanaries(() => {});
      }
    },
  );
});

describe('our kernels take only what they assume, and say so or hand the rest on', () => {
  it('Conv2DBackpropFilter refuses a dy that is not the convolution output, naming the shapes', async () => {
    await withCanaries(() =>
      expect(() =>
        tf.tidy(() =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: tf.zeros([1, 5, 5, 2]), dy: tf.zeros([1, 2, 2, 3]) },
              { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] },
            ),
        ),
      ).toThrow(/Conv2DBackpropFilter on wasm supports only .*got x \[1,5,5,2\], dy \[1,2,2,3\]/),
    );
  });

  it('Slice and GatherV2 of int32 and bool, and sums of int32, agree with cpu through the shipped kernels', async () => {
    const ints = Int32Array.from({ length: 24 }, (_, i) => i * 5 - 40);
    await compareBackends(() => {
      const t = tf.tensor3d(ints, [2, 3, 4], 'int32');
      return [
        tf.cast(tf.slice(t, [1, 0, 0], [1, 3, 4]), 'float32'),
        tf.cast(tf.gather(t, tf.tensor1d([1, 0, 1], 'int32'), 2), 'float32'),
        tf.cast(tf.sum(t, [0, 1]), 'float32'),
        tf.cast(tf.matMul(tf.cast(t, 'float32'), tf.ones([2, 3, 4]), false, true), 'float32'),
      ];
    });
  });

  it('a BatchMatMul with transposes that the shipped kernel refuses frees the transposed copies', async () => {
    await tf.setBackend('wasm');
    const a = tf.ones([2, 3, 4]);
    const b = tf.ones([2, 5, 4]);
    const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    // Inner dimensions 3 and 5 do not match: the shipped kernel throws after our transposes.
    expect(() => tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA: true, transposeB: true })).toThrow();
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(before);
    tf.dispose([a, b]);
  });
});

describe('Sum over leading axes (WebAssembly SIMD)', () => {
  it('matches cpu: bias gradients of C1 (6 channels: a vector and a tail) and C3, many chunks, keepDims', async () => {
    const c1 = values([40, 28, 28, 6], 71); // 31,360 rows: 31 chunks of 1,024
    const c3 = values([17, 10, 10, 16], 72);
    const dense = values([256, 120], 73);
    await compareBackends(() => [
      tf.sum(tf.tensor4d(c1, [40, 28, 28, 6]), [0, 1, 2]),
      tf.sum(tf.tensor4d(c3, [17, 10, 10, 16]), [2, 0, 1], true), // any order of the same axes
      tf.sum(tf.tensor2d(dense, [256, 120]), 0),
      tf.sum(tf.tensor2d(dense.subarray(0, 3 * 7), [3, 7]), -2), // a negative axis; 7 = vector + 3
    ]);
  });

  it('leaves other reductions to the shipped kernel, which agrees with cpu', async () => {
    const x = values([6, 5, 4, 3], 74);
    const ints = Int32Array.from({ length: 60 }, (_, i) => i * 3 - 50);
    await compareBackends(() => {
      const t = tf.tensor4d(x, [6, 5, 4, 3]);
      return [
        tf.sum(t, [1, 2]), // not leading
        tf.sum(t), // every axis
        tf.sum(t, 3),
        tf.cast(tf.sum(tf.tensor2d(ints, [20, 3], 'int32'), 0), 'float32'),
      ];
    });
  });
});

describe('Adam (the AdamStep kernel, WebAssembly SIMD)', () => {
  const shapes = [[400, 120], [7, 3], [6]]; // vectors; 21 = 5 vectors + a tail of 1; 6 = 1 + 2
  /** Three Adam steps on fixed gradients; returns the values and both moments. */
  const steps = async (backend: 'cpu' | 'wasm', make: () => tf.Optimizer): Promise<Float32Array[]> => {
    await tf.setBackend(backend);
    const variables = shapes.map((shape, i) => tf.variable(tf.tensor(values(shape, 80 + i), shape)));
    const optimizer = make();
    for (let step = 0; step < 3; step++) {
      const gradients = variables.map((v, i) => ({
        name: v.name,
        tensor: tf.tensor(values(v.shape, 90 + 10 * step + i), v.shape),
      }));
      optimizer.applyGradients(gradients);
      tf.dispose(gradients.map((g) => g.tensor));
    }
    const moments = (await optimizer.getWeights()).slice(1).map((w) => w.tensor); // [0]: iterations
    const out = [...variables, ...moments].map((t) => Float32Array.from(t.dataSync()));
    optimizer.dispose();
    tf.dispose(variables);
    return out;
  };
  const adam = () => createOptimizer({ optimizer: 'adam', learningRate: 0.01, momentum: 0 });

  it("gives tfjs's Adam bits exactly: values and moments after 3 steps, against cpu and the shipped wasm ops", async () => {
    // Tolerance 0: the same float32 operations in the same order (cpu's float64 arithmetic
    // rounded to float32 is exact for +, −, ×, ÷ and √).
    const reference = await steps('cpu', () => tf.train.adam(0.01, 0.9, 0.999, 1e-8));
    expect(tf.getKernel('AdamStep', 'wasm')).toBeTruthy();
    const fused = await steps('wasm', adam);
    tf.unregisterKernel('AdamStep', 'wasm'); // the shipped element-wise kernels instead
    let shipped: Float32Array[];
    try {
      shipped = await steps('wasm', adam);
    } finally {
      const { adamStep } = await import('../../src/core/engine/backend/wasm-kernels/adam-step');
      tf.registerKernel({ kernelName: 'AdamStep', backendName: 'wasm', kernelFunc: adamStep });
    }
    expect(reference).toHaveLength(9);
    expect(fused[0]).not.toEqual(Float32Array.from(values(shapes[0], 80))); // it moved
    expect(fused).toEqual(reference);
    expect(shipped).toEqual(reference);
  });

  it("names a gradient whose shape is not its variable's", async () => {
    await tf.setBackend('wasm');
    const run = () =>
      tf.tidy(() => {
        const value = tf.zeros([4]);
        tf.engine().runKernel(
          'AdamStep',
          { value, m: value, v: value, gradient: tf.zeros([5]) },
          {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            learningRate: 0.001,
            accBeta1: 0.9,
            accBeta2: 0.999,
          },
        );
      });
    expect(run).toThrow('AdamStep: gradient is float32 [5], the value float32 [4]');
  });
});

describe("the sigmoid's gradient (the SigmoidGrad kernel, WebAssembly SIMD)", () => {
  const sigmoidGradient = (x: tf.Tensor, dy: tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sigmoid(t))(x, dy);
  const cases = [[40, 28, 28, 6], [7, 3], [3]]; // vectors and no tail; 5 vectors + 1; a tail only

  it('matches cpu, through tf.grad as training calls it', async () => {
    await compareBackends(() =>
      cases.map((shape, i) =>
        sigmoidGradient(tf.tensor(values(shape, 100 + i), shape).mul(4), tf.tensor(values(shape, 110 + i), shape)),
      ),
    );
  });

  it("gives exactly the bits of tfjs's three ops on wasm (dy · (y · (1 − y)))", async () => {
    await tf.setBackend('wasm');
    for (const [i, shape] of cases.entries()) {
      const [fused, composed] = tf.tidy(() => {
        const y = tf.sigmoid(tf.tensor(values(shape, 120 + i), shape).mul(4));
        const dy = tf.tensor(values(shape, 130 + i), shape);
        const kernel = tf.engine().runKernel('SigmoidGrad', { y, dy }) as tf.Tensor;
        return [kernel.dataSync(), tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))).dataSync()];
      });
      expect(fused).toEqual(composed);
    }
  });

  it('names inputs of different shapes', async () => {
    await tf.setBackend('wasm');
    const run = () => tf.tidy(() => tf.engine().runKernel('SigmoidGrad', { y: tf.zeros([4]), dy: tf.zeros([2, 2]) }));
    expect(run).toThrow('SigmoidGrad: dy is float32 [2,2], y float32 [4]; both float32, one shape');
  });
});

describe('Slice', () => {
  it('contiguous (fast path) and strided slices match cpu, float32 and int32', async () => {
    const x = values([6, 5, 4, 3], 14);
    const ints = Int32Array.from({ length: 40 }, (_, i) => i * 7 - 100);
    await compareBackends(() => {
      const t = tf.tensor4d(x, [6, 5, 4, 3]);
      return [
        tf.slice(t, [2, 0, 0, 0], [3, -1, -1, -1]), // leading-axis range: contiguous
        tf.slice(t, [1, 2, 0, 0], [1, 2, -1, -1]), // contiguous inside one image
        tf.slice(t, [0, 1, 1, 0], [4, 3, 2, 2]), // strided: the shipped kernel
        tf.cast(tf.slice(tf.tensor1d(ints, 'int32'), [5], [20]), 'float32'),
      ];
    });
  });
});

describe('GatherV2', () => {
  it('row copies (fast path) match cpu on every axis, float32, int32 and bool, repeated indices', async () => {
    const x = values([7, 4, 3, 5], 15);
    const ints = Int32Array.from({ length: 7 * 3 }, (_, i) => i * 11 - 90);
    await compareBackends(() => {
      const t = tf.tensor4d(x, [7, 4, 3, 5]);
      const rows = tf.tensor1d([6, 0, 3, 3, 1], 'int32');
      return [
        tf.gather(t, rows), // axis 0: a batch of images, as the trainer gathers them
        tf.gather(t, tf.tensor1d([2, 0, 2], 'int32'), 2), // inner axis: strided runs
        tf.gather(t, tf.tensor1d([4, 1], 'int32'), 3), // last axis: single elements
        tf.gather(t, tf.tensor2d([1, 3, 0, 2], [2, 2], 'int32'), 1), // 2-D indices
        tf.cast(tf.gather(tf.tensor2d(ints, [7, 3], 'int32'), rows), 'float32'),
        tf.cast(tf.gather(tf.tensor1d([true, false, true, true, false, false, true], 'bool'), rows), 'float32'),
      ];
    });
  });

  it('rejects an out-of-range index like the shipped kernel', async () => {
    await tf.setBackend('wasm');
    const t = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const bad = tf.tensor1d([0, 2], 'int32');
    expect(() => tf.gather(t, bad)).toThrow(/index value 2 is not in \[0, 1\]/);
    tf.dispose([t, bad]);
  });
});

describe('Identity', () => {
  it('shares data by reference count: a clone outlives its disposed source', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
  });
});

describe('whole-model gradients', () => {
  const variants: [string, ModelOptions][] = [
    ['seed (sigmoid, avg pool)', PRESETS.seed.model],
    ['modern (relu, max pool)', RELU_MAX],
    [
      '32×32 input, conv C5, tanh',
      {
        architecture: 'lenet5',
        output: 'softmax',
        convActivation: 'tanh',
        denseActivation: 'tanh',
        pooling: 'max',
        c5: 'conv',
        inputSize: 32,
        c1Maps: 6,
        c3Maps: 16,
        c5Units: 120,
        f6Units: 84,
        batchNorm: 'none',
        dropout: 0,
      },
    ],
  ];

  it.each(variants)('every gradient of the LeNet5 loss matches cpu: %s', async (_name, options) => {
    await tf.setBackend('cpu');
    const model = buildLeNet5(options, 7);
    const batch = 6;
    const images = values([batch, 28, 28, 1], 13).map((v) => (v + 1) / 2); // [0, 1) like the data
    const labels = Int32Array.from({ length: batch }, (_, i) => (i * 3) % 10);
    try {
      const worst = await compareBackends(() => {
        const x = tf.tensor4d(images, [batch, 28, 28, 1]);
        const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        );
        const names = Object.keys(grads).sort();
        expect(names.length).toBe(model.trainableWeights.length);
        return [value, ...names.map((n) => grads[n])];
      });
      expect(worst).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
    } finally {
      model.dispose();
      await tf.setBackend('wasm');
    }
  });
});

describe('own-kernel-pool (its threads are tested in wasm-threads.test.ts, on the threaded build)', () => {
  it('splits work into consecutive ranges, as even as they go', () => {
    expect(splitRange(5, 2)).toEqual([
      [0, 3],
      [3, 2],
    ]);
    expect(splitRange(1, 4)).toEqual([[0, 1]]);
    expect(splitRange(30, 1)).toEqual([[0, 30]]);
  });
});
