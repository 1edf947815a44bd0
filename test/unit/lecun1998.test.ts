/**
 * The 1998 network (LeCun et al., sec. II.B): per-layer parameters as the paper gives them, C3's
 * Table I, the RBF output's eq. 9 gradient and the trainable subsampling checked against finite
 * differences of independent double-precision JS references, and checkpoints that load.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../src/core/engine/checkpoint';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import {
  PartialConv2d,
  RBF_LOSS_J,
  rbfCodes,
  rbfLoss,
  RbfOutput,
  Subsampling2d,
} from '../../src/core/engine/model/lecun1998';
import { stageMap } from '../../src/core/engine/model/stages';
import { PRESETS, type ModelOptions } from '../../src/shared/hyperparams';
import { C3_TABLE, layerSpec, parameterCount, parameterSummary } from '../../src/shared/lenet';

const RBF: ModelOptions = PRESETS.lecun1998.model;
const SOFTMAX: ModelOptions = { ...RBF, output: 'softmax' };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The paper's figures (sec. II.B), typed from the text. */
const PAPER = { C1: 156, S2: 12, C3: 1516, S4: 32, C5: 48120, F6: 10164 };

/** Trainable numbers a tfjs layer really updates: the partial conv's unmasked weights only. */
function trainableOf(layer: tf.layers.Layer): number {
  if (layer instanceof PartialConv2d) {
    // Count the kernel's entries that are not held at zero by the mask, independently of
    // trainableCount: a fresh kernel is random where connected and exactly 0 where not.
    const [kernel, bias] = layer.getWeights();
    const nonZero = (kernel.dataSync() as Float32Array).filter((v) => v !== 0).length;
    return nonZero + bias.size;
  }
  return layer.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

describe('the 1998 network: parameters', () => {
  it("the spec gives each layer the paper's figure and 60,000 trainable parameters in all", () => {
    const rows = layerSpec(RBF);
    const at = (prefix: string) => rows.find((r) => r.label.startsWith(`${prefix}:`))!.params;
    expect(Object.fromEntries(Object.keys(PAPER).map((k) => [k, at(k)]))).toEqual(PAPER);
    expect(parameterCount(RBF)).toBe(60_000);
    expect(parameterCount(SOFTMAX)).toBe(60_000 + 84 * 10 + 10);
  });

  it('the built model updates exactly those parameters, layer by layer', () => {
    const model = buildLeNet5(RBF, 7);
    try {
      const rows = layerSpec(RBF).slice(1);
      expect(model.layers.map((l) => l.name)).toEqual(rows.map((r) => `${r.torchName}-${r.index}`));
      model.layers.forEach((layer, i) => expect(trainableOf(layer), layer.name).toBe(rows[i].params));
      expect(model.layers.reduce((n, l) => n + trainableOf(l), 0)).toBe(60_000);
      expect(model.outputs[0].shape).toEqual([null, 10]);
    } finally {
      model.dispose();
    }
  });

  it('the summary table shows the paper figures and 840 fixed code numbers apart', () => {
    const text = parameterSummary(RBF);
    for (const figure of ['156', '12', '1,516', '32', '48,120', '10,164', '840']) {
      expect(text).toMatch(new RegExp(`\\]\\s+${figure}\\n`));
    }
    expect(text).toContain('Total params                        60,840');
    expect(text).toContain('Trainable params                    60,000');
    expect(text).toContain('Non-trainable params                840');
  });
});

describe("the 1998 network: C3's connection table", () => {
  /**
   * Table I from the paper's rule: columns 0–5 read 3 contiguous S2 maps, 6–11 four contiguous,
   * 12–14 four non-contiguous (two pairs with a gap: i, i+1, i+3, i+4), 15 all six; mod 6.
   */
  function tableFromRule(): boolean[][] {
    const table = Array.from({ length: 6 }, () => Array<boolean>(16).fill(false));
    const mark = (column: number, maps: number[]) => maps.forEach((m) => (table[m % 6][column] = true));
    for (let i = 0; i < 6; i++) mark(i, [i, i + 1, i + 2]);
    for (let i = 0; i < 6; i++) mark(6 + i, [i, i + 1, i + 2, i + 3]);
    for (let i = 0; i < 3; i++) mark(12 + i, [i, i + 1, i + 3, i + 4]);
    mark(15, [0, 1, 2, 3, 4, 5]);
    return table;
  }

  it('equals Table I (rows: S2 maps, columns: C3 maps), 60 connections', () => {
    const table = Array.from({ length: 6 }, (_, row) =>
      Array.from({ length: 16 }, (_, column) => C3_TABLE[column].includes(row)),
    );
    expect(table).toEqual(tableFromRule());
    expect(table.flat().filter(Boolean)).toHaveLength(60);
    // Table I as the paper prints it, row by row.
    expect(table.map((row) => row.map((x) => (x ? 'X' : '.')).join(''))).toEqual([
      'X...XXX..XXXX.XX',
      'XX...XXX..XXXX.X',
      'XXX...XXX..X.XXX',
      '.XXX..XXXX..X.XX',
      '..XXX..XXXX.XX.X',
      '...XXX..XXXX.XXX',
    ]);
  });

  it('the built C3 kernel is zero exactly where the table has no connection, and stays so after a step', () => {
    const model = buildLeNet5(RBF, 3);
    const c3 = model.layers.find((l) => l instanceof PartialConv2d)!;
    const zeroPattern = () => {
      const kernel = c3.getWeights()[0].arraySync() as number[][][][]; // [5][5][6][16]
      return Array.from({ length: 6 }, (_, row) =>
        Array.from({ length: 16 }, (_, col) => kernel.every((r) => r.every((px) => px[row][col] !== 0))),
      );
    };
    const expected = tableFromRule();
    expect(zeroPattern()).toEqual(expected);
    const optimizer = tf.train.adam(0.01);
    tf.tidy(() => {
      const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10);
      optimizer.minimize(() => rbfLoss(y as tf.Tensor2D, model.apply(x) as tf.Tensor2D).mean() as tf.Scalar);
    });
    expect(zeroPattern()).toEqual(expected);
    optimizer.dispose();
    model.dispose();
  });
});

