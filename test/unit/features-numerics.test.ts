/**
 * The feature map's numerics against independent references: PCA's map axes and the k leading
 * components (ml-matrix's eigendecomposition) against a cyclic Jacobi eigendecomposition
 * written here (a different algorithm: rotations, no iteration on vectors) and against numpy's
 * eigh (fixture made by tools/fixtures/pca-reference.py); nearest neighbours (cosine, and UMAP's
 * exact Euclidean kNN) against a brute-force sort of every distance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { covariance, exactKnn, nearestByCosine, pca2, principalComponents } from '../../src/core/features';
import { mulberry32 } from '../../src/shared/random';

/** Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations. */
function jacobiEigen(m: Float64Array, d: number): { values: number[]; vectors: number[][] } {
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => m[i * d + j]));
  const v = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => Number(i === j)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p][q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/** Rows with a clear spectrum: independent columns of decreasing spread, then mixed by a rotation. */
function syntheticRows(n: number, d: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) rows[i * d + j] = gauss() * (d - j) + j;
  return rows;
}

describe('PCA (ml-matrix eigendecomposition) against Jacobi', () => {
  it('finds the two leading eigenvectors and their variance shares', () => {
    const n = 400;
    const d = 7;
    const rows = syntheticRows(n, d, 3);
    const { cov, mean } = covariance(rows, n, d);
    const { values, vectors } = jacobiEigen(cov, d);
    const total = values.reduce((s, x) => s + x, 0);
    const p = pca2(rows, n, d);
    expect(p.explained[0]).toBeCloseTo(values[0] / total, 8);
    expect(p.explained[1]).toBeCloseTo(values[1] / total, 8);
    // Coordinates up to each axis's sign (an eigenvector's sign is arbitrary): tolerance 1e-3 of
    // the axis's spread, float32 storage of the coordinates.
    for (const axis of [0, 1]) {
      const ref = Array.from({ length: n }, (_, i) =>
        vectors[axis].reduce((s, w, j) => s + w * (rows[i * d + j] - mean[j]), 0),
      );
      const sign = Math.sign(ref[0]) === Math.sign(p.coords[axis]) ? 1 : -1;
      const spread = Math.sqrt(values[axis]);
      ref.forEach((r, i) => expect(Math.abs(p.coords[2 * i + axis] - sign * r)).toBeLessThan(1e-3 * spread));
    }
  });

  it('agrees with numpy (fixture from tools/fixtures/pca-reference.py)', () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/pca-reference.json'), 'utf8')) as {
      n: number;
      d: number;
      rows: number[];
      explained: [number, number];
      coords: number[];
    };
    const p = pca2(fixture.rows, fixture.n, fixture.d);
    expect(p.explained[0]).toBeCloseTo(fixture.explained[0], 6);
    expect(p.explained[1]).toBeCloseTo(fixture.explained[1], 6);
    for (const axis of [0, 1]) {
      const sign = Math.sign(fixture.coords[axis]) === Math.sign(p.coords[axis]) ? 1 : -1;
      for (let i = 0; i < fixture.n; i++)
        expect(p.coords[2 * i + axis]).toBeCloseTo(sign * fixture.coords[2 * i + axis], 3);
    }
  });

  it('repeats exactly and refuses too few points or a wrong shape', () => {
    const rows = syntheticRows(50, 5, 9);
    expect(pca2(rows, 50, 5).coords).toEqual(pca2(rows, 50, 5).coords);
    expect(() => pca2(rows, 1, 250)).toThrow(/at least 2 points/);
    expect(() => pca2(rows, 49, 5)).toThrow(/expected 49 × 5 values/);
  });
});

