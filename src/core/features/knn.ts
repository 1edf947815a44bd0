/**
 * Exact k nearest neighbours of every row among all rows (Euclidean), for UMAP: a brute-force
 * scan over typed arrays, exact, and faster here than umap-js's own approximate search
 * (random-projection trees, NN-descent over number[][]). Each pair's distance is computed once,
 * offered to both rows, and left unfinished once it can place in neither: on the feature map's
 * 32 PCA components of 10,000 points that took 2.2 s instead of 6–7 s (machine under load).
 */

/** Dimensions summed between checks of the early stop. */
const CHUNK = 4;

export interface Knn {
  /** n rows of k indices, nearest first; row i starts with i itself (umap-js's convention). */
  indices: number[][];
  /** The matching Euclidean distances (the first is 0). */
  distances: number[][];
}

/** `rows`: n × d, row-major. Ties go to the lower index. */
export function exactKnn(rows: Float32Array, n: number, d: number, k: number): Knn {
  if (rows.length !== n * d) throw new Error(`expected ${n} × ${d} values, got ${rows.length}`);
  if (k < 1 || k > n) throw new Error(`cannot find ${k} neighbours among ${n} points`);
  // Each row's k − 1 nearest others, sorted, as squared distances (no sqrt until the end).
  const m = k - 1;
  const bestD = new Float64Array(n * m).fill(Infinity);
  const bestI = new Int32Array(n * m).fill(-1);
  const offer = (row: number, other: number, dist: number): void => {
    const base = row * m;
    // Strictly nearer only: candidates arrive in ascending index, so a tie keeps the lower one.
    if (!(dist < bestD[base + m - 1])) return;
    let at = m - 1;
    while (at > 0 && bestD[base + at - 1] > dist) {
      bestD[base + at] = bestD[base + at - 1];
      bestI[base + at] = bestI[base + at - 1];
      at--;
    }
    bestD[base + at] = dist;
    bestI[base + at] = other;
  };
  if (m > 0)
    for (let i = 0; i < n; i++) {
      const a = i * d;
      for (let j = i + 1; j < n; j++) {
        const b = j * d;
        // A pair at least as far as both rows' current k-th nearest can place in neither: the
        // sum (it only grows) stops once it gets there, checked every CHUNK dimensions. On PCA
        // components, whose first dimensions carry the most variance, most pairs stop early.
        const worstI = bestD[i * m + m - 1];
        const worstJ = bestD[j * m + m - 1];
        const bound = worstI > worstJ ? worstI : worstJ;
        let s = 0;
        for (let c = 0; c < d; c += CHUNK) {
          const end = c + CHUNK < d ? c + CHUNK : d;
          for (let t = c; t < end; t++) {
            const diff = rows[a + t] - rows[b + t];
            s += diff * diff;
          }
          if (!(s < bound)) break;
        }
        if (!(s < bound)) continue;
        if (s < worstI) offer(i, j, s);
        if (s < worstJ) offer(j, i, s);
      }
    }
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = [i];
    const dist = [0];
    for (let t = 0; t < m; t++) {
      row.push(bestI[i * m + t]);
      dist.push(Math.sqrt(bestD[i * m + t]));
    }
    indices.push(row);
    distances.push(dist);
  }
  return { indices, distances };
}