/** Central finite differences of f at x (double precision), step h. */
function finiteDifferences(f: (x: number[]) => number, x: number[], h: number): number[] {
  return x.map((_, i) => {
    const plus = [...x];
    const minus = [...x];
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

function seededValues(n: number, seed: number, scale = 1): number[] {
  return Array.from(tf.tidy(() => tf.randomUniform([n], -scale, scale, 'float32', seed).dataSync()));
}

/** Max |a − b| / max(1, |b|): an error relative to the reference's size, absolute near 0. */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe('the 1998 network: RBF output and eq. 9', () => {
  const codes = Array.from(rbfCodes());

  /** Eq. 9 for one image in JS doubles: y_D + log(e^{−j} + Σ e^{−y_i}), y_i = ‖x − code_i‖². */
  function eq9(x: number[], desired: number): number {
    const y = Array.from({ length: 10 }, (_, i) => x.reduce((s, v, j) => s + (v - codes[i * 84 + j]) ** 2, 0));
    const m = Math.min(...y, RBF_LOSS_J);
    const sum = Math.exp(-(RBF_LOSS_J - m)) + y.reduce((s, yi) => s + Math.exp(-(yi - m)), 0);
    return y[desired] - m + Math.log(sum);
  }

  it('codes are ±1, both signs, and fixed (not trainable)', () => {
    expect(codes).toHaveLength(840);
    expect(codes.every((c) => c === 1 || c === -1)).toBe(true);
    expect(codes.filter((c) => c === 1).length).toBeGreaterThan(300);
    const layer = new RbfOutput({});
    layer.apply(tf.input({ shape: [84] }));
    expect(layer.trainableWeights).toHaveLength(0);
    expect(Array.from(layer.getWeights()[0].dataSync())).toEqual(codes);
  });

  it("eq. 9's gradient with respect to F6's output equals finite differences (relative 1e-3)", () => {
    const layer = new RbfOutput({});
    layer.apply(tf.input({ shape: [84] }));
    // F6's outputs lie in ±1.7159 (the squashing function's range).
    const x = seededValues(84, 11, 1.7);
    const desired = 4;
    const [value, gradient] = tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d([desired], 'int32'), 10) as tf.Tensor2D;
      const f = (input: tf.Tensor) => rbfLoss(y, layer.apply(input) as tf.Tensor2D).sum();
      const { value, grad } = tf.valueAndGrad(f)(tf.tensor2d(x, [1, 84]));
      return [value.dataSync()[0], Array.from(grad.dataSync())];
    });
    expect(value).toBeCloseTo(eq9(x, desired), 2);
    const reference = finiteDifferences((v) => eq9(v, desired), x, 1e-5);
    // float32 forward of a sum of 840 squares: 1e-3 of the gradient's scale (~1) is ~100 ulps.
    expect(maxRelativeError(gradient, reference)).toBeLessThan(1e-3);
  });

  it('predicts the class of the nearest code; a code itself has distance 0', () => {
    const layer = new RbfOutput({});
    layer.apply(tf.input({ shape: [84] }));
    const out = tf.tidy(() => layer.apply(tf.tensor2d(codes.slice(3 * 84, 4 * 84), [1, 84])) as tf.Tensor);
    const values = Array.from(out.dataSync());
    expect(Math.abs(values[3])).toBe(0);
    expect(values.indexOf(Math.max(...values))).toBe(3);
    out.dispose();
  });
});

