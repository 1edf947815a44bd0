/**
 * The layer-by-layer description of a configured LeNet5: one source for the torchsummary-style
 * parameter table, the architecture diagram, the tfjs model builder's tests and the CLI.
 * Pure data: no node, no tfjs (the renderer imports this file).
 *
 * Shapes follow PyTorch's [C, H, W] convention (the seed's table is a torchsummary printout),
 * whatever layout the tfjs model uses internally (it is channels-last).
 */
import type { ModelOptions } from './hyperparams';

export type LayerKind = 'input' | 'pad' | 'conv' | 'norm' | 'activation' | 'pool' | 'flatten' | 'dropout' | 'dense';

export interface LayerSpec {
  /** 1-based like torchsummary's `Conv2d-1`; the input pseudo-layer (not in the table) is 0. */
  index: number;
  kind: LayerKind;
  /** PyTorch module name: 'Conv2d', 'BatchNorm2d', 'Sigmoid', 'Tanh', 'ReLU', 'AvgPool2d', 'MaxPool2d', 'Flatten', 'BatchNorm1d', 'Dropout', 'Linear', 'ZeroPad2d' ('Input' for index 0). */
  torchName: string;
  /** Output shape without the batch: [C, H, W] or [N]. */
  outputShape: number[];
  params: number;
  /** For activation rows: 'sigmoid' | 'tanh' | 'relu'. */
  activation?: string;
  /** Square kernel / pool window side. */
  kernel?: number;
  stride?: number;
  padding?: number;
  filters?: number;
  units?: number;
  /** Human text for the diagram, e.g. 'C1: 6@28×28'. */
  label: string;
  /** Fixed (non-trainable) numbers the layer holds: the 1998 RBF output's ±1 codes. */
  fixedParams?: number;
  /** A partially connected conv (the 1998 C3): for each output map, the input maps it reads. */
  connections?: number[][];
  /** Dropout rows: the share of units zeroed while training. */
  rate?: number;
}

/**
 * Table I of LeCun et al. 1998: for each of C3's 16 maps (the paper's columns), the S2 maps (its
 * rows) it reads. "The first six C3 feature maps take inputs from every contiguous subsets of
 * three feature maps in S2. The next six take input from every contiguous subset of four. The
 * next three take input from some discontinuous subsets of four. Finally, the last one takes
 * input from all S2 feature maps."
 */
export const C3_TABLE: readonly (readonly number[])[] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [0, 4, 5],
  [0, 1, 5],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [0, 3, 4, 5],
  [0, 1, 4, 5],
  [0, 1, 2, 5],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/** The 1998 output's code length: each class is a 7×12 bitmap of ±1. */
export const RBF_CODE_LENGTH = 84;

const TORCH_ACTIVATION: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'ReLU' };
const IMAGE_SIDE = 28;
const KERNEL = 5;

/**
 * The layers of LeNet5 under `options`, preceded by the input (index 0).
 * C1 → act → S2 → C3 → act → S4 → C5 (Flatten + Linear 400→120, or Conv 5×5×120 + Flatten)
 * → [act] → F6 Linear 84 → [act] → Linear 10 (logits). The dense activation rows exist only when
 * `denseActivation` is not 'none' (the seed has none). With inputSize 32 the 28×28 image is
 * zero-padded to 32×32 first and C1 is unpadded (LeCun's original); with 28, C1 pads by 2.
 *
 * The widths are options (`c1Maps`, `c3Maps`, `c5Units`, `f6Units`; the seed: 6, 16, 120, 84).
 * Options off by default: `batchNorm` adds a BatchNorm row right after C1 and C3 ('conv'), and
 * after C5 and F6 too ('all'), before the activation; `dropout` > 0 adds a Dropout row after C5
 * and F6 (after their activation, if any). Every layer kept its row index without them.
 */
