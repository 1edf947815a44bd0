/**
 * Issue 27, "which setting mattered", in real Chromium at 1280×800: Compare of a synthetic sweep
 * (learning rate drives best test accuracy, batch size does not, two seeds a combination) ranks
 * learning rate first with "higher is better" and labels batch size "no clear effect"; clicking a
 * setting plots accuracy against it (learning rate, spread 33×, on a log axis), seed groups as error bars.
 * With too few runs it says so instead of ranking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Compare: which setting mattered', () => {
  let studio: StudioPage;
  const ids: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-importance' });
    // Accuracy plateaus rise with log10(lr); batch size and the seed add only small noise.
    const noise = [0.004, -0.003, 0.001, -0.002, 0.003, -0.004];
    for (const [i, learningRate] of [0.0003, 0.002, 0.01].entries())
      for (const [j, batchSize] of [32, 128].entries())
        for (const seed of [1, 2])
          ids.push(
            seedRun(studio.store(), {
              epochs: 2,
              preset: 'quick',
              seed: 100 + ids.length,
              plateau: 0.7 + 0.05 * i + noise[(2 * j + seed + i) % 6],
              config: { learningRate, batchSize, seed },
              name: `lr ${learningRate} batch ${batchSize} seed ${seed}`,
            }),
          );
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('ranks the driver first, labels the noise, and plots a setting with seed groups', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), ids.join(','));
    const panel = page.getByTestId('importance-panel');
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('ranked');
    const settings = panel.getByTestId('importance-setting');
    await expect.poll(() => settings.count()).toBe(2);
    expect(await settings.nth(0).getAttribute('data-flag')).toBe('learningRate');
    expect(await settings.nth(0).getByTestId('importance-verdict').textContent()).toContain('higher is better');
    expect(await settings.nth(1).getAttribute('data-flag')).toBe('batchSize');
    expect(await settings.nth(1).getByTestId('importance-verdict').textContent()).toContain('no clear effect');
    const scatter = panel.getByTestId('importance-scatter');
    expect(await scatter.getAttribute('data-field')).toBe('learningRate');
    expect(await scatter.getAttribute('data-log')).toBe('true');
    await panel.scrollIntoViewIfNeeded();
    await studio.screenshot('importance-lr');
    await settings.nth(1).click();
    await expect.poll(() => scatter.getAttribute('data-field')).toBe('batchSize');
    await studio.screenshot('importance-batch');
  });

  it('says "too few runs" instead of ranking four runs', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), ids.slice(0, 4).join(','));
    const panel = page.getByTestId('importance-panel');
    await expect.poll(() => panel.getAttribute('data-kind')).toBe('too-few');
    expect(await panel.getByTestId('importance-note').textContent()).toContain('Too few runs (n = 4)');
  });
});
