/**
 * `npm run bench -- pytorch`: the parts that decide what it prints without running two epochs —
 * reading the studio's epoch line, and succeeding with a message where no Python has torch —
 * and the checks that keep `--preset`'s PyTorch side training what the studio trains: the
 * configuration refused field by field (tools/bench/pytorch/preset_config.py, run with the
 * plain `python3`: no torch needed), and the bench stopping when the two networks differ.
 * The PyTorch network itself is compared with the studio's by tools/bench/pytorch-mirror-check.ts
 * (needs a Python with torch, which CI does not install).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseHyperparams, PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import { parsePytorchArgs, parseSections } from '../../tools/bench/args';
import {
  findTorchPython,
  parseStudioOutput,
  runPytorchBench,
  scalingOf,
  type BenchPair,
} from '../../tools/bench/pytorch';
import {
  networkDifference,
  presetTiming,
  pytorchEpochs,
  runPresetBench,
  studioEpochs,
  studioNetwork,
  type NetworkLayers,
} from '../../tools/bench/pytorch-preset';

const PRESET_CONFIG = path.resolve('tools/bench/pytorch/preset_config.py');

/** preset_config.py on `config`: its exit status, what it printed, and its refusal. */
function checkConfig(config: unknown) {
  const run = spawnSync('python3', [PRESET_CONFIG, '--config', JSON.stringify(config)], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.trim() };
}

/** The modern preset with the wider, normalised, dropped-out network. */
const MODERN_LIKE: Hyperparams = {
  ...PRESETS.modern,
  model: { ...PRESETS.modern.model, c1Maps: 16, c3Maps: 32, c5Units: 96, f6Units: 84, batchNorm: 'conv', dropout: 0.3 },
};

const STUDIO_STDOUT = [
  'Run #1 "seed #1" → /tmp/x/studio.db',
  'epoch 1/1 [#.......................]   3%  loss 2.5868  acc 10.00%  4,060 img/s  ETA 14s',
  'epoch 1/1  train loss 1.4382 acc 44.36% | val   —   | test loss 0.9409 acc 64.27% | lr 0.00100 | 12.3 s | 5,126 img/s',
  '',
  'Run #1 completed (1 epoch)',
].join('\n');

afterEach(() => vi.restoreAllMocks());

