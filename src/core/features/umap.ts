/**
 * UMAP to two dimensions with umap-js, seeded (umap-js draws every random number from the
 * `random` it is given), so the same features give the same map. Fewer optimisation epochs than
 * umap-js's default for 10,000 points (500 below 10,000, 200 above): the map settles by ~200 and
 * the projection must answer in seconds on a 2-core machine.
 */
import { UMAP } from 'umap-js';
import { mulberry32 } from '../../shared/random';
import type { Projection2D } from './pca';

export const UMAP_EPOCHS = 200;
export const UMAP_NEIGHBOURS = 15;

export function umap2(rows: Float32Array, n: number, d: number, seed = 1): Projection2D {
  if (rows.length !== n * d) throw new Error(`expected ${n} × ${d} values, got ${rows.length}`);
  const vectors: number[][] = [];
  for (let i = 0; i < n; i++) vectors.push(Array.from(rows.subarray(i * d, (i + 1) * d)));
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(UMAP_NEIGHBOURS, n - 1),
    nEpochs: UMAP_EPOCHS,
    random: mulberry32(seed),
  });
  const embedding = umap.fit(vectors);
  const coords = new Float32Array(n * 2);
  embedding.forEach(([x, y], i) => {
    coords[2 * i] = x;
    coords[2 * i + 1] = y;
  });
  // UMAP's axes carry no variance share.
  return { coords, explained: [0, 0] };
}
