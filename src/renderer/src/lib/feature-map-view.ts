/**
 * The feature map's geometry, DOM-free: data coordinates ↔ canvas pixels (fit, pan, zoom about a
 * point), the point under the pointer, the points inside a box or a lasso, and each point's colour
 * by true class, predicted class or right/wrong. 10,000 points are scanned linearly per query: well under
 * a millisecond, so no spatial index is needed.
 */

/** screen = (x · scale + dx, −y · scale + dy): y grows upwards in data, downwards on screen. */
export interface MapView {
  scale: number;
  dx: number;
  dy: number;
}

export const COLOUR_MODES = ['true', 'predicted', 'correct'] as const;
/** What Shift+drag draws to select points. */
export const SELECT_TOOLS = ['box', 'lasso'] as const;
export type SelectTool = (typeof SELECT_TOOLS)[number];
export type ColourMode = (typeof COLOUR_MODES)[number];

/** Ten classes told apart at a glance (Tableau 10). */
export const CLASS_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;
export const RIGHT_COLOUR = '#59a14f';
export const WRONG_COLOUR = '#e15759';

/** The view that shows every point with `margin` px to spare on each side. */
export function fitView(coords: Float32Array, width: number, height: number, margin = 12): MapView {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < coords.length; i += 2) {
    minX = Math.min(minX, coords[i]);
    maxX = Math.max(maxX, coords[i]);
    minY = Math.min(minY, coords[i + 1]);
    maxY = Math.max(maxY, coords[i + 1]);
  }
  if (!Number.isFinite(minX)) return { scale: 1, dx: width / 2, dy: height / 2 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  return {
    scale,
    dx: width / 2 - ((minX + maxX) / 2) * scale,
    dy: height / 2 + ((minY + maxY) / 2) * scale,
  };
}

export function toScreen(view: MapView, x: number, y: number): [number, number] {
  return [x * view.scale + view.dx, -y * view.scale + view.dy];
}

/** Zoom by `factor` keeping the data point under (sx, sy) where it is. */
export function zoomAt(view: MapView, sx: number, sy: number, factor: number): MapView {
  return {
    scale: view.scale * factor,
    dx: sx - (sx - view.dx) * factor,
    dy: sy - (sy - view.dy) * factor,
  };
}

export function panBy(view: MapView, ddx: number, ddy: number): MapView {
  return { ...view, dx: view.dx + ddx, dy: view.dy + ddy };
}

/** The point nearest (sx, sy) within `radius` px, or null. */
export function pointAt(coords: Float32Array, view: MapView, sx: number, sy: number, radius: number): number | null {
  let best: number | null = null;
  let bestD = radius * radius;
  for (let i = 0; i < coords.length / 2; i++) {
    const [px, py] = toScreen(view, coords[2 * i], coords[2 * i + 1]);
    const d = (px - sx) ** 2 + (py - sy) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** The points inside the screen box between two corners (any order). */
export function pointsInBox(coords: Float32Array, view: MapView, a: [number, number], b: [number, number]): number[] {
  const [x0, x1] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [y0, y1] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  const inside: number[] = [];
  for (let i = 0; i < coords.length / 2; i++) {
    const [px, py] = toScreen(view, coords[2 * i], coords[2 * i + 1]);
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) inside.push(i);
  }
  return inside;
}

/** A lasso as drawn: screen points in order; the last joins the first. */
export type Lasso = readonly (readonly [number, number])[];

/**
 * Whether (x, y) is inside `polygon`, by the even–odd rule: a ray to the right crosses its edges
 * an odd number of times. (A lasso that crosses itself leaves the doubly wound part out, as SVG's
 * and the canvas's "evenodd" fill would.)
 */
export function insidePolygon(polygon: Lasso, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    // The edge straddles the ray's height (half-open, so a vertex on the ray counts once) and
    // meets it right of the point.
    if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
  }
  return inside;
}

/** The points inside a lasso drawn on the canvas (fewer than 3 corners enclose nothing). */
export function pointsInLasso(coords: Float32Array, view: MapView, lasso: Lasso): number[] {
  if (lasso.length < 3) return [];
  // The lasso's bounding box first: most of 10,000 points are rejected by four comparisons.
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of lasso) [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
  const inside: number[] = [];
  for (let i = 0; i < coords.length / 2; i++) {
    const [px, py] = toScreen(view, coords[2 * i], coords[2 * i + 1]);
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1 && insidePolygon(lasso, px, py)) inside.push(i);
  }
  return inside;
}

export function pointColour(mode: ColourMode, label: number, predicted: number): string {
  if (mode === 'true') return CLASS_COLOURS[label];
  if (mode === 'predicted') return CLASS_COLOURS[predicted];
  return label === predicted ? RIGHT_COLOUR : WRONG_COLOUR;
}

/** The points grouped by colour, so a canvas sets each colour once. */
export function colourBuckets(mode: ColourMode, labels: Uint8Array, predicted: Uint8Array): Map<string, number[]> {
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const colour = pointColour(mode, labels[i], predicted[i]);
    const bucket = buckets.get(colour);
    if (bucket) bucket.push(i);
    else buckets.set(colour, [i]);
  }
  return buckets;
}
