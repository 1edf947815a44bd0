/**
 * `npm run bench -- pytorch`: the parts that decide what it prints without running two epochs —
 * reading the studio's epoch line, and succeeding with a message where no Python has torch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePytorchArgs, parseSections } from '../../tools/bench/args';
import {
  findTorchPython,
  parseStudioOutput,
  runPytorchBench,
  scalingOf,
  type BenchPair,
} from '../../tools/bench/pytorch';
import { presetTiming, pytorchEpochs, studioEpochs } from '../../tools/bench/pytorch-preset';

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
