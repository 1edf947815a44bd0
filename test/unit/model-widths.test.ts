/**
 * The layers' widths (C1 and C3 maps, C5 and F6 units) as options of the configurable LeNet-5's
 * builder: parameter counts worked out by hand from the layer formulas (k·k·C_in·C_out + C_out for
 * a convolution, in·out + out for a linear layer, 2 per map for batch norm), the tfjs model built
 * to the spec, the inspector's kernels sized by the widths, and stored configurations from before
 * the options read as the seed's widths.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelsOf, stageMap } from '../../src/core/engine';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { PRESETS, parseHyperparams, type ModelOptions } from '../../src/shared/hyperparams';
import { layerSpec, parameterCount, parameterSummary } from '../../src/shared/lenet';
import { RELU_MAX, RELU_MAX_RECIPE } from '../support/networks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const modern = RELU_MAX;
const wide: ModelOptions = { ...modern, c1Maps: 16, c3Maps: 32, c5Units: 96, f6Units: 84, batchNorm: 'conv' };

/** The spec's rows as `torchName:params`, the input left out. */
const rowsOf = (options: ModelOptions) =>
  layerSpec(options)
    .slice(1)
    .map((l) => `${l.torchName}:${l.params}`);

describe('the layer spec with other widths', () => {
  it('sizes every layer from the widths (16, 32, 96, 84 with batch norm: 99,238 parameters)', () => {
    const c1 = 5 * 5 * 1 * 16 + 16; // 416
    const c3 = 5 * 5 * 16 * 32 + 32; // 12,832
    const c5 = 32 * 5 * 5 * 96 + 96; // 76,896
    const f6 = 96 * 84 + 84; // 8,148
    const out = 84 * 10 + 10; // 850
    const norms = 2 * 16 + 2 * 32;
    expect(rowsOf(wide)).toEqual([
      `Conv2d:${c1}`,
      'BatchNorm2d:32',
      'ReLU:0',
      'MaxPool2d:0',
      `Conv2d:${c3}`,
      'BatchNorm2d:64',
      'ReLU:0',
      'MaxPool2d:0',
      'Flatten:0',
      `Linear:${c5}`,
      'ReLU:0',
      `Linear:${f6}`,
      'ReLU:0',
      `Linear:${out}`,
    ]);
    expect(parameterCount(wide)).toBe(c1 + c3 + c5 + f6 + out + norms);
    expect(parameterCount(wide)).toBe(99_238);
    expect(layerSpec(wide).map((l) => l.outputShape)).toContainEqual([32, 5, 5]);
  });

  it('C5 as a 5×5 convolution over the wider C3 has as many parameters as the linear C5', () => {
    const conv = layerSpec({ ...wide, c5: 'conv' }).find((l) => l.torchName === 'Conv2d' && l.label.startsWith('C5'));
    expect(conv).toMatchObject({ outputShape: [96, 1, 1], params: 32 * 5 * 5 * 96 + 96 });
  });

  it('prints the widths in the summary table and labels the diagram with them', () => {
    const summary = parameterSummary(wide);
    expect(summary).toMatch(/Conv2d-1\s+\[-1, 16, 28, 28\]\s+416\n/);
    expect(summary).toMatch(/Conv2d-5\s+\[-1, 32, 10, 10\]\s+12,832\n/);
    expect(summary).toMatch(/Trainable params\s+99,238\n/);
    expect(layerSpec(wide).map((l) => l.label)).toEqual(
      expect.arrayContaining(['C1: 16@28×28', 'S2: 16@14×14', 'C3: 32@10×10', 'C5: 96', 'F6: 84']),
    );
  });

  it('reads a configuration stored before the widths existed as the seed’s 6, 16, 120, 84', () => {
    const { c1Maps: _a, c3Maps: _b, c5Units: _c, f6Units: _d, ...older } = PRESETS.seed.model;
    const parsed = parseHyperparams({ ...PRESETS.seed, model: older });
    expect(parsed.ok && parsed.data.model).toMatchObject({ c1Maps: 6, c3Maps: 16, c5Units: 120, f6Units: 84 });
    if (parsed.ok) expect(parameterCount(parsed.data.model)).toBe(61_706);
  });

  it('refuses widths out of range, naming the field and its range', () => {
    const parsed = parseHyperparams({ ...RELU_MAX_RECIPE, model: { ...modern, c3Maps: 0, f6Units: 2000 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors).toEqual([
        'model.c3Maps: must be an integer from 1 to 128',
        'model.f6Units: must be an integer from 1 to 1024',
      ]);
  });

  it('leaves the 1998 network as the paper built it', () => {
    const plain = layerSpec(PRESETS.lecun1998.model);
    expect(layerSpec({ ...PRESETS.lecun1998.model, c1Maps: 16, c3Maps: 32, c5Units: 96 })).toEqual(plain);
  });
});

describe('the tfjs model with other widths', () => {
  const variants: ModelOptions[] = [wide, { ...wide, c5: 'conv', inputSize: 32, f6Units: 40, dropout: 0.25 }];

  it.each(variants.map((v) => [JSON.stringify(v), v] as const))('follows the spec: %s', (_, options) => {
    const model = buildLeNet5(options, 3);
    try {
      const spec = layerSpec(options).slice(1);
      expect(model.layers.map((l) => l.name)).toEqual(spec.map((l) => `${l.torchName}-${l.index}`));
      const sizes = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
      model.layers.forEach((layer, i) => expect(sizes(layer.trainableWeights), layer.name).toBe(spec[i].params));
      const logits = tf.tidy(() => model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor);
      expect(logits.shape).toEqual([2, 10]);
      logits.dispose();
    } finally {
      model.dispose();
    }
  });

  it('gives the inspector C1’s and C3’s kernels at their widths', () => {
    const model = buildLeNet5(wide, 4);
    try {
      const kernels = kernelsOf(model, stageMap(wide));
      expect(kernels.c1.length).toBe(16 * 5 * 5);
      expect(kernels.c3.length).toBe(32 * 16 * 5 * 5);
      expect(kernels.c3Bias.length).toBe(32);
    } finally {
      model.dispose();
    }
  });
});