export function layerSpec(options: ModelOptions): LayerSpec[] {
  if (options.architecture === 'lecun1998') return lecun1998Spec(options);
  const layers: LayerSpec[] = [];
  const add = (layer: Omit<LayerSpec, 'index'>) => layers.push({ index: layers.length, ...layer });
  const norm = (after: 'conv' | 'dense') => {
    if (options.batchNorm === 'none' || (after === 'dense' && options.batchNorm !== 'all')) return;
    const shape = shapeOf(layers);
    // γ and β per map (or unit) are trained; the moving mean and variance are not parameters (torchsummary's count).
    add({
      kind: 'norm',
      torchName: shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d',
      outputShape: [...shape],
      params: 2 * shape[0],
      label: `BatchNorm: ${shape[0]}`,
    });
  };
  const dropout = () => {
    if (options.dropout > 0)
      add({
        kind: 'dropout',
        torchName: 'Dropout',
        outputShape: [...shapeOf(layers)],
        params: 0,
        rate: options.dropout,
        label: `Dropout: ${options.dropout}`,
      });
  };
  const convAct = () => {
    norm('conv');
    add(activationLayer(options.convActivation, shapeOf(layers)));
  };
  const denseAct = () => {
    if (options.denseActivation !== 'none') add(activationLayer(options.denseActivation, shapeOf(layers)));
  };
  const pool = (label: string) => {
    const [c, h, w] = shapeOf(layers);
    const max = options.pooling === 'max';
    add({
      kind: 'pool',
      torchName: max ? 'MaxPool2d' : 'AvgPool2d',
      outputShape: [c, h / 2, w / 2],
      params: 0,
      kernel: 2,
      stride: 2,
      label: `${label}: ${c}@${h / 2}×${w / 2}`,
    });
  };
  const conv = (filters: number, padding: number, label: string) => {
    const [c, h, w] = shapeOf(layers);
    const side = h + 2 * padding - KERNEL + 1;
    const outW = w + 2 * padding - KERNEL + 1;
    add({
      kind: 'conv',
      torchName: 'Conv2d',
      outputShape: [filters, side, outW],
      params: KERNEL * KERNEL * c * filters + filters,
      kernel: KERNEL,
      stride: 1,
      padding,
      filters,
      label: `${label}: ${filters}@${side}×${outW}`,
    });
  };
  const dense = (units: number, label: string) => {
    const inputs = product(shapeOf(layers));
    add({
      kind: 'dense',
      torchName: 'Linear',
      outputShape: [units],
      params: inputs * units + units,
      units,
      label: `${label}: ${units}`,
    });
  };
  const flatten = () => {
    const n = product(shapeOf(layers));
    add({ kind: 'flatten', torchName: 'Flatten', outputShape: [n], params: 0, label: `Flatten: ${n}` });
  };

  add({
    kind: 'input',
    torchName: 'Input',
    outputShape: [1, IMAGE_SIDE, IMAGE_SIDE],
    params: 0,
    label: `Input: 1@${IMAGE_SIDE}×${IMAGE_SIDE}`,
  });
  if (options.inputSize === 32) {
    const pad = (32 - IMAGE_SIDE) / 2;
    add({
      kind: 'pad',
      torchName: 'ZeroPad2d',
      outputShape: [1, 32, 32],
      params: 0,
      padding: pad,
      label: 'Pad: 1@32×32',
    });
    conv(options.c1Maps, 0, 'C1');
  } else {
    conv(options.c1Maps, 2, 'C1'); // padding 2 keeps 28×28, as the seed does
  }
  convAct();
  pool('S2');
  conv(options.c3Maps, 0, 'C3');
  convAct();
  pool('S4');
  if (options.c5 === 'conv') {
    conv(options.c5Units, 0, 'C5');
    norm('dense');
    denseAct();
    flatten();
  } else {
    flatten();
    dense(options.c5Units, 'C5');
    norm('dense');
    denseAct();
  }
  dropout();
  dense(options.f6Units, 'F6');
  norm('dense');
  denseAct();
  dropout();
  dense(10, 'Output');
  return layers;
}

