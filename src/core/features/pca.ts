/**
 * Principal component analysis for the feature map: the covariance matrix of the rows (d × d,
 * d ≤ a few hundred, so it is small even for 10,000 rows), then its leading eigenvectors by
 * ml-matrix's symmetric eigendecomposition: two for the map's axes, ~32 for UMAP's input (power
 * iteration with deflation, used before for the two, would be slow for 32; for the two it took
 * the same time, the covariance being most of the ≈ 0.4 s). Float64 throughout: float32 sums over
 * 10,000 rows lose digits the second component needs.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface Projection2D {
  /** n × 2, row-major: point i is (coords[2i], coords[2i+1]). */
  coords: Float32Array;
  /** Share of the total variance each axis explains (0–1). */
  explained: [number, number];
}

/** The d × d sample covariance of n rows of d values (row-major). */
export function covariance(rows: ArrayLike<number>, n: number, d: number): { cov: Float64Array; mean: Float64Array } {
  if (rows.length !== n * d) throw new Error(`expected ${n} × ${d} values, got ${rows.length}`);
  if (n < 2) throw new Error(`a projection needs at least 2 points, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = rows[i * d + j] - mean[j];
    // Upper triangle only; mirrored below.
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  return { cov, mean };
}

/** The rows projected on their first two principal axes (centred on the mean). */
export function pca2(rows: ArrayLike<number>, n: number, d: number): Projection2D {
  const { cov, mean } = covariance(rows, n, d);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += cov[j * d + j];
  const { values, axes } = leadingAxes(cov, d, Math.min(2, d));
  // One column: the second axis is empty (it explains nothing).
  if (axes.length < 2) {
    axes.push(new Float64Array(d));
    values.push(0);
  }
  const coords = projectOnAxes(rows, n, d, mean, axes);
  const share = (v: number): number => (trace > 0 ? Math.max(0, v) / trace : 0);
  return { coords, explained: [share(values[0]), share(values[1])] };
}

/** The rows projected on their first k principal axes: n × k, row-major, most variance first. */
export function principalComponents(rows: ArrayLike<number>, n: number, d: number, k: number): Float32Array {
  if (k < 1 || k > d) throw new Error(`cannot keep ${k} components of ${d}`);
  const { cov, mean } = covariance(rows, n, d);
  return projectOnAxes(rows, n, d, mean, leadingAxes(cov, d, k).axes);
}

/**
 * The k leading eigenpairs of a symmetric covariance matrix, largest first, each vector's sign
 * fixed so its largest-magnitude entry is positive (so a map does not flip between runs).
 */
function leadingAxes(cov: Float64Array, d: number, k: number): { values: number[]; axes: Float64Array[] } {
  const square = new Matrix(d, d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) square.set(a, b, cov[a * d + b]);
  const evd = new EigenvalueDecomposition(square, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  // ml-matrix does not promise an order: largest eigenvalue first, ties by index (repeatable).
  const order = values
    .map((_, i) => i)
    .sort((i, j) => values[j] - values[i] || i - j)
    .slice(0, k);
  const axes = order.map((c) => {
    const axis = Float64Array.from({ length: d }, (_, j) => vectors.get(j, c));
    fixSign(axis);
    return axis;
  });
  return { values: order.map((c) => values[c]), axes };
}

/** Each row, centred on `mean`, projected on each axis: n × axes.length, row-major. */
function projectOnAxes(
  rows: ArrayLike<number>,
  n: number,
  d: number,
  mean: Float64Array,
  axes: readonly Float64Array[],
): Float32Array {
  const k = axes.length;
  const out = new Float32Array(n * k);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = rows[i * d + j] - mean[j];
    for (let c = 0; c < k; c++) {
      const axis = axes[c];
      let s = 0;
      for (let j = 0; j < d; j++) s += centred[j] * axis[j];
      out[i * k + c] = s;
    }
  }
  return out;
}

function fixSign(v: Float64Array): void {
  let top = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[top])) top = j;
  if (v[top] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}
