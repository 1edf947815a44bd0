/**
 * Compare's two palettes, read from palette.css as the window uses them: a group's colour is far
 * from every run's colour (CIE76 ΔE ≥ 20, clearly another colour side by side; ΔE ≈ 2 is the
 * smallest difference people see) and from the other groups', in the light and the dark scheme.
 */
import { readFileSync } from 'node:fs';
import { lab } from 'd3-color';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../src/renderer/src/lib/palette.css', import.meta.url), 'utf8');
const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
const colours = (block: string, prefix: 'series' | 'group') =>
  [...block.matchAll(new RegExp(`--${prefix}-(\\d+):\\s*(#[0-9a-f]{6})`, 'gi'))].map((m) => m[2]);
const deltaE = (a: string, b: string) => {
  const [x, y] = [lab(a), lab(b)];
  return Math.hypot(x.l - y.l, x.a - y.a, x.b - y.b);
};

describe('Compare palettes', () => {
  for (const [scheme, block] of [
    ['light', light],
    ['dark', dark],
  ] as const)
    it(`keeps group colours apart from run colours and from each other (${scheme})`, () => {
      const runs = colours(block, 'series');
      const groups = colours(block, 'group');
      expect(runs).toHaveLength(8);
      expect(groups).toHaveLength(6);
      for (const g of groups) {
        const nearestRun = Math.min(...runs.map((r) => deltaE(g, r)));
        expect(nearestRun, `${g} against the runs`).toBeGreaterThanOrEqual(20);
        const others = groups.filter((o) => o !== g);
        expect(Math.min(...others.map((o) => deltaE(g, o))), `${g} against the groups`).toBeGreaterThanOrEqual(20);
      }
    });
});
