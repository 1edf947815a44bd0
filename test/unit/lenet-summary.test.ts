import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { formatFixed2, layerSpec, parameterCount, parameterSummary } from '../../src/shared/lenet';
import { allVariants } from './model-variants';

const here = dirname(fileURLToPath(import.meta.url));
const seedModel = PRESETS.seed.model;

/** The block from the first dashes line to the last, as the brief defines "the seed's table". */
function extractTable(text: string): string {
  const lines = text.split('\n');
  const isRule = (l: string) => /^-{10,}$/.test(l);
  const first = lines.findIndex(isRule);
  const last = lines.findLastIndex(isRule);
  return lines.slice(first, last + 1).join('\n') + '\n';
}

/** "Conv2d-1 [-1, 6, 28, 28] 156" rows of a summary, whitespace-collapsed. */
const rows = (summary: string) =>
  summary
    .split('\n')
    .filter((l) => /^\s+\w+-\d+\s/.test(l))
    .map((l) =>
      l
        .trim()
        .split(/\s{2,}/)
        .join(' '),
    );

describe('parameterSummary', () => {
  it('matches the seed table (committed copy) character for character', () => {
    const fixture = readFileSync(join(here, '../fixtures/seed-summary.txt'), 'utf8');
    expect(parameterSummary(seedModel)).toBe(fixture);
  });

  // The seed itself lives beside the repository in the workspace (../shared/seed); a clean clone
  // does not have it. Where it is, the committed copy must still be its table, so the check above
  // cannot drift from the seed; where it is not, the committed copy stands in (no skip).
  it('the committed copy is the seed file’s own table, where the seed is beside the checkout', () => {
    const fixture = readFileSync(join(here, '../fixtures/seed-summary.txt'), 'utf8');
    const seedDir = resolve(here, '../../../shared/seed');
    const seedFile = existsSync(seedDir)
      ? readdirSync(seedDir)
          .map((f) => join(seedDir, f))
          .find((f) => readFileSync(f, 'utf8').includes('Layer (type)'))
      : undefined;
    const table = seedFile ? extractTable(readFileSync(seedFile, 'utf8')) : fixture;
    expect(fixture).toBe(table);
    // Either way the table is the seed's shape: its rules, header and the seven layers' rows.
    expect(table.startsWith('-'.repeat(10))).toBe(true);
    expect(table).toContain('Layer (type)');
    expect(rows(table)).toHaveLength(rows(parameterSummary(seedModel)).length);
  });

  it('max pooling and dense activations show up as rows', () => {
    const summary = parameterSummary({ ...seedModel, pooling: 'max', denseActivation: 'tanh' });
    expect(rows(summary)).toEqual([
      'Conv2d-1 [-1, 6, 28, 28] 156',
      'Sigmoid-2 [-1, 6, 28, 28] 0',
      'MaxPool2d-3 [-1, 6, 14, 14] 0',
      'Conv2d-4 [-1, 16, 10, 10] 2,416',
      'Sigmoid-5 [-1, 16, 10, 10] 0',
      'MaxPool2d-6 [-1, 16, 5, 5] 0',
      'Flatten-7 [-1, 400] 0',
      'Linear-8 [-1, 120] 48,120',
      'Tanh-9 [-1, 120] 0',
      'Linear-10 [-1, 84] 10,164',
      'Tanh-11 [-1, 84] 0',
      'Linear-12 [-1, 10] 850',
    ]);
    // Right-aligned in torchsummary's 20-wide name column even with a two-digit index.
    expect(summary).toContain('\n           Linear-12                   [-1, 10]             850\n');
  });

  it("C5 as a convolution, on a 32×32 padded input (LeCun's original layout)", () => {
    const summary = parameterSummary({
      architecture: 'lenet5',
      output: 'softmax',
      convActivation: 'relu',
      denseActivation: 'none',
      pooling: 'avg',
      c5: 'conv',
      inputSize: 32,
      c1Maps: 6,
      c3Maps: 16,
      c5Units: 120,
      f6Units: 84,
      batchNorm: 'none',
      dropout: 0,
    });
    expect(rows(summary)).toEqual([
      'ZeroPad2d-1 [-1, 1, 32, 32] 0',
      'Conv2d-2 [-1, 6, 28, 28] 156',
      'ReLU-3 [-1, 6, 28, 28] 0',
      'AvgPool2d-4 [-1, 6, 14, 14] 0',
      'Conv2d-5 [-1, 16, 10, 10] 2,416',
      'ReLU-6 [-1, 16, 10, 10] 0',
      'AvgPool2d-7 [-1, 16, 5, 5] 0',
      'Conv2d-8 [-1, 120, 1, 1] 48,120',
      'Flatten-9 [-1, 120] 0',
      'Linear-10 [-1, 84] 10,164',
      'Linear-11 [-1, 10] 850',
    ]);
    // The input is still the 28×28 image; the padded copy counts as a layer output.
    expect(summary).toContain('        Input size (MB)                     0.00\n');
    // 2·4·(1024 + 4704·2 + 1176 + 1600·2 + 400 + 120 + 120 + 84 + 10) / 2²⁰ = 0.1182…
    expect(summary).toContain('        Forward/backward pass size (MB)     0.12\n');
  });

  it("rounds like Python's %0.2f (exact ties to even)", () => {
    expect([0.125, 0.375, 0.135, 0.005, 1.005, 0.0029, 0].map(formatFixed2)).toEqual([
      '0.12',
      '0.38',
      '0.14',
      '0.01',
      '1.00',
      '0.00',
      '0.00',
    ]);
  });
});

describe('layerSpec', () => {
  it('every variant has 61,706 parameters and ends in 10 logits', () => {
    for (const options of allVariants()) {
      const spec = layerSpec(options);
      expect(parameterCount(options)).toBe(61_706);
      expect(spec[0]).toMatchObject({ index: 0, kind: 'input', outputShape: [1, 28, 28] });
      expect(spec.at(-1)).toMatchObject({ kind: 'dense', outputShape: [10], units: 10 });
      expect(spec.map((l) => l.index)).toEqual(spec.map((_, i) => i));
    }
  });

  it('labels the seed network for the diagram', () => {
    expect(layerSpec(seedModel).map((l) => l.label)).toEqual([
      'Input: 1@28×28',
      'C1: 6@28×28',
      'Sigmoid',
      'S2: 6@14×14',
      'C3: 16@10×10',
      'Sigmoid',
      'S4: 16@5×5',
      'Flatten: 400',
      'C5: 120',
      'F6: 84',
      'Output: 10',
    ]);
    expect(layerSpec(seedModel)[1]).toMatchObject({
      kind: 'conv',
      kernel: 5,
      stride: 1,
      padding: 2,
      filters: 6,
      params: 156,
    });
  });
});
