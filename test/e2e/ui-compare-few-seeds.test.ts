/**
 * Issue 25 item 7 at 1280×800: two groups of two seeds each whose difference the t-test cannot
 * confirm are not called "within seed noise" (which reads as "no difference"): the verdict asks
 * for more seeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { welchTTest } from '../../src/shared/stats';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Compare groups with two seeds', () => {
  let studio: StudioPage;
  const ids: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-compare-few-seeds' });
    // Group A's two seeds far apart, group B's close: a large mean difference, a large spread.
    for (const [learningRate, plateaus] of [
      [0.005, [0.85, 0.62]],
      [0.002, [0.6, 0.61]],
    ] as const)
      for (const [k, plateau] of plateaus.entries())
        ids.push(
          seedRun(studio.store(), {
            epochs: 2,
            preset: 'quick',
            seed: 40 + ids.length,
            plateau,
            config: { learningRate, seed: k + 1 },
            name: `lr ${learningRate} seed ${k + 1}`,
          }),
        );
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('says "too few seeds to tell (n = 2): add seeds"', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), ids.join(','));
    await expect.poll(() => page.getByTestId('compare-groups').getAttribute('data-groups')).toBe('2');
    const best = (id: number) => studio.store().getRun(id).bestTestAccuracy!;
    const test = welchTTest(ids.slice(0, 2).map(best), ids.slice(2).map(best))!;
    expect(test.p).toBeGreaterThan(0.05);
    await expect
      .poll(() => page.getByTestId('group-verdict').textContent())
      .toBe('A against B: too few seeds to tell (n = 2): add seeds');
    await page.getByTestId('compare-groups').scrollIntoViewIfNeeded();
    await studio.screenshot('verdict');
  });
});
