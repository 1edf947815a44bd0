/**
 * UMAP's fuzzy simplicial set over typed arrays: umap-js 1.4's algorithm (smooth-kNN sigma and rho,
 * exponential membership strengths, fuzzy union A + Aᵀ − A∘Aᵀ) without its sparse matrices keyed
 * by strings, which took ~7 s of the 10,000-point map. Checked against umap-js's own graph
 * (unit/features-umap-graph: every weight within 1e-12, same edges in the same order).
 */

/** umap-js's tolerance of the sigma search and floor of sigma (a share of the mean distance). */
const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const SIGMA_SEARCH_STEPS = 64;

/** k nearest neighbours of n points, row-major n × k; each row starts with the point itself. */
export interface KnnArrays {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float64Array;
}

/**
 * The symmetric graph as edges, both directions, sorted by tail then head (umap-js's order:
 * its sparse matrix's entries sorted by row then column, tail = row, head = column).
 */
export interface FuzzyGraph {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  weights: Float64Array;
}

/**
 * Per point, rho (distance to the nearest other point) and sigma such that the memberships of its
 * k − 1 neighbours sum to log2(k): umap-js's smoothKNNDistance with local connectivity 1.
 */
export function smoothKnn({ n, k, distances }: KnnArrays): { sigmas: Float64Array; rhos: Float64Array } {
  const target = Math.log2(k);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanOfAll: number | null = null;
  for (let i = 0; i < n; i++) {
    const row = distances.subarray(i * k, (i + 1) * k);
    // The nearest non-zero distance (rows are sorted, so the first above zero).
    for (const d of row)
      if (d > 0) {
        rhos[i] = d;
        break;
      }
    let [lo, hi, mid] = [0, Infinity, 1];
    for (let step = 0; step < SIGMA_SEARCH_STEPS; step++) {
      let psum = 0;
      // From 1: the row's first entry is the point itself.
      for (let j = 1; j < k; j++) {
        const d = row[j] - rhos[i];
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    // A floor, so that a point whose neighbours all sit at one distance keeps finite weights.
    const floor = MIN_K_DIST_SCALE * (rhos[i] > 0 ? mean(row) : (meanOfAll ??= meanDistance(distances, n, k)));
    sigmas[i] = Math.max(mid, floor);
  }
  return { sigmas, rhos };
}

/**
 * The fuzzy union of the points' local fuzzy sets, with edges weaker than max / `epochs` dropped
 * (umap-js drops them before the layout: they would be sampled less than once).
 */
export function fuzzySimplicialSet(knn: KnnArrays, epochs: number): FuzzyGraph {
  const { n, k, indices, distances } = knn;
  const { sigmas, rhos } = smoothKnn(knn);
  const membership = new Float64Array(n * k);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j === i || j < 0) continue;
      const d = distances[i * k + t] - rhos[i];
      membership[i * k + t] = d <= 0 ? 1 : Math.exp(-(d / sigmas[i]));
    }
  // Each directed edge once; its reverse is added here only when i is not among j's neighbours
  // (then row j never offers it).
  const tails = new Int32Array(2 * n * k);
  const heads = new Int32Array(2 * n * k);
  const values = new Float64Array(2 * n * k);
  let count = 0;
  const push = (tail: number, head: number, value: number): void => {
    tails[count] = tail;
    heads[count] = head;
    values[count++] = value;
  };
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const a = membership[i * k + t];
      const j = indices[i * k + t];
      if (j === i || j < 0) continue;
      const back = slotOf(indices, k, j, i);
      const b = back < 0 ? 0 : membership[j * k + back];
      const union = a + b - a * b;
      if (union === 0) continue;
      push(i, j, union);
      if (back < 0) push(j, i, union);
    }
  let max = 0;
  for (let e = 0; e < count; e++) max = Math.max(max, values[e]);
  const order = sortedEdges(tails, heads, count, n).filter((e) => values[e] >= max / epochs);
  return {
    n,
    tail: Int32Array.from(order, (e) => tails[e]),
    head: Int32Array.from(order, (e) => heads[e]),
    weights: Float64Array.from(order, (e) => values[e]),
  };
}

/** Where `target` sits in row `row`'s neighbour list, or −1. */
function slotOf(indices: Int32Array, k: number, row: number, target: number): number {
  for (let t = 0; t < k; t++) if (indices[row * k + t] === target) return t;
  return -1;
}

/** Edge numbers sorted by tail, then head: a counting sort by tail, rows (≤ 2k edges) sorted by head. */
function sortedEdges(tails: Int32Array, heads: Int32Array, count: number, n: number): number[] {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < count; e++) start[tails[e] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const next = start.slice(0, n);
  const order = new Array<number>(count);
  for (let e = 0; e < count; e++) order[next[tails[e]]++] = e;
  for (let i = 0; i < n; i++) {
    const row = order.slice(start[i], start[i + 1]).sort((x, y) => heads[x] - heads[y]);
    for (let t = 0; t < row.length; t++) order[start[i] + t] = row[t];
  }
  return order;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The mean over rows of each row's mean distance (umap-js's fallback scale). */
function meanDistance(distances: Float64Array, n: number, k: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += mean(distances.subarray(i * k, (i + 1) * k));
  return sum / n;
}
