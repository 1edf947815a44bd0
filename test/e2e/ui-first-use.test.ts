/**
 * What a first-time user meets, checked at the window size where each broke (issue 25):
 * looking at the Model page does not change the next run; fields are named as the CLI names them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('first use', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-first-use' });
    await studio.page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const pressed = (name: string) => studio.page.getByTestId(`preset-${name}`).getAttribute('aria-pressed');
  const checked = (path: string, value: string) => studio.page.getByTestId(`option-${path}-${value}`).isChecked();

  it('looking at the Model page leaves the next run as New run set it', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('nav-model').click();
    // Quick and the seed network share one model: the page names the preset New run is on.
    await expect.poll(() => pressed('quick')).toBe('true');
    expect(await pressed('seed')).toBe('false');
    expect(await page.getByTestId('model-handover').count()).toBe(0);
    // The seed paper's network is "Classic" where people read it: "seed" is the random seed's word.
    expect(await page.locator('[data-testid="preset-seed"] .name').textContent()).toBe('Classic');

    // Clicking Modern "to look" shows Modern's network, and says it is not the next run's.
    await page.getByTestId('preset-modern').click();
    await expect.poll(() => pressed('modern')).toBe('true');
    expect(await checked('model.denseActivation', PRESETS.modern.model.denseActivation)).toBe(true);
    await expect.poll(() => page.getByTestId('model-lede').textContent()).toContain('Not the network of your next run');
    await studio.screenshot('model-looking');

    // New run is still exactly Quick.
    await page.getByTestId('nav-new').click();
    await expect.poll(() => pressed('quick')).toBe('true');
    expect(await page.getByTestId('input-epochs').inputValue()).toBe(String(PRESETS.quick.epochs));
    expect(await checked('model.convActivation', PRESETS.quick.model.convActivation)).toBe(true);

    // Only "Use for the next run" hands the network over, and keeps Quick's training.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('preset-modern').click();
    await page.getByTestId('model-use').click();
    await expect.poll(() => page.url()).toContain('#/new');
    expect(await checked('model.convActivation', PRESETS.modern.model.convActivation)).toBe(true);
    expect(await page.getByTestId('input-epochs').inputValue()).toBe(String(PRESETS.quick.epochs));
  });

  it("says a stopped run's final accuracy was measured at the stop, and lays the figures out in full rows", async () => {
    const { page } = studio;
    const id = seedRun(studio.store(), { epochs: 2, preset: 'quick', end: 'stopped' });
    await page.evaluate((runId) => (location.hash = `#/run/${runId}`), id);
    await expect
      .poll(() => page.locator('[data-testid="metric-final-accuracy"] .label').textContent())
      .toBe('Test accuracy at the stop (mid-epoch)');
    // Seven figures at 1280 px: one row, none left alone on a second.
    const rows = await page
      .getByTestId('run-metrics')
      .evaluate((el) => new Set([...el.children].map((c) => Math.round(c.getBoundingClientRect().top))).size);
    expect(rows).toBe(1);
    await studio.screenshot('stopped-run');
  });

  it('names each field as the CLI and sweeps do, not by its code name', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    expect(await page.locator('[data-testid="field-model.convActivation"] .key').textContent()).toBe(
      '--conv-activation',
    );
    expect(await page.locator('[data-testid="field-learningRate"] .key').textContent()).toBe('--lr');
  });
});