describe('nearest neighbours by cosine', () => {
  it('are the top of a brute-force sort of every similarity', () => {
    const d = 12;
    const n = 2000;
    const bank = syntheticRows(n, d, 5).map((v, i) => v - (i % d) * 0.9);
    const query = Float32Array.from(syntheticRows(1, d, 11));
    const cosine = (i: number): number => {
      let dot = 0;
      let a = 0;
      let b = 0;
      for (let j = 0; j < d; j++) {
        dot += query[j] * bank[i * d + j];
        a += query[j] ** 2;
        b += bank[i * d + j] ** 2;
      }
      return dot / Math.sqrt(a * b);
    };
    const brute = Array.from({ length: n }, (_, i) => ({ index: i, similarity: cosine(i) }))
      .sort((x, y) => y.similarity - x.similarity)
      .slice(0, 8);
    const found = nearestByCosine(query, bank, d, 8);
    expect(found.map((f) => f.index)).toEqual(brute.map((b) => b.index));
    found.forEach((f, i) => expect(f.similarity).toBeCloseTo(brute[i].similarity, 5));
  });

  it('finds an exact copy first and treats a zero row as unrelated', () => {
    const bank = Float32Array.from([0, 0, 0, 1, 2, 3, -1, -2, -3, 2, 4, 6.5]);
    const found = nearestByCosine([1, 2, 3], bank, 3, 4);
    expect(found.map((f) => f.index)).toEqual([1, 3, 0, 2]);
    expect(found[0].similarity).toBeCloseTo(1, 6);
    expect(found[2].similarity).toBe(0);
    expect(() => nearestByCosine([1, 2], bank, 3, 1)).toThrow(/query has 2 values/);
  });
});

describe('the k leading principal components (UMAP input) against Jacobi', () => {
  it('projects on the same axes, most variance first, up to each axis sign', () => {
    const n = 300;
    const d = 9;
    const k = 4;
    const rows = syntheticRows(n, d, 21);
    const { cov, mean } = covariance(rows, n, d);
    const { values, vectors } = jacobiEigen(cov, d);
    const got = principalComponents(rows, n, d, k);
    for (let axis = 0; axis < k; axis++) {
      const ref = Array.from({ length: n }, (_, i) =>
        vectors[axis].reduce((s, w, j) => s + w * (rows[i * d + j] - mean[j]), 0),
      );
      const sign = Math.sign(ref[0]) === Math.sign(got[axis]) ? 1 : -1;
      // Float32 storage of the coordinates: 1e-4 of the axis's spread.
      const spread = Math.sqrt(values[axis]);
      ref.forEach((r, i) => expect(Math.abs(got[i * k + axis] - sign * r)).toBeLessThan(1e-4 * spread));
    }
  });

  it('keeps the two PCA map axes as its first two', () => {
    const rows = syntheticRows(200, 6, 4);
    const two = pca2(rows, 200, 6).coords;
    const got = principalComponents(rows, 200, 6, 3);
    for (let i = 0; i < 200; i++)
      for (const axis of [0, 1]) expect(Math.abs(got[i * 3 + axis])).toBeCloseTo(Math.abs(two[2 * i + axis]), 2);
  });

  it('refuses more components than columns', () => {
    expect(() => principalComponents(syntheticRows(10, 3, 1), 10, 3, 4)).toThrow(/cannot keep 4 components of 3/);
  });
});

describe('exact Euclidean k nearest neighbours (UMAP input)', () => {
  it('are each row itself, then the head of a full sort of its distances', () => {
    const n = 400;
    const d = 5;
    const k = 7;
    const rows = syntheticRows(n, d, 8);
    const knn = exactKnn(rows, n, d, k);
    for (let i = 0; i < n; i++) {
      const sorted = Array.from({ length: n }, (_, j) => ({
        j,
        dist: Math.hypot(...Array.from({ length: d }, (_, c) => rows[i * d + c] - rows[j * d + c])),
      }))
        .filter(({ j }) => j !== i)
        .sort((a, b) => a.dist - b.dist || a.j - b.j);
      expect(knn.indices[i]).toEqual([i, ...sorted.slice(0, k - 1).map((s) => s.j)]);
      knn.distances[i].forEach((dist, t) => expect(dist).toBeCloseTo(t === 0 ? 0 : sorted[t - 1].dist, 4));
    }
  });

  it('breaks ties by the lower index and refuses impossible k', () => {
    // Points on a line at 0, 1, 2, 1 (twice the same point): row 1's nearest are 3 (distance 0), then 0 and 2 tied.
    const rows = Float32Array.from([0, 1, 2, 1]);
    expect(exactKnn(rows, 4, 1, 4).indices[1]).toEqual([1, 3, 0, 2]);
    // Room for one of two tied neighbours (0 and 2 around 1): the lower index stays.
    expect(exactKnn(Float32Array.from([0, 1, 2]), 3, 1, 2).indices[1]).toEqual([1, 0]);
    expect(() => exactKnn(rows, 4, 1, 5)).toThrow(/cannot find 5 neighbours among 4 points/);
    expect(() => exactKnn(rows, 3, 1, 2)).toThrow(/expected 3 × 1 values/);
  });
});
