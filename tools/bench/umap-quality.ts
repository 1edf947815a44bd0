/**
 * How well a 2-D map keeps the data's neighbourhoods: the mean share of each point's k nearest
 * neighbours in the data (Euclidean, exact) that are among its k nearest on the map. 1 is perfect,
 * k / (n − 1) is chance. Used by the features bench and the UMAP tests to compare maps.
 */
import { exactKnn } from '../../src/core/features';

export function knnPreservation(rows: Float32Array, d: number, coords: Float32Array, n: number, k: number): number {
  const high = exactKnn(rows, n, d, k + 1).indices;
  const low = exactKnn(coords, n, 2, k + 1).indices;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const mapped = new Set(low[i].slice(1));
    kept += high[i].slice(1).filter((j) => mapped.has(j)).length;
  }
  return kept / (n * k);
}
