/**
 * UMAP's layout: stochastic gradient descent on the fuzzy graph's cross-entropy with negative
 * sampling, umap-js 1.4's optimizeLayoutStep step for step (edges sampled by epochs-per-sample,
 * gradients clipped at 4, the learning rate falling linearly, the same random draws in the same
 * order) over typed arrays instead of arrays of arrays: given umap-js's graph, start and random
 * stream it lands on umap-js's embedding (unit/features-umap-graph checks it to 1e-9).
 */
import type { FuzzyGraph } from './umap-graph';

/**
 * a and b of the embedding's similarity 1 / (1 + a·d^2b) for UMAP's defaults (spread 1, min_dist
 * 0.1): the least-squares fit of UMAP's reference implementation (scipy's curve_fit), which
 * umap-js also lists as its defaults. umap-js refits them at run time with a looser
 * Levenberg–Marquardt (a = 1.5695, b = 0.8942); the test checks these fit the curve better.
 */
export const UMAP_A = 1.5769434603113077;
export const UMAP_B = 0.8950608779109733;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

export interface LayoutOptions {
  epochs: number;
  random: () => number;
  /**
   * x^y as the gradients compute it. Default exp(y·ln x): about twice as fast as Math.pow here and
   * within a few units in the last place of it (the test bounds it), the layout's main cost being
   * these calls. The test passes Math.pow to follow umap-js's arithmetic exactly.
   */
  pow?: (x: number, y: number) => number;
  /** The similarity curve's a and b (default UMAP_A, UMAP_B). */
  ab?: { a: number; b: number };
  /** Called after each epoch with the number of epochs done. */
  onEpoch?: (done: number) => void;
}

/** Moves `embedding` (n × 2, row-major) in place. */
export function optimizeLayout(graph: FuzzyGraph, embedding: Float64Array, options: LayoutOptions): void {
  const { epochs, random, onEpoch = () => {}, ab = { a: UMAP_A, b: UMAP_B }, pow = powByLogs } = options;
  const { head, tail, weights, n } = graph;
  const edges = weights.length;
  if (embedding.length !== 2 * n) throw new Error(`expected ${n} × 2 start coordinates, got ${embedding.length}`);
  let max = 0;
  for (const w of weights) max = Math.max(max, w);
  // An edge of weight w is sampled w / max of the epochs: every 1 / that epochs.
  const perSample = new Float64Array(edges);
  for (let e = 0; e < edges; e++) perSample[e] = weights[e] > 0 ? epochs / ((weights[e] / max) * epochs) : -1;
  const perNegative = perSample.map((p) => p / NEGATIVE_SAMPLE_RATE);
  const nextSample = perSample.slice();
  const nextNegative = perNegative.slice();
  const { a, b } = ab;
  let alpha = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let e = 0; e < edges; e++) {
      if (nextSample[e] > epoch) continue;
      const j = 2 * head[e];
      const k = 2 * tail[e];
      // The moving point in locals (written back below): umap-js's arithmetic, in its order.
      let x = embedding[j];
      let y = embedding[j + 1];
      let dx = x - embedding[k];
      let dy = y - embedding[k + 1];
      let dist2 = dx * dx + dy * dy;
      let coeff = 0;
      // Two pows, not d^b / d for the first: one rounding apart, and SGD would carry it away from
      // umap-js's path, which the test follows step for step.
      if (dist2 > 0) coeff = (-2 * a * b * pow(dist2, b - 1)) / (a * pow(dist2, b) + 1);
      const gx = clip(coeff * dx);
      x += gx * alpha;
      embedding[k] -= gx * alpha;
      const gy = clip(coeff * dy);
      y += gy * alpha;
      embedding[k + 1] -= gy * alpha;
      nextSample[e] += perSample[e];
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e]);
      for (let s = 0; s < negatives; s++) {
        const o = 2 * Math.floor(random() * n);
        // The point itself: no force (umap-js's zero distance with j === k).
        if (o === j) continue;
        dx = x - embedding[o];
        dy = y - embedding[o + 1];
        dist2 = dx * dx + dy * dy;
        coeff = dist2 > 0 ? (2 * b) / ((0.001 + dist2) * (a * pow(dist2, b) + 1)) : 0;
        // Two points on one spot are pushed apart by the clip's full step.
        x += (coeff > 0 ? clip(coeff * dx) : CLIP) * alpha;
        y += (coeff > 0 ? clip(coeff * dy) : CLIP) * alpha;
      }
      embedding[j] = x;
      embedding[j + 1] = y;
      nextNegative[e] += negatives * perNegative[e];
    }
    alpha = 1 - epoch / epochs;
    onEpoch(epoch + 1);
  }
}

/** x^y for x > 0 (all the layout asks). */
export function powByLogs(x: number, y: number): number {
  return Math.exp(y * Math.log(x));
}

function clip(x: number): number {
  return x > CLIP ? CLIP : x < -CLIP ? -CLIP : x;
}
