/**
 * UMAP to two dimensions with umap-js, seeded (umap-js draws every random number from the
 * `random` it is given), so the same features give the same map. Three departures from
 * umap-js's defaults:
 * - it sees the features' first UMAP_COMPONENTS principal components, not all 84–120 values
 *   (they hold nearly all the variance; neighbour search cost grows with the dimension);
 * - the neighbours are found exactly by brute force (knn.ts) and handed over, instead of by its
 *   random-projection trees and NN-descent over number[][];
 * - the layout starts from the PCA map (scaled to umap-js's own ±10 start) instead of random
 *   points, so the global arrangement is there from the first epoch and UMAP_EPOCHS suffice
 *   (the previous version ran 200). UMAP's reference implementation offers the same start
 *   (init="pca").
 * Measured on 10,000 points of F6 (2-core machine, one process, alternated): 17.5 s before,
 * 16 s after on a quiet machine (67 s and 55 s on a busy one); of the 16, the neighbours take
 * 2.5 s, umap-js's graph building (sparse matrices keyed by strings) 7 s and its layout 6.5 s. Under 10 s would need those two rewritten over typed
 * arrays; the page shows the PCA map meanwhile.
 */
import { UMAP } from 'umap-js';
import { mulberry32 } from '../../shared/random';
import { exactKnn } from './knn';
import { principalComponents, type Projection2D } from './pca';

export const UMAP_COMPONENTS = 32;
export const UMAP_EPOCHS = 150;
export const UMAP_NEIGHBOURS = 15;
/** umap-js starts its layout uniformly in ±10; the PCA start is scaled to the same box. */
const START_HALF_WIDTH = 10;

export interface UmapOptions {
  seed?: number;
  epochs?: number;
  /** Called now and then with the share done (0–1) and what is being done. */
  onProgress?: (done: number, stage: string) => void;
}

export function umap2(rows: Float32Array, n: number, d: number, options: UmapOptions = {}): Projection2D {
  if (rows.length !== n * d) throw new Error(`expected ${n} × ${d} values, got ${rows.length}`);
  const { seed = 1, epochs = UMAP_EPOCHS, onProgress = () => {} } = options;
  const k = Math.min(UMAP_COMPONENTS, d);
  const neighbours = Math.min(UMAP_NEIGHBOURS, n - 1);
  onProgress(0, 'principal components');
  const reduced = principalComponents(rows, n, d, k);
  onProgress(0.05, 'nearest neighbours');
  const knn = exactKnn(reduced, n, k, neighbours);
  onProgress(0.3, 'neighbour graph');
  const umap = new UMAP({ nComponents: 2, nNeighbors: neighbours, nEpochs: epochs, random: mulberry32(seed) });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  // umap-js reads only the number of points from X once the neighbours are given.
  const vectors: number[][] = [];
  for (let i = 0; i < n; i++) vectors.push(Array.from(reduced.subarray(i * k, (i + 1) * k)));
  const total = umap.initializeFit(vectors);
  startFromPca(umap.getEmbedding(), reduced, n, k);
  for (let epoch = 0; epoch < total; epoch++) {
    umap.step();
    if (epoch % 10 === 0) onProgress(0.35 + (0.65 * epoch) / total, 'layout');
  }
  const coords = new Float32Array(n * 2);
  umap.getEmbedding().forEach(([x, y], i) => {
    coords[2 * i] = x;
    coords[2 * i + 1] = y;
  });
  onProgress(1, 'done');
  // UMAP's axes carry no variance share.
  return { coords, explained: [0, 0] };
}

/**
 * Overwrite umap-js's random start, in place: `getEmbedding()` returns the very arrays its
 * optimiser moves (checked by the UMAP test, which fails if a later umap-js copies them).
 */
function startFromPca(embedding: number[][], reduced: Float32Array, n: number, k: number): void {
  let extent = 0;
  for (let i = 0; i < n; i++)
    extent = Math.max(extent, Math.abs(reduced[i * k]), k > 1 ? Math.abs(reduced[i * k + 1]) : 0);
  const scale = extent > 0 ? START_HALF_WIDTH / extent : 0;
  for (let i = 0; i < n; i++) {
    embedding[i][0] = reduced[i * k] * scale;
    embedding[i][1] = k > 1 ? reduced[i * k + 1] * scale : 0;
  }
}