describe('the 1998 network: trainable subsampling', () => {
  // x: [1, 4, 4, 2]; out[i, j, c] = coef[c] · Σ_{2×2} x + bias[c]. L = Σ r ⊙ out.
  const x = seededValues(32, 21);
  const r = seededValues(8, 22);
  const coef = [0.7, -0.3];
  const bias = [0.1, -0.2];
  const index = (i: number, j: number, c: number) => (i * 4 + j) * 2 + c;

  function reference(xs: number[], cs: number[], bs: number[]): number[] {
    const out: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let c = 0; c < 2; c++) {
          let sum = 0;
          for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) sum += xs[index(2 * i + di, 2 * j + dj, c)];
          out.push(cs[c] * sum + bs[c]);
        }
    return out;
  }
  const objective = (xs: number[], cs: number[], bs: number[]) =>
    reference(xs, cs, bs).reduce((s, v, k) => s + v * r[k], 0);

  function layerWith(): Subsampling2d {
    const layer = new Subsampling2d({ seed: 1 });
    layer.apply(tf.input({ shape: [4, 4, 2] }));
    layer.setWeights([tf.tensor1d(coef), tf.tensor1d(bias)]);
    return layer;
  }

  it('forward equals the sum of each 2×2 window × coefficient + bias (abs 1e-6)', () => {
    const layer = layerWith();
    const out = tf.tidy(() => Array.from((layer.apply(tf.tensor4d(x, [1, 4, 4, 2])) as tf.Tensor).dataSync()));
    expect(maxRelativeError(out, reference(x, coef, bias))).toBeLessThan(1e-6);
  });

  it('gradients for the input, the coefficients and the biases equal finite differences (relative 1e-4)', () => {
    const layer = layerWith();
    const [coefficient, b] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads = tf.tidy(() => {
      const input = tf.tensor4d(x, [1, 4, 4, 2]);
      const rt = tf.tensor4d(r, [1, 2, 2, 2]);
      const f = () => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, rt)) as tf.Scalar;
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v) as tf.Tensor, rt)))(input);
      const { grads: dw } = tf.variableGrads(f, [coefficient, b]);
      return [dx, dw[coefficient.name], dw[b.name]].map((t) => Array.from(t.dataSync()));
    });
    const h = 1e-6;
    expect(
      maxRelativeError(
        grads[0],
        finiteDifferences((v) => objective(v, coef, bias), x, h),
      ),
    ).toBeLessThan(1e-4);
    expect(
      maxRelativeError(
        grads[1],
        finiteDifferences((v) => objective(x, v, bias), coef, h),
      ),
    ).toBeLessThan(1e-4);
    expect(
      maxRelativeError(
        grads[2],
        finiteDifferences((v) => objective(x, coef, v), bias, h),
      ),
    ).toBeLessThan(1e-4);
  });
});

describe('the 1998 network: checkpoints, stages, squashing', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lecun1998-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const options of [RBF, SOFTMAX]) {
    it(`saves and loads (${options.output} output): same outputs from the loaded model`, async () => {
      const model = buildLeNet5(options, 5);
      const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
      await saveCheckpoint(model, path.join(dir, options.output));
      const loaded = await loadCheckpoint(path.join(dir, options.output));
      const [a, b] = [model, loaded].map((m) => Array.from((m.predict(x) as tf.Tensor).dataSync()));
      expect(maxRelativeError(b, a)).toBe(0);
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      tf.dispose(x);
      model.dispose();
      loaded.dispose();
    });
  }

  it('the inspector finds every stage: C1/C3 after their squashing, the output last', () => {
    const rows = layerSpec(RBF).slice(1);
    const stages = stageMap(RBF);
    expect(rows[stages.C1 - 1].label).toBe('C1: 6@28×28');
    expect(rows[stages.C3 - 1].label).toBe('C3: 16@10×10');
    expect(rows[stages.S2].label).toBe('S2: 6@14×14');
    expect(rows[stages.Output].label).toBe('Output: 10 RBF');
  });

  it('the squashing function is 1.7159·tanh(2a/3): f(1) ≈ 1, f(−1) ≈ −1', () => {
    const model = buildLeNet5(RBF, 1);
    const squash = model.layers.find((l) => l.getClassName() === 'ScaledTanh')!;
    const values = tf.tidy(() => Array.from((squash.apply(tf.tensor1d([1, -1, 0])) as tf.Tensor).dataSync()));
    expect(values[0]).toBeCloseTo(1.7159 * Math.tanh(2 / 3), 6);
    expect(values[0]).toBeCloseTo(1, 3);
    expect(values[1]).toBeCloseTo(-values[0], 6);
    model.dispose();
  });
});
