/**
 * Nearest neighbours in feature space by cosine similarity: the direction of a C5/F6 activation
 * says which features fire, its length mostly how strongly (brightness, contrast), so cosine
 * groups images the network treats alike better than Euclidean distance does.
 */

export interface Neighbour {
  /** Row in the bank. */
  index: number;
  /** Cosine similarity, −1 … 1 (a zero vector has similarity 0 to everything). */
  similarity: number;
}

/** Each row's Euclidean length: computed once per bank, reused for every query. */
export function rowNorms(bank: ArrayLike<number>, d: number): Float32Array {
  const n = Math.floor(bank.length / d);
  const norms = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += bank[i * d + j] * bank[i * d + j];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/** The k rows of `bank` (n × d, row-major) most similar to `query` (d values), best first; ties by lower index. */
export function nearestByCosine(
  query: ArrayLike<number>,
  bank: ArrayLike<number>,
  d: number,
  k: number,
  norms: Float32Array = rowNorms(bank, d),
): Neighbour[] {
  if (query.length !== d) throw new Error(`the query has ${query.length} values, the bank's rows ${d}`);
  let qs = 0;
  for (let j = 0; j < d; j++) qs += query[j] * query[j];
  const qNorm = Math.sqrt(qs);
  const best: Neighbour[] = [];
  for (let i = 0; i < norms.length; i++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += query[j] * bank[i * d + j];
    const denominator = qNorm * norms[i];
    const similarity = denominator > 0 ? dot / denominator : 0;
    if (best.length === k && similarity <= best[k - 1].similarity) continue;
    // Insertion into a short sorted list: k is 8, a heap would not pay.
    let at = best.length;
    while (at > 0 && best[at - 1].similarity < similarity) at--;
    best.splice(at, 0, { index: i, similarity });
    if (best.length > k) best.pop();
  }
  return best;
}
