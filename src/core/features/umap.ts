/**
 * UMAP to two dimensions, seeded, so the same features give the same map. umap-js 1.4's algorithm
 * (smooth-kNN fuzzy graph, fuzzy union, epochs-per-sample SGD with negative sampling, a and b for
 * min_dist 0.1) rewritten over typed arrays in umap-graph.ts and umap-layout.ts, and checked
 * against umap-js itself (unit/features-umap-graph). Three departures from umap-js's defaults:
 * - it sees the features' first UMAP_COMPONENTS principal components, not all 84–120 values
 *   (they hold nearly all the variance; neighbour search cost grows with the dimension);
 * - the neighbours are found exactly by brute force (knn.ts) instead of by random-projection
 *   trees and NN-descent;
 * - the layout starts from the PCA map (scaled to umap-js's own ±10 start) instead of random
 *   points, so the global arrangement is there from the first epoch (UMAP's reference
 *   implementation offers the same start, init="pca").
 * Why not umap-js itself: on 10,000 points of F6 its graph (sparse matrices keyed by strings) took
 * 7 s and its layout (arrays of arrays) 6.5 s on this 2-core machine; see `npm run bench -- features`
 * for what this version takes.
 */
import { mulberry32 } from '../../shared/random';
import { exactKnn, type Knn } from './knn';
import { principalComponents, type Projection2D } from './pca';
import { fuzzySimplicialSet, type KnnArrays } from './umap-graph';
import { optimizeLayout } from './umap-layout';

export const UMAP_COMPONENTS = 32;
/**
 * As the feature map ran umap-js before (umap-js's own choice for 10,000 points is 200; the PCA
 * start gives the global arrangement from the first epoch).
 */
export const UMAP_EPOCHS = 150;
export const UMAP_NEIGHBOURS = 15;
/** umap-js starts its layout uniformly in ±10; the PCA start is scaled to the same box. */
const START_HALF_WIDTH = 10;
/** Progress is reported every this many layout epochs (and at the last). */
const PROGRESS_EVERY_EPOCHS = 10;

export interface UmapOptions {
  seed?: number;
  epochs?: number;
  /** Called now and then with the share done (0–1) and what is being done ("layout epoch 120/200"). */
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
  const knn = knnArrays(exactKnn(reduced, n, k, neighbours));
  onProgress(0.3, 'neighbour graph');
  const graph = fuzzySimplicialSet(knn, epochs);
  const embedding = pcaStart(reduced, n, k);
  optimizeLayout(graph, embedding, {
    epochs,
    random: mulberry32(seed),
    onEpoch: (done) => {
      if (done % PROGRESS_EVERY_EPOCHS === 0 || done === epochs)
        onProgress(0.35 + (0.65 * done) / epochs, `layout epoch ${done}/${epochs}`);
    },
  });
  onProgress(1, 'done');
  // UMAP's axes carry no variance share.
  return { coords: Float32Array.from(embedding), explained: [0, 0] };
}

/** knn.ts's rows as the flat arrays the graph reads. */
export function knnArrays(knn: Knn): KnnArrays {
  const n = knn.indices.length;
  const k = knn.indices[0]?.length ?? 0;
  return { n, k, indices: Int32Array.from(knn.indices.flat()), distances: Float64Array.from(knn.distances.flat()) };
}

/** The first two principal components, scaled so the larger reaches ±START_HALF_WIDTH. */
function pcaStart(reduced: Float32Array, n: number, k: number): Float64Array {
  let extent = 0;
  for (let i = 0; i < n; i++)
    extent = Math.max(extent, Math.abs(reduced[i * k]), k > 1 ? Math.abs(reduced[i * k + 1]) : 0);
  const scale = extent > 0 ? START_HALF_WIDTH / extent : 0;
  const start = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    start[2 * i] = reduced[i * k] * scale;
    start[2 * i + 1] = k > 1 ? reduced[i * k + 1] * scale : 0;
  }
  return start;
}
