/**
 * The feature map's UMAP as it was before it was rewritten over typed arrays (src/core/features/
 * umap.ts before this change): umap-js 1.4 on the same 32 PCA components, exact neighbours and
 * PCA start, 150 epochs. Kept for `npm run bench -- features` only, to time before against after
 * in one process, alternated.
 */
import { UMAP } from 'umap-js';
import { exactKnn, principalComponents } from '../../src/core/features';
import { mulberry32 } from '../../src/shared/random';

const COMPONENTS = 32;
const EPOCHS = 150;
const NEIGHBOURS = 15;

export function umapJsMap(rows: Float32Array, n: number, d: number, seed = 1): Float32Array {
  const k = Math.min(COMPONENTS, d);
  const reduced = principalComponents(rows, n, d, k);
  const knn = exactKnn(reduced, n, k, Math.min(NEIGHBOURS, n - 1));
  const umap = new UMAP({ nComponents: 2, nNeighbors: NEIGHBOURS, nEpochs: EPOCHS, random: mulberry32(seed) });
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const vectors: number[][] = [];
  for (let i = 0; i < n; i++) vectors.push(Array.from(reduced.subarray(i * k, (i + 1) * k)));
  const total = umap.initializeFit(vectors);
  let extent = 0;
  for (let i = 0; i < n; i++) extent = Math.max(extent, Math.abs(reduced[i * k]), Math.abs(reduced[i * k + 1]));
  umap.getEmbedding().forEach((point, i) => {
    point[0] = (reduced[i * k] * 10) / extent;
    point[1] = (reduced[i * k + 1] * 10) / extent;
  });
  for (let epoch = 0; epoch < total; epoch++) umap.step();
  return Float32Array.from(umap.getEmbedding().flat());
}
