/**
 * Which setting mattered (shared/importance.ts): synthetic sweeps where one setting drives the
 * metric and another is pure noise, over several seeds of the synthetic data; the statistics
 * against values computed by hand and with SciPy.
 */
import { describe, expect, it } from 'vitest';
import { etaSquared, MIN_RUNS, settingImportance, spearmanRho, type ImportanceRun } from '../../src/shared/importance';
import { mulberry32 } from '../../src/shared/random';

/** A standard normal from a seeded uniform stream (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
const BATCHES = [32, 64, 128];

/** lr × batch-size grid, two seeds a cell; the metric follows `drive(lr)` plus noise, never batch size. */
function syntheticSweep(dataSeed: number, drive: (lr: number) => number, noise = 0.01): ImportanceRun[] {
  const random = mulberry32(dataSeed);
  return LRS.flatMap((lr) =>
    BATCHES.flatMap((batch) =>
      [0, 1].map((k) => ({
        values: { lr, 'batch-size': batch, seed: 42 + k },
        metric: drive(lr) + noise * gaussian(random),
      })),
    ),
  );
}

const rising = (lr: number) => 0.8 + 0.02 * Math.log10(lr / 1e-4);
const peaked = (lr: number) => 0.88 - 0.02 * Math.log10(lr / 1e-3) ** 2;

describe('setting importance', () => {
  it('ranks the driving setting first and labels the noise setting, over ten seeds of the data', () => {
    let noiseFlagged = 0;
    for (let dataSeed = 1; dataSeed <= 10; dataSeed++) {
      const result = settingImportance(syntheticSweep(dataSeed, rising));
      if (result.kind !== 'ranked') throw new Error(`expected a ranking, got ${result.kind}`);
      expect(result.n).toBe(30);
      expect(result.settings.map((s) => s.flag)).toEqual(['lr', 'batch-size']); // seed left out
      const [lr, batch] = result.settings;
      expect(lr.clear).toBe(true);
      expect(lr.share).toBeGreaterThan(0.5);
      expect(lr.direction).toBe('higher-better');
      expect(lr.bestValue).toBe('0.01');
      expect(batch.direction).toBeNull();
      if (batch.clear) noiseFlagged++;
    }
    // A 5% test flags pure noise about once in twenty: allow one of ten, never more.
    expect(noiseFlagged).toBeLessThanOrEqual(1);
  });

  it('says "it depends" for a setting best in the middle, naming the best value', () => {
    const result = settingImportance(syntheticSweep(3, peaked));
    if (result.kind !== 'ranked') throw new Error(result.kind);
    const lr = result.settings[0];
    expect(lr.flag).toBe('lr');
    expect(lr.clear).toBe(true);
    expect(lr.direction).toBe('depends');
    expect(lr.bestValue).toBe('0.001');
  });

  it('a loss (lower is better): a setting that lowers the loss is still "higher is better"', () => {
    const runs = syntheticSweep(4, rising).map((r) => ({ ...r, metric: 1 - r.metric }));
    const result = settingImportance(runs, { higherIsBetter: false });
    if (result.kind !== 'ranked') throw new Error(result.kind);
    expect(result.settings[0]).toMatchObject({ flag: 'lr', direction: 'higher-better', bestValue: '0.01' });
  });

  it('refuses to rank too few runs, and says when nothing varies', () => {
    const few = syntheticSweep(1, rising).slice(0, MIN_RUNS - 1);
    expect(settingImportance(few)).toEqual({ kind: 'too-few', n: MIN_RUNS - 1, minRuns: MIN_RUNS });
    const same = Array.from({ length: 10 }, (_, i) => ({ values: { lr: 0.001, seed: i }, metric: 0.8 + i / 100 }));
    expect(settingImportance(same)).toEqual({ kind: 'nothing-varies', n: 10 });
  });

  it('bins a randomly sampled setting and still finds it', () => {
    const random = mulberry32(9);
    const runs = Array.from({ length: 40 }, () => {
      const lr = 10 ** (-4 + 2 * random());
      const dropout = random() * 0.5;
      return { values: { lr, dropout }, metric: rising(lr) + 0.01 * gaussian(random) };
    });
    const result = settingImportance(runs);
    if (result.kind !== 'ranked') throw new Error(result.kind);
    expect(result.settings[0]).toMatchObject({ flag: 'lr', clear: true, direction: 'higher-better' });
    expect(result.settings[1]).toMatchObject({ flag: 'dropout', clear: false });
    expect(result.settings[0].bestValue).toMatch(/^[\d.e-]+–[\d.e-]+$/);
  });

  it('the same runs give the same answer (seeded permutations)', () => {
    const runs = syntheticSweep(5, rising);
    expect(settingImportance(runs)).toEqual(settingImportance(runs));
  });
});

describe('the statistics', () => {
  it('η² by hand: groups {1,3} and {5,7}: between 16, total 20', () => {
    expect(etaSquared([0, 0, 1, 1], 2, [1, 3, 5, 7])).toBeCloseTo(0.8, 12);
    expect(etaSquared([0, 1, 0, 1], 2, [2, 2, 2, 2])).toBe(0);
  });

  it("Spearman's ρ matches SciPy, with ties", () => {
    // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]).statistic → 0.8207826816681233
    expect(spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(spearmanRho([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });
});