/**
 * The network of LeCun et al. 1998, section II.B, with each layer's parameters as the paper
 * counts them: C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164 (60,000 trainable). Every
 * layer up to F6 is followed by the squashing function 1.7159·tanh(2a/3). The output is 10
 * Euclidean RBF units over fixed ±1 codes (840 fixed numbers, none trainable) or, as an option,
 * Linear 84→10 whose logits go through softmax.
 */
function lecun1998Spec(options: ModelOptions): LayerSpec[] {
  const layers: LayerSpec[] = [];
  const add = (layer: Omit<LayerSpec, 'index'>) => layers.push({ index: layers.length, ...layer });
  const squash = () =>
    add({
      kind: 'activation',
      torchName: 'ScaledTanh',
      outputShape: [...shapeOf(layers)],
      params: 0,
      // The diagram's "after tanh"; the row's name and label say it is the scaled one.
      activation: 'tanh',
      label: '1.7159·tanh(2a/3)',
    });
  const conv = (filters: number, label: string, connections?: number[][]) => {
    const [c, h, w] = shapeOf(layers);
    const inputs = connections ? connections.reduce((n, maps) => n + maps.length, 0) : c * filters;
    const [oh, ow] = [h - KERNEL + 1, w - KERNEL + 1];
    add({
      kind: 'conv',
      torchName: connections ? 'PartialConv2d' : 'Conv2d',
      outputShape: [filters, oh, ow],
      params: KERNEL * KERNEL * inputs + filters,
      kernel: KERNEL,
      stride: 1,
      padding: 0,
      filters,
      label: `${label}: ${filters}@${oh}×${ow}`,
      ...(connections ? { connections } : {}),
    });
    squash();
  };
  const subsample = (label: string) => {
    const [c, h, w] = shapeOf(layers);
    // One coefficient and one bias per map.
    add({
      kind: 'pool',
      torchName: 'Subsampling2d',
      outputShape: [c, h / 2, w / 2],
      params: 2 * c,
      kernel: 2,
      stride: 2,
      label: `${label}: ${c}@${h / 2}×${w / 2}`,
    });
    squash();
  };

  add({
    kind: 'input',
    torchName: 'Input',
    outputShape: [1, IMAGE_SIDE, IMAGE_SIDE],
    params: 0,
    label: 'Input: 1@28×28',
  });
  add({ kind: 'pad', torchName: 'ZeroPad2d', outputShape: [1, 32, 32], params: 0, padding: 2, label: 'Pad: 1@32×32' });
  conv(6, 'C1');
  subsample('S2');
  conv(
    16,
    'C3',
    C3_TABLE.map((maps) => [...maps]),
  );
  subsample('S4');
  conv(120, 'C5');
  add({ kind: 'flatten', torchName: 'Flatten', outputShape: [120], params: 0, label: 'Flatten: 120' });
  add({ kind: 'dense', torchName: 'Linear', outputShape: [84], params: 120 * 84 + 84, units: 84, label: 'F6: 84' });
  squash();
  if (options.output === 'rbf') {
    add({
      kind: 'dense',
      torchName: 'RBF',
      outputShape: [10],
      params: 0,
      fixedParams: 10 * RBF_CODE_LENGTH,
      units: 10,
      label: 'Output: 10 RBF',
    });
  } else {
    add({
      kind: 'dense',
      torchName: 'Linear',
      outputShape: [10],
      params: 84 * 10 + 10,
      units: 10,
      label: 'Output: 10',
    });
  }
  return layers;
}

function activationLayer(activation: string, shape: number[]): Omit<LayerSpec, 'index'> {
  const torchName = TORCH_ACTIVATION[activation];
  return { kind: 'activation', torchName, outputShape: [...shape], params: 0, activation, label: torchName };
}