describe('bench pytorch', () => {
  it("reads the studio's epoch summary line, not its progress lines", () => {
    const parsed = parseStudioOutput(STUDIO_STDOUT);
    expect(parsed.trainImagesPerSec).toBe(5126);
    expect(parsed.testAccuracy).toBeCloseTo(0.6427, 6);
    expect(parseStudioOutput('no epoch here')).toEqual({ trainImagesPerSec: null, testAccuracy: null });
  });

  it('says torch is missing and succeeds when no Python can import it', async () => {
    vi.stubEnv('LENET5_PYTHON', '/nonexistent/python3');
    expect(findTorchPython()).toBeNull();
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const result = await runPytorchBench({ out: null });
    expect(result.skipped).toMatch(/import torch/);
    expect(result.pairs).toEqual([]);
    expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/skipped: no Python here can `import torch`/);
  });

  it("--preset: reads both sides' epoch lines as they arrived and times the first to reach 87.3%", () => {
    const studio = studioEpochs([
      { text: 'epoch 1/3 [#.......]   3%  loss 2.5868  acc 10.00%  4,060 img/s  ETA 14s', at: 1 },
      {
        text: 'epoch 1/3  train loss 0.6 acc 80.00% | val 0.5 acc 84.10% | test loss 0.4 acc 86.90% | lr 0.006 | 9.0 s | 5,000 img/s',
        at: 10,
      },
      {
        text: 'epoch 2/3  train loss 0.4 acc 86.00% | val 0.3 acc 88.00% | test loss 0.3 acc 87.30% | lr 0.004 | 9.0 s | 5,000 img/s',
        at: 19.5,
      },
      {
        text: 'epoch 3/3  train loss 0.3 acc 88.00% | val 0.3 acc 88.50% | test loss 0.3 acc 87.85% | lr 0.001 | 9.0 s | 5,000 img/s',
        at: 29,
      },
    ]);
    expect(studio.map((e) => [e.epoch, e.testAccuracy, e.at])).toEqual([
      [1, 0.869, 10],
      [2, 0.873, 19.5],
      [3, 0.8785, 29],
    ]);
    expect(presetTiming(31, studio)).toMatchObject({ seconds: 31, finalAccuracy: 0.8785, secondsToMark: 19.5 });
    const pytorch = pytorchEpochs([
      { text: '{"epoch": 1, "testAccuracy": 0.86}', at: 8 },
      { text: '{"epoch": 2, "testAccuracy": 0.8729}', at: 15 },
    ]);
    expect(presetTiming(16, pytorch)).toMatchObject({ finalAccuracy: 0.8729, secondsToMark: null });
  });

  it('--python names the only Python tried', () => {
    expect(findTorchPython({ LENET5_PYTHON: 'python3' }, '/nonexistent/python3')).toBeNull();
  });

  it('runs only when named, with its own flags', () => {
    expect(parseSections([]).map((s) => s.section)).not.toContain('pytorch');
    expect(parseSections(['pytorch', '--pairs', '5'])).toEqual([{ section: 'pytorch', flags: ['--pairs', '5'] }]);
    expect(parsePytorchArgs(['--pairs', '5', '--threads', '2'])).toEqual({ pairs: 5, threads: 2 });
    expect(() => parsePytorchArgs(['--pairs', '0'])).toThrow(/--pairs must be a positive integer/);
    expect(parsePytorchArgs(['--scaling'])).toEqual({ scaling: true });
    expect(parsePytorchArgs(['--preset', 'modern', '--python', '/v/bin/python'])).toEqual({
      preset: 'modern',
      python: '/v/bin/python',
    });
    expect(() => parsePytorchArgs(['--preset', 'quick'])).toThrow(/--preset must be seed or modern/);
  });

  it("--scaling: each side's median over rounds of its all-core images/s over its 1-thread images/s", () => {
    const timing = (imagesPerSec: number | null) => ({
      seconds: 1,
      trainImagesPerSec: imagesPerSec,
      testAccuracy: 0.7,
    });
    const pair = (round: number, threads: number, studio: number | null, pytorch: number): BenchPair => ({
      round,
      threads,
      studio: timing(studio),
      pytorch: timing(pytorch),
      ratio: 1,
    });
    const pairs = [
      ...[pair(1, 1, 4000, 3000), pair(1, 2, 5000, 3600)], // 1.25, 1.2
      ...[pair(2, 1, 3000, 4000), pair(2, 2, 4500, 4000)], // 1.5, 1.0
      ...[pair(3, 1, 4000, 2000), pair(3, 2, 6000, 2800)], // 1.5, 1.4
      // A round whose studio printed no figure counts for PyTorch only.
      ...[pair(4, 1, null, 1000), pair(4, 2, 5000, 1300)], // —, 1.3
    ];
    expect(scalingOf(pairs, 2)).toEqual({ studio: 1.5, pytorch: 1.25 });
    expect(
      scalingOf(
        pairs.filter((p) => p.threads === 1),
        2,
      ),
    ).toEqual({ studio: null, pytorch: null });
  });
});

