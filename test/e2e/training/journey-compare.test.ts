/**
 * Journey 4: train two quick runs that differ in learning rate (from the UI, real trainer), pick
 * both in Runs and open Compare: the overlay draws both runs, the learning rate is the highlighted
 * difference, and for the pair the confusion difference and the disagreeing images are shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('journey: compare two runs', () => {
  let studio: StudioPage;
  const ids: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-compare' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  async function startQuick(expectedRows: number, name: string, learningRate?: string) {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    // 5,000 images instead of the preset's 10,000, in both runs: the overlay, the difference and
    // the disagreements need two runs that learned something, not good ones (and learning rate
    // stays the only difference). Fewer leave the sigmoid network near chance (one epoch on
    // 2,000 images: 14% test accuracy).
    await page.getByTestId('input-trainSubset').fill('5000');
    if (learningRate) await page.getByTestId('input-learningRate').fill(learningRate);
    await page.getByTestId('run-name').fill(name);
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
    await page.getByTestId('start-run').click();
    // Start opens the new run's page; back in Runs it is listed with the earlier ones.
    const id = await openedRunId(page);
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 15_000 }).toBe(expectedRows);
    return id;
  }

  it('trains two quick runs, one after the other', async () => {
    const { page } = studio;
    const started = [await startQuick(1, 'quick lr 5e-3'), await startQuick(2, 'quick lr 2e-3', '0.002')];
    const rowIds = await page
      .getByTestId('run-row')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-run-id'))));
    ids.push(...rowIds.sort((a, b) => a - b));
    expect(ids).toEqual(started);
    // Runs train one at a time: the second waits, then both complete; the table follows live.
    for (const id of ids) {
      await expect
        .poll(() => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`).getAttribute('data-status'), {
          timeout: 300_000,
          interval: 500,
        })
        .toBe('completed');
    }
  });

  it('picks both in Runs and overlays their curves', async () => {
    const { page } = studio;
    for (const id of ids)
      await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-select"]`).check();
    await studio.screenshot('picked');
    await page.getByTestId('compare-open').click();
    await expect.poll(() => page.getByTestId('compare-curves').getAttribute('data-series')).toBe('2');
    // Two runs × two epochs on the shared axis.
    expect(await page.getByTestId('compare-curves').getAttribute('data-points')).toBe('4');
    expect((await page.getByTestId('compare-legend-item').allTextContents()).map((t) => t.trim())).toEqual([
      `#${ids[0]} quick lr 5e-3`,
      `#${ids[1]} quick lr 2e-3`,
    ]);
    await studio.screenshot('overlay');

    // Smoothing keeps the raw curves, faint: twice the series.
    await page.getByTestId('compare-smoothing').fill('0.5');
    await expect.poll(() => page.getByTestId('compare-curves').getAttribute('data-series')).toBe('4');
    await page.getByTestId('compare-metric-testLoss').click();
    await page.getByTestId('compare-log').check();
    await expect.poll(() => page.getByTestId('compare-curves').getAttribute('data-series')).toBe('4');
    await studio.screenshot('overlay-loss-log');
  });

  it('highlights the differing hyperparameter and can show only differences', async () => {
    const { page } = studio;
    const lr = page.locator('[data-testid="hp-row"][data-key="learningRate"]');
    await expect.poll(() => lr.getAttribute('data-differs')).toBe('true');
    expect(await lr.evaluate((e) => e.classList.contains('differs'))).toBe(true);
    expect(await lr.textContent()).toContain('0.005');
    expect(await lr.textContent()).toContain('0.002');
    expect(await page.locator('[data-testid="hp-row"][data-key="batchSize"]').getAttribute('data-differs')).toBe(
      'false',
    );
    expect(await page.getByTestId('hyperparam-diff-count').textContent()).toContain('1 field differs');
    await page.getByTestId('hyperparam-diff').scrollIntoViewIfNeeded();
    await studio.screenshot('hyperparams');
    const onlyDiff = page.getByTestId('only-differences');
    // The switch's label is what a person clicks.
    await onlyDiff.locator('..').click();
    expect(await onlyDiff.isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('hp-row').count()).toBe(1);
    expect(await page.getByTestId('hp-row').first().getAttribute('data-key')).toBe('learningRate');
    await onlyDiff.locator('..').click();
    await expect.poll(() => page.getByTestId('hp-row').count()).toBeGreaterThan(10);
  });

  /** A run's final predictions as the store holds them, by test index: [true class, predicted, confidence]. */
  function storedPredictions(runId: number): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    for (let offset = 0; ; offset += 1000) {
      const page = studio.store().predictions({ runId, role: 'final', sort: 'index', limit: 1000, offset });
      expect(page.labels).toBe(true);
      for (const r of page.rows) out[r.index] = [r.trueClass!, r.predictedClass, r.confidence]; // labels are stored (checked above)
      if (offset + 1000 >= page.total) break;
    }
    return out;
  }

  it('shows the confusion difference and the images only one run got right', async () => {
    const { page } = studio;
    // Expectations from the stored predictions, counted here (not by the app's confusionDiff or
    // disagreements): the b − a count of every (true, predicted) cell, and who got which right.
    const a = storedPredictions(ids[0]);
    const b = storedPredictions(ids[1]);
    expect(a).toHaveLength(10_000);
    expect(b).toHaveLength(10_000);
    const diff = new Array<number>(100).fill(0);
    a.forEach(([t, p]) => diff[t * 10 + p]--);
    b.forEach(([t, p]) => diff[t * 10 + p]++);
    const onlyA = a.flatMap(([t, p], i) => (p === t && b[i][1] !== t ? [i] : []));
    const onlyB = b.flatMap(([t, p], i) => (p === t && a[i][1] !== t ? [i] : []));

    await page.getByTestId('confusion-diff').scrollIntoViewIfNeeded();
    const cells = page.locator('[data-testid="confusion-diff-matrix"] [data-testid="cm-cell"]');
    await expect.poll(() => cells.count()).toBe(100);
    const shown = await cells.evaluateAll((els) =>
      els.map((e) => ({
        at: Number(e.getAttribute('data-r')) * 10 + Number(e.getAttribute('data-c')),
        count: e.querySelector('.count')?.textContent?.trim(),
      })),
    );
    const signed = (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0');
    expect(shown.map((c) => c.at).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const { at, count } of shown) expect({ at, count }).toEqual({ at, count: signed(diff[at]) });
    await studio.screenshot('confusion-diff');

    await expect.poll(() => page.getByTestId('only-a-count').textContent()).toBe(onlyA.length.toLocaleString('en-US'));
    expect(await page.getByTestId('only-b-count').textContent()).toBe(onlyB.length.toLocaleString('en-US'));
    // Two runs with different learning rates disagree somewhere; the gallery must show it.
    expect(onlyA.length).toBeGreaterThan(0);
    const items = page.getByTestId('disagree-gallery-onlyA').getByTestId('gallery-item');
    await expect.poll(() => items.count()).toBe(Math.min(24, onlyA.length));
    const gallery = await items.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-index'), e.getAttribute('data-true'), e.getAttribute('data-predicted')]),
    );
    // The images run a alone got right, run b's surest mistakes first (ties by index), each with its
    // true class and run b's (wrong) guess.
    const surestFirst = [...onlyA].sort((x, y) => b[y][2] - b[x][2] || x - y);
    expect(gallery).toEqual(surestFirst.slice(0, 24).map((i) => [String(i), String(b[i][0]), String(b[i][1])]));
    await page.getByTestId('disagreements').scrollIntoViewIfNeeded();
    await studio.screenshot('disagreements');
  });
});
