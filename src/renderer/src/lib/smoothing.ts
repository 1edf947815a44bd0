/**
 * Display smoothing of a curve (an exponential moving average, debiased so the first points are
 * not pulled toward zero, as TensorBoard does). For drawing only: stored metrics are never changed.
 * Gaps (null) are carried through as gaps and do not reset the average.
 */
export interface XY {
  x: number;
  y: number | null;
}

export function smoothed<T extends XY>(points: readonly T[], weight: number): XY[] {
  if (weight <= 0) return points.map((p) => ({ x: p.x, y: p.y }));
  const w = Math.min(weight, 0.999);
  let avg = 0;
  let n = 0;
  return points.map((p) => {
    if (p.y == null || !Number.isFinite(p.y)) return { x: p.x, y: null };
    avg = avg * w + (1 - w) * p.y;
    n++;
    return { x: p.x, y: avg / (1 - Math.pow(w, n)) };
  });
}
