/**
 * `npm run bench -- kernels`: its flags, and one real (small) profiled training step on wasm —
 * the table must list the step's real kernels with their calls per step.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseKernelsArgs, parseSections } from '../../tools/bench/args';
import { runKernelsBench } from '../../tools/bench/kernels';

afterEach(() => vi.restoreAllMocks());

describe('bench kernels', () => {
  it('runs only when named, with its own flags; bad values are refused by name', () => {
    expect(parseSections([]).map((s) => s.section)).not.toContain('kernels');
    expect(parseSections(['kernels', '--batch', '64,32'])).toEqual([
      { section: 'kernels', flags: ['--batch', '64,32'] },
    ]);
    expect(parseKernelsArgs(['--batch', '256,64', '--steps', '3', '--network', 'modern'])).toEqual({
      batchSizes: [256, 64],
      steps: 3,
      network: 'modern',
    });
    expect(() => parseKernelsArgs(['--batch', '64,0'])).toThrow(/--batch must be a positive integer/);
    expect(() => parseKernelsArgs(['--network', 'resnet'])).toThrow(/--network must be seed or modern, got resnet/);
    expect(() => parseKernelsArgs(['--epochs', '2'])).toThrow(/unknown argument --epochs/);
  });

  it("profiles the trainer's step per kernel and prints the table", async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const result = await runKernelsBench({ batchSizes: [8], steps: 2, warmupSteps: 1, out: null });
    const [row] = result.rows;
    expect(result.backend).toBe('wasm');
    expect(row.batchSize).toBe(8);
    expect(row.imagesPerSec).toBeGreaterThan(0);
    expect(row.cpuMsPerStep).toBeGreaterThan(0);
    const calls = Object.fromEntries(row.kernels.map((k) => [k.name, k.callsPerStep]));
    // The seed network: two convolutions forward, both filter gradients, one input gradient
    // (C1 reads the image, whose gradient is never computed).
    expect(calls.FusedConv2D).toBe(2);
    expect(calls.Conv2DBackpropFilter).toBe(2);
    expect(calls.Conv2DBackpropInput).toBe(1);
    expect(calls.AvgPoolGrad).toBe(2);
    // Ops run as custom gradients are not kernels (their time would count twice).
    expect(row.kernels.map((k) => k.name)).not.toContain('fusedConv2d__op');
    expect(row.kernelMsPerStep).toBeCloseTo(
      row.kernels.reduce((s, k) => s + k.msPerStep, 0),
      6,
    );
    const printed = out.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toMatch(/batch 8: step [\d.]+ ms → [\d,]+ img\/s/);
    expect(printed).toMatch(/Conv2DBackpropFilter\s+[\d.]+\s+2\s/);
  });
});
