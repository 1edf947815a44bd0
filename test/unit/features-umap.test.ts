/**
 * UMAP as the feature map runs it (PCA components, exact neighbours, PCA start, umap-js's
 * layout): it keeps separated groups apart, starts from the PCA map (so the start is honoured by
 * umap-js, which the speed relies on), repeats for a seed and reports its progress.
 */
import { describe, expect, it } from 'vitest';
import { pca2, umap2 } from '../../src/core/features';
import { mulberry32 } from '../../src/shared/random';

/** `groups` Gaussian blobs in `d` dimensions, centres 12 apart on the axes, spread 1. */
function blobs(perGroup: number, groups: number, d: number, seed: number): { rows: Float32Array; group: number[] } {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const n = perGroup * groups;
  const rows = new Float32Array(n * d);
  const group: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % groups;
    group.push(g);
    for (let j = 0; j < d; j++) rows[i * d + j] = gauss() + (j === g ? 12 : 0);
  }
  return { rows, group };
}

/** Pearson correlation of two equally long sequences. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let [ma, mb] = [0, 0];
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const axis = (coords: Float32Array, k: 0 | 1): number[] =>
  Array.from({ length: coords.length / 2 }, (_, i) => coords[2 * i + k]);

describe('UMAP for the feature map', () => {
  it('keeps separated groups apart: each point’s nearest on the map is of its group', () => {
    const { rows, group } = blobs(100, 4, 40, 3);
    const n = group.length;
    const { coords } = umap2(rows, n, 40, { epochs: 100 });
    let same = 0;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dist = (coords[2 * i] - coords[2 * j]) ** 2 + (coords[2 * i + 1] - coords[2 * j + 1]) ** 2;
        if (dist < bestD) [best, bestD] = [j, dist];
      }
      if (group[best] === group[i]) same++;
    }
    expect(same / n).toBeGreaterThan(0.97);
  });

  it('starts from the PCA map: after one epoch the layout still follows it', () => {
    const { rows, group } = blobs(60, 3, 10, 5);
    const n = group.length;
    const start = pca2(rows, n, 10).coords;
    const { coords } = umap2(rows, n, 10, { epochs: 1 });
    // Up to each axis's sign (PCA's is fixed by convention, not by the data): a random start would give ≈ 0.
    expect(Math.abs(correlation(axis(coords, 0), axis(start, 0)))).toBeGreaterThan(0.9);
    expect(Math.abs(correlation(axis(coords, 1), axis(start, 1)))).toBeGreaterThan(0.9);
  });

  it('repeats for a seed and reports its progress up to done', () => {
    const { rows, group } = blobs(40, 3, 8, 7);
    const n = group.length;
    const shares: number[] = [];
    const first = umap2(rows, n, 8, { epochs: 30, onProgress: (done) => shares.push(done) });
    expect(umap2(rows, n, 8, { epochs: 30 }).coords).toEqual(first.coords);
    expect(shares[0]).toBe(0);
    expect(shares.at(-1)).toBe(1);
    expect(shares.every((s, i) => i === 0 || s >= shares[i - 1])).toBe(true);
    expect(() => umap2(rows, n + 1, 8)).toThrow(/expected 121 × 8 values/);
  });
});
