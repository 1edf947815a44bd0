/** The feature map's geometry: fit, zoom about the pointer, hit test and box selection, checked by hand-computed positions. */
import { describe, expect, it } from 'vitest';
import {
  fitView,
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
