/**
 * Journey: Compare six runs, two configurations × three seeds (synthetic runs written through the
 * real store, so no training is needed): the runs that differ only in their seed form two groups,
 * drawn as means with bands; the table gives mean ± std and n; the Welch t-test's verdict and
 * p-value are shown; the band switches to min–max; grouping can be changed or switched off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('journey: compare seed groups', () => {
  let studio: StudioPage;
  const ids: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-compare-groups' });
    // Interleaved, so the groups cannot come from the runs' order. The plateaus are close enough
    // that the t-test's p-value is shown as a number (not "p < 0.001"), so it can be checked.
    for (const seed of [1, 2, 3])
      for (const [learningRate, plateau] of [
        [0.005, 0.815],
        [0.002, 0.8],
      ])
        ids.push(
          seedRun(studio.store(), {
            epochs: 4,
            seed: seed * 10 + Math.round(plateau * 100),
            plateau,
            config: { learningRate, seed },
            name: `lr ${learningRate} seed ${seed}`,
          }),
        );
    await studio.page.setViewportSize({ width: 960, height: 640 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const curves = () => studio.page.getByTestId('group-curves');

  it('groups the runs that differ only in their seed and draws each group’s mean with a band', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), ids.join(','));
    await expect.poll(() => page.getByTestId('compare-groups').getAttribute('data-groups')).toBe('2');
    expect((await page.getByTestId('group-name').allTextContents()).map((t) => t.trim())).toEqual([
      'A: Learning rate 0.005',
      'B: Learning rate 0.002',
    ]);
    expect(await page.getByTestId('group-n').allTextContents()).toEqual(['3', '3']);
    // Per group: a low edge, a high edge filled down to it, and the mean; 4 epochs each.
    await expect.poll(() => curves().getAttribute('data-bands')).toBe('2');
    expect(await curves().getAttribute('data-series')).toBe('6');
    expect(await curves().getAttribute('data-points')).toBe(String(6 * 4));
    // Mean ± std and n, in the head that names each group (its legend) and in the table.
    for (const text of await page.getByTestId('group-head-figure').allTextContents())
      expect(text.trim()).toMatch(/^\d+\.\d\d% ± \d+\.\d\d \(n=3\)$/);
    expect((await page.getByTestId('group-cell').first().textContent())?.trim()).toMatch(
      /^\d+\.\d\d% ± \d+\.\d\d \(n=3\)$/,
    );
    await page.getByTestId('compare-groups').scrollIntoViewIfNeeded();
    await studio.screenshot('groups-std');
  });

  it('says whether the difference is more than seed noise, with the p-value', async () => {
    const { page } = studio;
    // The best test accuracies as the database holds them (runs seeded lr 0.005, 0.002, ... in turn).
    const best = ids.map((id) => studio.store().getRun(id).bestTestAccuracy!);
    const a = [best[0], best[2], best[4]];
    const b = [best[1], best[3], best[5]];
    // The reference below was computed from exactly these values, so check they are the same.
    const A = [0.7782661001369172, 0.7789249403433689, 0.7808840075702221];
    const B = [0.7699227033569391, 0.7694982872498135, 0.7656870930609206];
    a.forEach((v, i) => expect(v).toBeCloseTo(A[i], 12));
    b.forEach((v, i) => expect(v).toBeCloseTo(B[i], 12));
    // SciPy 1.17.1: scipy.stats.ttest_ind(A, B, equal_var=False) gives
    //   statistic 7.046928009853889, pvalue 0.004631193264992025, df 3.2213289270541225
    expect(await page.getByTestId('group-verdict').textContent()).toBe(
      'A against B: the difference is larger than seed noise: group A has the higher best test accuracy',
    );
    expect((await page.getByTestId('group-ttest').textContent())?.replace(/\s+/g, ' ')).toContain(
      "(Welch's t-test on best test accuracy: t = 7.05, df = 3.2, p = 0.005)",
    );
    expect(await page.getByTestId('group-p').textContent()).toBe('p = 0.005');
  });

  it('switches the band to min–max, and the grouping to a field or none', async () => {
    const { page } = studio;
    const label = () => curves().getAttribute('aria-label');
    expect(await label()).toContain('± std band');
    await page.getByTestId('group-minmax').check();
    await expect.poll(label).toContain('min–max band');
    expect(await curves().getAttribute('data-bands')).toBe('2');
    await studio.screenshot('groups-minmax');

    await page.getByTestId('group-by').selectOption('seed');
    await expect.poll(() => page.getByTestId('compare-groups').getAttribute('data-groups')).toBe('3');
    await expect.poll(() => curves().getAttribute('data-bands')).toBe('3');
    // Three groups: no t-test.
    expect(await page.getByTestId('group-ttest').count()).toBe(0);

    await page.getByTestId('group-by').selectOption('none');
    await expect.poll(() => page.getByTestId('groups-none').count()).toBe(1);
    expect(await page.getByTestId('group-curves').count()).toBe(0);
    await page.getByTestId('group-by').selectOption('seeds');
    await expect.poll(() => page.getByTestId('compare-groups').getAttribute('data-groups')).toBe('2');
  });

  it('draws parallel coordinates, and brushing the accuracy axis keeps the better group', async () => {
    const { page } = studio;
    const view = page.getByTestId('parallel-coordinates');
    await view.scrollIntoViewIfNeeded();
    // The fields the runs vary in (learning rate, seed), then best test accuracy.
    await expect
      .poll(() => view.getByTestId('pc-axis').evaluateAll((els) => els.map((e) => e.getAttribute('data-key'))))
      .toEqual(['learningRate', 'seed', 'bestTestAccuracy']);
    // Titled by the fields' labels, as everywhere else in the window, not by their code names.
    expect(await view.getByTestId('pc-axis').first().textContent()).toContain('Learning rate');
    expect(await view.locator('[data-key="bestTestAccuracy"] .tick').count()).toBeGreaterThan(1);
    expect(await view.getByTestId('pc-line').count()).toBe(6);
    // Each line in its run's own colour (issue 25 item 6): six runs, six colours.
    const strokes = await view.getByTestId('pc-line').evaluateAll((els) => els.map((e) => getComputedStyle(e).stroke));
    expect(new Set(strokes).size).toBe(6);

    // Drag over the upper half of the accuracy axis: the lr 0.005 runs (the higher group) stay.
    const overlay = view.locator('[data-key="bestTestAccuracy"] .pc-brush .overlay');
    const box = (await overlay.boundingBox())!;
    const cx = box.x + box.width / 2;
    await page.mouse.move(cx, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(cx, box.y + box.height * 0.3, { steps: 4 });
    await page.mouse.move(cx, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.up();
    const better = [ids[0], ids[2], ids[4]].map(String);
    await expect.poll(() => view.getByTestId('pc-count').textContent()).toContain('3 of 6 runs');
    const inside = await view
      .locator('[data-testid="pc-run"][data-in="true"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    expect(inside.sort()).toEqual(better.sort());
    expect(await view.locator('[data-testid="pc-line"][data-in="false"]').count()).toBe(3);
    await studio.screenshot('parallel-brushed');

    // The filtered set can be compared on its own.
    await view.getByTestId('pc-compare').click();
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(3);
    expect(page.url()).toContain(`#/compare/${better.join(',')}`);
  });
});
