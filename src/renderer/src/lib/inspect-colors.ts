/**
 * Colour scales of the inspector: a sequential heat scale (black → purple → orange → yellow, like
 * matplotlib's inferno) for activations and attributions, and a diverging scale centred on 0
 * (blue − white + red) for kernels, whose sign matters.
 */
type Rgb = [number, number, number];

const HEAT: Rgb[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** t in [0, 1] (clamped) → inferno-like colour. */
export function heat(t: number): Rgb {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (HEAT.length - 1);
  const i = Math.min(HEAT.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [HEAT[i], HEAT[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** v in [−max, max] → blue (negative), white (0), red (positive). */
export function diverging(v: number, max: number): Rgb {
  const t = max > 0 ? Math.max(-1, Math.min(1, v / max)) : 0;
  if (t >= 0) return [255, 255 - 200 * t, 255 - 215 * t];
  return [255 + 215 * t, 255 + 165 * t, 255];
}

/** Largest |v| of a set of arrays: the shared half-range of a diverging scale. */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let top = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) top = Math.max(top, Math.abs(a[i]));
  return top;
}

/** The heat scale as a CSS gradient, left (t = 0) to right (t = 1), for its legends. */
export function heatGradient(): string {
  const stops = HEAT.map((c, i) => `rgb(${c.join(', ')}) ${(i / (HEAT.length - 1)) * 100}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** The smallest and largest of `length` values from `offset`: one map's own colour range. */
export function rangeOf(values: ArrayLike<number>, offset: number, length: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return { min, max };
}
