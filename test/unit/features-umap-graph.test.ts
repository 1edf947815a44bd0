/**
 * Our UMAP against umap-js 1.4 (the library it replaces in the feature map), on the same data:
 * the fuzzy graph's edges, order and weights; the layout step for step given umap-js's start and
 * random stream; a and b against umap-js's own fit; and the finished map's neighbourhood
 * preservation against umap-js's full run. The references are umap-js's own code, not ours.
 */
import { UMAP } from 'umap-js';
import { findABParams } from 'umap-js/dist/umap';
import { describe, expect, it } from 'vitest';
import {
  exactKnn,
  fuzzySimplicialSet,
  knnArrays,
  optimizeLayout,
  powByLogs,
  umap2,
  UMAP_A,
  UMAP_B,
} from '../../src/core/features';
import { mulberry32 } from '../../src/shared/random';
import { knnPreservation } from '../../tools/bench/umap-quality';

/** `groups` Gaussian blobs in `d` dimensions, centres `apart` from each other on the axes. */
function blobs(perGroup: number, groups: number, d: number, seed: number, apart = 6) {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const n = perGroup * groups;
  const rows = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) rows[i * d + j] = gauss() + (j === i % groups ? apart : 0);
  return { rows, n };
}

const vectors = (rows: Float32Array, n: number, d: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(rows.subarray(i * d, (i + 1) * d)));

interface UmapInternals {
  graph: { getAll(): { row: number; col: number; value: number }[] };
  optimizationState: { head: number[]; tail: number[] };
}

/** umap-js set up on our exact neighbours, as the feature map used it before. */
function umapJs(rows: Float32Array, n: number, d: number, epochs: number, seed: number) {
  const knn = exactKnn(rows, n, d, 15);
  const umap = new UMAP({ nNeighbors: 15, nEpochs: epochs, random: mulberry32(seed) });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  umap.initializeFit(vectors(rows, n, d));
  return { umap, internals: umap as unknown as UmapInternals, knn: knnArrays(knn) };
}

describe('UMAP over typed arrays against umap-js', () => {
  const d = 8;
  const { rows, n } = blobs(60, 5, d, 11);

  it('builds umap-js’s fuzzy graph: the same edges in the same order, weights within 1e-12', () => {
    const { internals, knn } = umapJs(rows, n, d, 200, 1);
    const reference = internals.graph.getAll().filter((e) => e.value !== 0);
    // No epoch count drops an edge here: the whole union.
    const ours = fuzzySimplicialSet(knn, Infinity);
    expect(ours.weights.length).toBe(reference.length);
    reference.forEach((e, i) => {
      expect(ours.tail[i]).toBe(e.row);
      expect(ours.head[i]).toBe(e.col);
      expect(Math.abs(ours.weights[i] - e.value)).toBeLessThan(1e-12);
    });
    // Symmetric (a fuzzy union), every weight a membership in (0, 1].
    expect(reference.length).toBeGreaterThan(n * 14);
    expect(Math.min(...ours.weights)).toBeGreaterThan(0);
    expect(Math.max(...ours.weights)).toBeLessThanOrEqual(1);
  });

  it('drops the edges umap-js drops before its layout (weaker than max / epochs)', () => {
    const epochs = 5;
    const { internals, knn } = umapJs(rows, n, d, epochs, 1);
    const ours = fuzzySimplicialSet(knn, epochs);
    const all = fuzzySimplicialSet(knn, Infinity);
    expect(ours.weights.length).toBeLessThan(all.weights.length);
    expect(Array.from(ours.head)).toEqual(internals.optimizationState.head);
    expect(Array.from(ours.tail)).toEqual(internals.optimizationState.tail);
  });

  it('lays out as umap-js does, step for step, given its start and random stream (within 1e-9)', () => {
    const epochs = 40;
    const seed = 3;
    const { umap, knn } = umapJs(rows, n, d, epochs, seed);
    const start = new Float64Array(umap.getEmbedding().flat());
    for (let e = 0; e < epochs; e++) umap.step();
    const expected = umap.getEmbedding().flat();
    // umap-js drew 2n numbers for its random start before the layout's first.
    const random = mulberry32(seed);
    for (let i = 0; i < 2 * n; i++) random();
    const ours = start.slice();
    const epochsSeen: number[] = [];
    optimizeLayout(fuzzySimplicialSet(knn, epochs), ours, {
      epochs,
      random,
      ab: findABParams(1, 0.1),
      pow: Math.pow,
      onEpoch: (e) => epochsSeen.push(e),
    });
    let worst = 0;
    expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ours[i]))));
    expect(worst).toBeLessThan(1e-9);
    // It moved: the comparison is not of two untouched starts.
    expect(Math.max(...expected.map((v, i) => Math.abs(v - start[i])))).toBeGreaterThan(1);
    expect(epochsSeen).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
  });

  it('computes the layout’s powers within 1e-13 (relative) of Math.pow over the distances it meets', () => {
    let worst = 0;
    for (let e = -12; e <= 8; e += 0.01) {
      const x = 10 ** e;
      for (const y of [UMAP_B, UMAP_B - 1]) worst = Math.max(worst, Math.abs(powByLogs(x, y) / Math.pow(x, y) - 1));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('uses a and b that fit UMAP’s curve for min_dist 0.1 at least as well as umap-js’s own fit, at a least-squares minimum', () => {
    const fitted = findABParams(1, 0.1);
    expect(Math.abs(fitted.a - UMAP_A)).toBeLessThan(0.01);
    expect(Math.abs(fitted.b - UMAP_B)).toBeLessThan(0.01);
    const ours = curveResidual(UMAP_A, UMAP_B);
    expect(ours).toBeLessThanOrEqual(curveResidual(fitted.a, fitted.b));
    for (const [da, db] of [
      [1e-4, 0],
      [-1e-4, 0],
      [0, 1e-4],
      [0, -1e-4],
    ])
      expect(curveResidual(UMAP_A + da, UMAP_B + db)).toBeGreaterThan(ours);
  });

  it('preserves neighbourhoods as well as umap-js’s own full run (10-NN preservation within 0.03)', () => {
    const dim = 16;
    const mixture = blobs(100, 8, dim, 21, 4);
    const ours = umap2(mixture.rows, mixture.n, dim, { epochs: 200 }).coords;
    const umap = new UMAP({ nNeighbors: 15, nEpochs: 200, random: mulberry32(9) });
    const theirs = Float32Array.from(umap.fit(vectors(mixture.rows, mixture.n, dim)).flat());
    const oursScore = knnPreservation(mixture.rows, dim, ours, mixture.n, 10);
    const theirScore = knnPreservation(mixture.rows, dim, theirs, mixture.n, 10);
    expect(oursScore).toBeGreaterThan(theirScore - 0.03);
    // And far above chance (10 / 799).
    expect(oursScore).toBeGreaterThan(0.2);
  });
});

/**
 * UMAP's target: membership 1 up to min_dist (0.1), then exp(−(x − min_dist)), on 300 points of
 * [0, 3]; the squared error of 1 / (1 + a·x^2b) against it.
 */
function curveResidual(a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < 300; i++) {
    const x = (3 * i) / 299;
    const target = x < 0.1 ? 1 : Math.exp(-(x - 0.1));
    sum += (1 / (1 + a * x ** (2 * b)) - target) ** 2;
  }
  return sum;
}