function shapeOf(layers: LayerSpec[]): number[] {
  return layers[layers.length - 1].outputShape;
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Trainable parameters of the model: 61,706 for every configurable variant of the seed's widths without batch norm
 * (padding, pooling, activations and dropout have none; batch norm adds γ and β per map or unit:
 * 44 after C1 and C3, 452 after C5 and F6 too); 60,000 for the 1998 network with its RBF output
 * (61,014 with softmax).
 */
export function parameterCount(options: ModelOptions): number {
  return layerSpec(options).reduce((sum, layer) => sum + layer.params, 0);
}

/** Python's "{0:,}" for an integer: 61706 → "61,706". */
function thousands(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)));
  return (n < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Python's "%0.2f": correctly rounded from the exact binary value, ties to even. `toFixed` rounds
 * ties up, so an exact tie (e.g. 0.125) would print differently; toFixed(60) gives the exact
 * decimal expansion of the sizes printed here (multiples of 2⁻²⁰), so round that string ourselves.
 */
export function formatFixed2(x: number): string {
  const exact = Math.abs(x).toFixed(60);
  const [whole, fraction] = exact.split('.');
  const kept = BigInt(whole + fraction.slice(0, 2));
  const rest = fraction.slice(2);
  const up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || kept % 2n === 1n));
  const cents = (kept + (up ? 1n : 0n)).toString().padStart(3, '0');
  const sign = x < 0 && cents !== '000' ? '-' : '';
  return `${sign}${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

const RULE = '-'.repeat(64);
const padStart = (s: string, width: number) => s.padStart(width);
const row = (name: string, shape: string, params: string) =>
  `${padStart(name, 20)}  ${padStart(shape, 25)} ${padStart(params, 15)}`;
const total = (label: string, value: string) => `${' '.repeat(8)}${label.padEnd(36)}${value}`;

/**
 * The parameter table in the format of the seed's torchsummary printout (its `summary(net,
 * (1, 28, 28))` output as reproduced in the seed's README: dashed rules, aligned totals), so the
 * seed configuration gives the seed's text character for character. Figures follow
 * torchsummary: 4 bytes per number, batch 1, forward/backward = 2 × all layer outputs.
 * Lines end with '\n', including the last.
 */
export function parameterSummary(options: ModelOptions): string {
  const layers = layerSpec(options).filter((l) => l.kind !== 'input');
  const inputShape = [1, IMAGE_SIDE, IMAGE_SIDE];
  const trainable = layers.reduce((s, l) => s + l.params, 0);
  const fixed = layers.reduce((s, l) => s + (l.fixedParams ?? 0), 0);
  const totalParams = trainable + fixed;
  const totalOutputs = layers.reduce((s, l) => s + product(l.outputShape), 0);
  const MB = 1024 ** 2;
  const inputMB = (product(inputShape) * 1 * 4) / MB;
  const forwardBackwardMB = (2 * totalOutputs * 4) / MB;
  const paramsMB = (totalParams * 4) / MB;

  const lines = [
    RULE,
    row('Layer (type)', 'Output Shape', 'Param #'),
    RULE,
    ...layers.map((l) =>
      row(
        `${l.torchName}-${l.index}`,
        `[${[-1, ...l.outputShape].join(', ')}]`,
        thousands(l.params + (l.fixedParams ?? 0)),
      ),
    ),
    RULE,
    total('Total params', thousands(totalParams)),
    total('Trainable params', thousands(trainable)),
    total('Non-trainable params', thousands(fixed)),
    RULE,
    total('Input size (MB)', formatFixed2(inputMB)),
    total('Forward/backward pass size (MB)', formatFixed2(forwardBackwardMB)),
    total('Params size (MB)', formatFixed2(paramsMB)),
    total('Estimated Total Size (MB)', formatFixed2(inputMB + forwardBackwardMB + paramsMB)),
    RULE,
  ];
  return lines.join('\n') + '\n';
}
