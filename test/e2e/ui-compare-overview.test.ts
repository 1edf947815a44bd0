/**
 * Compare with nothing picked shows the recent runs' curves at once, each with a checkbox to show
 * or hide it; Runs opens Compare for the runs on screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Compare overview', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-compare-overview' });
    for (let i = 0; i < 3; i++)
      seedRun(studio.store(), { epochs: 3, seed: i + 1, plateau: 0.8 + i / 50, name: `recent ${i + 1}` });
    await studio.page.setViewportSize({ width: 960, height: 640 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const series = () => studio.page.getByTestId('compare-curves').getAttribute('data-series').then(Number);

  it('overlays the recent runs with a checkbox each, and opens the shown ones in full', async () => {
    const { page } = studio;
    await page.getByTestId('nav-compare').click();
    await expect.poll(() => page.getByTestId('compare-overview-run').count()).toBe(3);
    await expect.poll(series).toBe(3);
    await studio.screenshot('overview');
    await page.locator('[data-testid="compare-overview-run"][data-run-id="2"] input').uncheck();
    await expect.poll(series).toBe(2);
    await page.getByTestId('compare-overview-open').click();
    await expect.poll(() => page.url()).toContain('#/compare/3,1');
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(2);
  });

  it('opens Compare from Runs for the runs on screen', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-compare-visible').click();
    await expect.poll(() => page.url()).toContain('#/compare/3,2,1');
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(3);
  });

  it('counts neither unused fields nor the preset as differences', async () => {
    const { page } = studio;
    const cosine = { lrSchedule: 'cosine' as const };
    const a = seedRun(studio.store(), { epochs: 2, preset: 'quick', config: { ...cosine, lrStepEpochs: 3 } });
    const b = seedRun(studio.store(), {
      epochs: 2,
      preset: 'modern',
      config: { ...PRESETS.quick, ...cosine, lrStepEpochs: 9 },
    });
    await page.evaluate((ids) => (location.hash = `#/compare/${ids}`), `${a},${b}`);
    // The three runs compared before share one configuration too: wait for the new pair to load.
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(2);
    await expect
      .poll(() => page.getByTestId('hyperparam-diff-count').textContent())
      .toContain('share one configuration');
    const step = page.locator('[data-testid="hp-row"][data-key="lrStepEpochs"]');
    expect(await step.getAttribute('data-differs')).toBe('false');
    expect(await step.textContent()).toContain('(unused)');
    // The preset each started from is shown apart, above the settings.
    expect(await page.locator('[data-testid="hp-origin-row"][data-key="preset"]').textContent()).toMatch(
      /quick preset.*modern preset/,
    );
    await page.getByTestId('hyperparam-diff').scrollIntoViewIfNeeded();
    await studio.screenshot('settings-diff');
  });
});