describe('bench pytorch --preset: the PyTorch side trains what the studio trains', () => {
  it("lists the studio's network as PyTorch modules with their parameters, from the layer table", () => {
    // By hand: conv k·k·in·out + out, batch norm 2 per map, linear in·out + out (S4 leaves 32 maps of 5×5).
    const expected: NetworkLayers['layers'] = [
      ['Conv2d', 5 * 5 * 1 * 16 + 16],
      ['BatchNorm2d', 2 * 16],
      ['ReLU', 0],
      ['MaxPool2d', 0],
      ['Conv2d', 5 * 5 * 16 * 32 + 32],
      ['BatchNorm2d', 2 * 32],
      ['ReLU', 0],
      ['MaxPool2d', 0],
      ['Flatten', 0],
      ['Linear', 800 * 96 + 96],
      ['ReLU', 0],
      ['Dropout', 0],
      ['Linear', 96 * 84 + 84],
      ['ReLU', 0],
      ['Dropout', 0],
      ['Linear', 84 * 10 + 10],
    ];
    expect(studioNetwork(MODERN_LIKE.model)).toEqual({ trainableParams: 99_238, layers: expected });
  });

  it('names the first layer where two networks differ, and their totals', () => {
    const studio = studioNetwork(PRESETS.seed.model);
    expect(networkDifference(studio, structuredClone(studio))).toBeNull();
    const moved = { ...studio, layers: studio.layers.filter(([name]) => name !== 'Flatten') };
    expect(networkDifference(studio, moved)).toBe(
      'layer 7 is Flatten (0 parameters) in the studio but Linear (48120 parameters) in PyTorch',
    );
    const longer = { trainableParams: studio.trainableParams, layers: [...studio.layers, ['Dropout', 0]] };
    expect(networkDifference(studio, longer as NetworkLayers)).toBe(
      'layer 11 is nothing in the studio but Dropout (0 parameters) in PyTorch',
    );
    expect(networkDifference(studio, { ...studio, trainableParams: 1 })).toBe(
      '61706 trainable parameters in the studio but 1 in PyTorch',
    );
  });

  it("stops before timing anything when the PyTorch network is not the studio's", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pytorch-'));
    try {
      // A stand-in "python" whose network lacks the seed's last layer.
      const python = path.join(dir, 'python');
      const layers = studioNetwork(PRESETS.seed.model).layers.slice(0, -1);
      writeFileSync(python, `#!/bin/sh\necho '${JSON.stringify({ trainableParams: 60_856, layers })}'\n`);
      chmodSync(python, 0o755);
      const options = { preset: 'seed' as const, pairs: 1, python, dataDir: dir, dbPath: path.join(dir, 'x.db') };
      await expect(runPresetBench(options)).rejects.toThrow(
        'preset seed: not the same network, layer 10 is Linear (850 parameters) in the studio but nothing in PyTorch',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts every preset it can train, as given', () => {
    for (const name of ['seed', 'modern'] as const) {
      const run = checkConfig(PRESETS[name]);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(PRESETS[name]);
    }
    expect(JSON.parse(checkConfig(MODERN_LIKE).stdout)).toEqual(MODERN_LIKE);
  });

  it("reads a config stored before the newer fields as the studio's schema does", () => {
    // The fields added after runs were first stored (the ones with zod defaults).
    const without = (fields: object, keys: string[]) =>
      Object.fromEntries(Object.entries(fields).filter(([key]) => !keys.includes(key)));
    const older = without(PRESETS.seed, ['labelSmoothing', 'augmentShift', 'augmentFlip', 'excludeMarked']);
    const olderModel = without(PRESETS.seed.model, [
      ...['architecture', 'output', 'c1Maps', 'c3Maps', 'c5Units', 'f6Units', 'batchNorm', 'dropout'],
    ]);
    const stored = { ...older, model: olderModel };
    const schema = parseHyperparams(stored);
    if (!schema.ok) throw new Error(schema.errors.join('; '));
    expect(JSON.parse(checkConfig(stored).stdout)).toEqual(schema.data);
  });

  it.each([
    ['the 1998 network', PRESETS.lecun1998, /^lenet5_preset\.py: model\.architecture = 'lecun1998' is not implemented/],
    [
      'training without marked images',
      { ...PRESETS.seed, excludeMarked: 'wrong' },
      /^lenet5_preset\.py: excludeMarked = 'wrong' is not implemented/,
    ],
    [
      'an unknown model field',
      { ...PRESETS.seed, model: { ...PRESETS.seed.model, c7Maps: 8 } },
      /^lenet5_preset\.py: model\.c7Maps is not a field this script knows/,
    ],
    ['an unknown field', { ...PRESETS.seed, mixup: 0.2 }, /^lenet5_preset\.py: mixup is not a field this script knows/],
    [
      'a missing field',
      { ...PRESETS.seed, batchSize: undefined },
      /^lenet5_preset\.py: batchSize is missing from the configuration$/,
    ],
    [
      'a batch norm it does not know',
      { ...PRESETS.seed, model: { ...PRESETS.seed.model, batchNorm: 'layer' } },
      /^lenet5_preset\.py: model\.batchNorm = 'layer' is not implemented here \(implemented: 'none', 'conv', 'all'\)$/,
    ],
    [
      'a flip it does not know',
      { ...PRESETS.seed, augmentFlip: 'vertical' },
      /^lenet5_preset\.py: augmentFlip = 'vertical' is not implemented/,
    ],
  ])('refuses %s, naming the field', (_, config, message) => {
    const run = checkConfig(config);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
