/**
 * Issue 25, the rest of items 6, 11 and 13, at the window sizes where they were found:
 * - Compare (1280×800): one colour per run in every panel (chips, curves' legend, best-epoch table,
 *   parallel coordinates and its list); seed groups in colours no run has, with a legend; the seed
 *   axis ticked at whole numbers only; the learning rate on a log axis; the curves' end labels
 *   apart even where two curves end at the same value.
 * - Run page (1280×800 and 960×640): a confusion-matrix cell's click keeps the matrix in view,
 *   beside the gallery, and it stays in view while the gallery scrolls.
 * - Runs (960×640): the selection bar covers no row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('first use: layout and colours', () => {
  let studio: StudioPage;
  /** lr 0.001 and 0.003, seeds 1 and 2 each: two seed groups. */
  let compared: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-first-use-layout' });
    const store = studio.store();
    compared = [
      [0.001, 1],
      [0.001, 2],
      [0.003, 1],
      [0.003, 2],
    ].map(([learningRate, seed], i) =>
      seedRun(store, {
        epochs: 4,
        // Runs 1 and 2 share their synthetic curve: they end at the same accuracy, where end
        // labels used to be drawn over each other.
        seed: i < 2 ? 5 : 6 + i,
        plateau: i < 2 ? 0.84 : 0.8 + i * 0.01,
        name: `lr ${learningRate} seed ${seed}`,
        config: { learningRate, seed },
      }),
    );
    // Enough runs that the Runs table scrolls at 960×640.
    for (let i = 0; i < 16; i++) seedRun(store, { epochs: 2, seed: 30 + i, name: `filler ${i + 1}` });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const go = (hash: string) => studio.page.evaluate((h) => (location.hash = h), hash);

  describe('Compare at 1280×800', () => {
    beforeAll(async () => {
      await studio.page.setViewportSize({ width: 1280, height: 800 });
      await go(`#/compare/${compared.join(',')}`);
      await studio.page.getByTestId('pc-line').first().waitFor();
    });

    /** A swatch's colour as the browser paints it (its top border). */
    const painted = (testid: string, inside = '.swatch') =>
      studio.page
        .getByTestId(testid)
        .evaluateAll(
          (els, sel) => els.map((e) => getComputedStyle(e.querySelector(sel) as Element).borderTopColor),
          inside,
        );

    it('gives each run one colour, the same in every panel', async () => {
      const { page } = studio;
      const chips = await painted('compare-run-chip');
      const legend = await painted('compare-legend-item');
      const table = await page
        .getByTestId('compare-best')
        .locator('thead .swatch')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e).borderTopColor));
      const lines = await page
        .getByTestId('pc-line')
        .evaluateAll((els) =>
          Object.fromEntries(els.map((e) => [e.getAttribute('data-run-id'), getComputedStyle(e).stroke])),
        );
      const list = await page
        .getByTestId('pc-run')
        .evaluateAll((els) =>
          Object.fromEntries(
            els.map((e) => [
              e.getAttribute('data-run-id'),
              getComputedStyle(e.querySelector('.swatch')!).borderTopColor,
            ]),
          ),
        );
      expect(chips).toHaveLength(4);
      expect(new Set(chips).size).toBe(4);
      expect(legend).toEqual(chips);
      expect(table).toEqual(chips);
      // Parallel coordinates: the runs' own colours, not a second scale over accuracy.
      expect(compared.map((id) => lines[String(id)])).toEqual(chips);
      expect(compared.map((id) => list[String(id)])).toEqual(chips);
      await page.getByTestId('parallel-coordinates').scrollIntoViewIfNeeded();
      await studio.screenshot('compare-parallel');
    });

    it('draws seed groups in colours no run has, with a legend', async () => {
      const { page } = studio;
      const groups = page.getByTestId('compare-groups');
      await expect.poll(() => groups.getAttribute('data-groups')).toBe('2');
      const runColours = new Set(await painted('compare-run-chip'));
      const groupColours = await painted('group-legend-item');
      expect(groupColours).toHaveLength(2);
      expect(new Set(groupColours).size).toBe(2);
      for (const c of groupColours) expect(runColours.has(c)).toBe(false);
      const heads = await page
        .getByTestId('group-head')
        .evaluateAll((els) => els.map((e) => getComputedStyle(e.querySelector('.swatch')!).borderTopColor));
      expect(heads).toEqual(groupColours);
      const legend = await page.getByTestId('group-legend').textContent();
      expect(legend).toContain('A:');
      expect(legend).toContain('B:');
      await groups.scrollIntoViewIfNeeded();
      await studio.screenshot('compare-groups');
    });

    it('ticks the seed axis at whole numbers and reads the learning rate on a log axis', async () => {
      const { page } = studio;
      const ticks = (key: string) =>
        page.locator(`[data-testid="pc-axis"][data-key="${key}"] .tick`).evaluateAll((els) =>
          els.map((e) => ({
            value: (e as unknown as { __data__: number }).__data__,
            text: e.textContent ?? '',
            y: Number(/translate\([^,]+,([^)]+)\)/.exec(e.getAttribute('transform') ?? '')?.[1]),
          })),
        );
      const seeds = await ticks('seed');
      expect(seeds.length).toBeGreaterThanOrEqual(2);
      for (const t of seeds) {
        expect(Number.isInteger(t.value)).toBe(true);
        expect(t.text).toMatch(/^\d+$/);
      }
      // 0.001 → 0.003: on a log axis 0.002 sits log(2)/log(3) = 63% of the way up, on a linear one 50%.
      const rates = await ticks('learningRate');
      const at = (v: number) => rates.find((t) => Math.abs(t.value - v) < 1e-12)?.y;
      const [y1, y2, y3] = [at(0.001), at(0.002), at(0.003)];
      expect(y1 != null && y2 != null && y3 != null).toBe(true);
      const share = (y1! - y2!) / (y1! - y3!);
      expect(share).toBeCloseTo(Math.log(2) / Math.log(3), 2);
    });

    it('keeps the curves’ end labels apart where two runs end at the same value', async () => {
      const { page } = studio;
      const chart = page.getByTestId('compare-curves');
      await expect.poll(() => chart.getAttribute('data-end-labels')).not.toBeNull();
      const labels = JSON.parse((await chart.getAttribute('data-end-labels'))!) as {
        text: string;
        y: number;
        wantedY: number;
        height: number;
      }[];
      expect(labels.map((l) => l.text).sort()).toEqual(compared.map((id) => `#${id}`).sort());
      const [a, b] = compared.slice(0, 2).map((id) => labels.find((l) => l.text === `#${id}`)!);
      // The same last value: without spreading, one label would be drawn over the other.
      expect(Math.abs(a.wantedY - b.wantedY)).toBeLessThan(1);
      const ys = labels.map((l) => l.y).sort((p, q) => p - q);
      for (let k = 1; k < ys.length; k++) expect(ys[k] - ys[k - 1]).toBeGreaterThanOrEqual(labels[0].height);
      await chart.scrollIntoViewIfNeeded();
      await studio.screenshot('compare-end-labels');
    });
  });

  for (const size of [
    { width: 1280, height: 800 },
    { width: 960, height: 640 },
  ])
    it(`keeps the matrix in view beside the gallery after a cell's click (${size.width}×${size.height})`, async () => {
      const { page } = studio;
      await page.setViewportSize(size);
      const runId = compared[2];
      await go(`#/run/${runId}`);
      const matrix = page.getByTestId('confusion-matrix');
      await matrix.waitFor();
      await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
      const { matrix: counts } = studio.store().confusion(runId, 'final');
      // The largest confusion: a cell with many images, so the gallery is long.
      let best = 1;
      for (let k = 0; k < 100; k++) if (k % 11 !== 0 && counts[k] > counts[best]) best = k;
      const [r, c] = [Math.floor(best / 10), best % 10];
      await page.locator(`[data-testid="cm-cell"][data-r="${r}"][data-c="${c}"]`).click();
      await expect
        .poll(() => page.getByTestId('gallery-total').textContent())
        .toBe(counts[best].toLocaleString('en-US'));
      await page.waitForTimeout(300);

      const view = () =>
        page.evaluate(() => {
          const main = document.querySelector('main')!.getBoundingClientRect();
          const grid = document
            .querySelector('[data-testid="confusion-matrix"] [role="grid"]')!
            .getBoundingClientRect();
          const gallery = document.querySelector('[data-testid="run-gallery"]')!.getBoundingClientRect();
          return { main, grid, gallery };
        });
      const inView = (v: Awaited<ReturnType<typeof view>>) =>
        v.grid.top >= v.main.top - 1 && v.grid.bottom <= v.main.bottom + 1 && v.grid.left >= v.main.left;
      let v = await view();
      expect(inView(v), JSON.stringify(v)).toBe(true);
      // Beside, not below: the gallery starts right of the matrix.
      expect(v.gallery.left).toBeGreaterThanOrEqual(v.grid.right);
      expect(v.gallery.top).toBeLessThan(v.grid.bottom);
      await studio.screenshot(`matrix-beside-gallery-${size.width}`);

      // Scrolling down the gallery (to just before its end) leaves the matrix where it is.
      const down = v.gallery.bottom - v.main.bottom - 20;
      expect(down).toBeGreaterThan(200);
      await page.evaluate((y) => document.querySelector('main')!.scrollBy(0, y), down);
      await page.waitForTimeout(200);
      v = await view();
      expect(inView(v), JSON.stringify(v)).toBe(true);
      expect(v.gallery.top).toBeLessThan(v.main.top);
      await studio.screenshot(`matrix-beside-gallery-scrolled-${size.width}`);

      // A second cell's click from there still keeps it, and shows the new cell's images.
      const next = counts.findIndex((n, k) => k !== best && k % 11 !== 0 && n > 0);
      await page.locator(`[data-testid="cm-cell"][data-r="${Math.floor(next / 10)}"][data-c="${next % 10}"]`).click();
      await expect
        .poll(() => page.getByTestId('gallery-total').textContent())
        .toBe(counts[next].toLocaleString('en-US'));
      await page.waitForTimeout(300);
      v = await view();
      expect(inView(v), JSON.stringify(v)).toBe(true);
    });

  it('at 960×640, the Runs selection bar covers no row', async () => {
    const { page } = studio;
    await page.setViewportSize({ width: 960, height: 640 });
    await go('#/runs');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(20);
    await page.getByTestId('run-select').nth(0).check();
    await page.getByTestId('run-select').nth(1).check();
    const bar = page.getByTestId('compare-bar');
    await bar.waitFor();
    /** Rows that show (inside the table's pane) yet overlap the bar. */
    const covered = () =>
      page.evaluate(() => {
        const bar = document.querySelector('[data-testid="compare-bar"]')!.getBoundingClientRect();
        // The rows' scrolling pane (the page itself, before the bar was docked under its own pane).
        const pane = (
          document.querySelector('[data-testid="runs-scroll"]') ?? document.querySelector('main')!
        ).getBoundingClientRect();
        return [...document.querySelectorAll('[data-testid="run-row"]')].filter((row) => {
          const r = row.getBoundingClientRect();
          const top = Math.max(r.top, pane.top);
          const bottom = Math.min(r.bottom, pane.bottom);
          return bottom > top && bottom > bar.top + 0.5 && top < bar.bottom;
        }).length;
      });
    expect(await covered()).toBe(0);
    for (const position of [300, 100_000]) {
      await page.evaluate(
        (y) =>
          (document.querySelector('[data-testid="runs-scroll"]') ?? document.querySelector('main')!).scrollTo(0, y),
        position,
      );
      await page.waitForTimeout(100);
      expect(await covered()).toBe(0);
    }
    // At the end of the pane, the last row shows whole above the bar.
    const last = (await page.getByTestId('run-row').last().boundingBox())!;
    const barBox = (await bar.boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(barBox.y + 0.5);
    await studio.screenshot('runs-selection-bar-960');
  });
});
