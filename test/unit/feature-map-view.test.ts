/**
 * The feature map's geometry: fit, zoom about the pointer, hit test and box selection, checked by
 * hand-computed positions; the lasso's point-in-polygon against a winding-number reference (a
 * different algorithm: the signed angle the polygon turns around the point) on random simple
 * polygons, and a rectangular lasso against the box selection.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/shared/random';
import {
  fitView,
  insidePolygon,
  pointsInLasso,
  panBy,
  pointAt,
  pointColour,
  pointsInBox,
  toScreen,
  zoomAt,
} from '../../src/renderer/src/lib/feature-map-view';

// Three points: (0,0), (10,0), (10,5).
const coords = Float32Array.from([0, 0, 10, 0, 10, 5]);

describe('feature map geometry', () => {
  it('fits every point inside the canvas with its margin, y upwards', () => {
    const view = fitView(coords, 220, 120, 10);
    // Width 200 for span 10 → 20 px per unit; height 100 for span 5 → 20: both 20.
    expect(view.scale).toBe(20);
    expect(toScreen(view, 0, 0)).toEqual([10, 110]);
    expect(toScreen(view, 10, 5)).toEqual([210, 10]);
  });

  it('zooms about the pointer and pans', () => {
    const view = fitView(coords, 220, 120, 10);
    const zoomed = zoomAt(view, 210, 10, 2);
    expect(toScreen(zoomed, 10, 5)).toEqual([210, 10]);
    expect(toScreen(zoomed, 0, 0)).toEqual([-190, 210]);
    expect(toScreen(panBy(view, 5, -5), 0, 0)).toEqual([15, 105]);
  });

  it('finds the nearest point within the radius and the points in a box', () => {
    const view = fitView(coords, 220, 120, 10);
    expect(pointAt(coords, view, 208, 108, 6)).toBe(1);
    expect(pointAt(coords, view, 110, 60, 6)).toBeNull();
    expect(pointsInBox(coords, view, [220, 0], [150, 115])).toEqual([1, 2]);
    expect(pointsInBox(coords, view, [0, 0], [5, 5])).toEqual([]);
  });

  it('colours by class or by right/wrong', () => {
    expect(pointColour('true', 3, 5)).not.toBe(pointColour('predicted', 3, 5));
    expect(pointColour('correct', 3, 3)).not.toBe(pointColour('correct', 3, 5));
  });
});

/** Winding number of `polygon` around (x, y), from the angles its edges subtend: ±1 inside a simple polygon, 0 outside. */
function windingNumber(polygon: readonly (readonly [number, number])[], x: number, y: number): number {
  let angle = 0;
  for (let i = 0; i < polygon.length; i++) {
    const [ax, ay] = polygon[i];
    const [bx, by] = polygon[(i + 1) % polygon.length];
    angle += Math.atan2((ax - x) * (by - y) - (ay - y) * (bx - x), (ax - x) * (bx - x) + (ay - y) * (by - y));
  }
  return Math.round(angle / (2 * Math.PI));
}

/** A random simple polygon: corners at increasing angles around (cx, cy), random radii (star-shaped, never self-crossing). */
function starPolygon(random: () => number, corners: number, cx: number, cy: number): [number, number][] {
  const angles = Array.from({ length: corners }, () => random() * 2 * Math.PI).sort((a, b) => a - b);
  return angles.map((a) => {
    const r = 20 + random() * 180;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

describe('lasso selection', () => {
  it('agrees with the winding number on random simple polygons', () => {
    const random = mulberry32(12);
    let insideCount = 0;
    for (let trial = 0; trial < 40; trial++) {
      const polygon = starPolygon(random, 3 + Math.floor(random() * 30), 250, 250);
      for (let p = 0; p < 500; p++) {
        const [x, y] = [random() * 500, random() * 500];
        const expected = windingNumber(polygon, x, y) !== 0;
        expect(insidePolygon(polygon, x, y)).toBe(expected);
        if (expected) insideCount++;
      }
    }
    // Both outcomes were exercised, many times.
    expect(insideCount).toBeGreaterThan(2000);
    expect(insideCount).toBeLessThan(18000);
  });

  it('a rectangular lasso selects what the box between its corners selects; a stroke selects nothing', () => {
    const random = mulberry32(4);
    const many = Float32Array.from({ length: 4000 }, () => random() * 100 - 50);
    const view = fitView(many, 640, 480);
    const rectangle: [number, number][] = [
      [101.5, 77.5],
      [433.5, 77.5],
      [433.5, 301.5],
      [101.5, 301.5],
    ];
    const lassoed = pointsInLasso(many, view, rectangle);
    expect(lassoed.length).toBeGreaterThan(100);
    expect(lassoed).toEqual(pointsInBox(many, view, [101.5, 77.5], [433.5, 301.5]));
    expect(
      pointsInLasso(many, view, [
        [0, 0],
        [640, 480],
      ]),
    ).toEqual([]);
  });

  it('selects the points of the lasso drawn around them, not those beside it', () => {
    // The three points at screen (10,110), (210,110), (210,10): a quadrilateral around the last two only.
    const view = fitView(coords, 220, 120, 10);
    const around: [number, number][] = [
      [150, 119],
      [180, 0],
      [219, 0],
      [219, 119],
    ];
    expect(pointsInLasso(coords, view, around)).toEqual([1, 2]);
    expect(pointsInLasso(coords, view, around.slice(0, 2))).toEqual([]);
  });
});
