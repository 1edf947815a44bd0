/**
 * `npm run bench -- pytorch`: the parts that decide what it prints without running two epochs —
 * reading the studio's epoch line, and succeeding with a message where no Python has torch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePytorchArgs, parseSections } from '../../src/cli/bench/args';
import { findTorchPython, parseStudioOutput, runPytorchBench } from '../../src/cli/bench/pytorch';

const STUDIO_STDOUT = [
  'Run #1 "seed #1" → /tmp/x/studio.db',
  'epoch 1/1 [#.......................]   3%  loss 2.5868  acc 10.00%  4,060 img/s  ETA 14s',
  'epoch 1/1  train loss 1.4382 acc 44.36% | val   —   | test loss 0.9409 acc 64.27% | lr 0.00100 | 12.3 s | 5,126 img/s',
  '',
  'Run #1 completed (1 epochs)',
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

  it('runs only when named, with its own flags', () => {
    expect(parseSections([]).map((s) => s.section)).not.toContain('pytorch');
    expect(parseSections(['pytorch', '--pairs', '5'])).toEqual([{ section: 'pytorch', flags: ['--pairs', '5'] }]);
    expect(parsePytorchArgs(['--pairs', '5', '--threads', '2'])).toEqual({ pairs: 5, threads: 2 });
    expect(() => parsePytorchArgs(['--pairs', '0'])).toThrow(/--pairs must be a positive integer/);
  });
});
