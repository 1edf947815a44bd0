/**
 * Runs can be told apart (issue 25 item 5), at 1280×800: a run started from a preset with a change
 * is named by that change, and two runs with one name read apart in Compare's legend and chips by
 * the setting that differs. (The metrics CSV's configuration columns: store-queries.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/shared/hyperparams';
import { seedRun } from '../../../tools/fixtures/synthetic-runs';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('runs told apart', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-run-names' });
    await studio.page.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('names an unnamed run by its preset and what it changes', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('option-model.convActivation-relu').check();
    await page.getByTestId('input-epochs').fill('1');
    // The name field shows the name the run will get.
    await expect
      .poll(() => page.getByTestId('run-name').getAttribute('placeholder'))
      .toBe('quick · conv-activation=relu epochs=1');
    await page.getByTestId('start-run').click();
    const id = await openedRunId(page);
    const stored = studio.store().getRun(id);
    expect(stored.config.model.convActivation).toBe('relu');
    expect(stored.name).toBe('quick · conv-activation=relu epochs=1');
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe(stored.name);
    await page.getByTestId('run-stop').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 120_000 })
      .toMatch(/stopped|completed/);
  });

  it("shows what sets two runs of one name apart in Compare's legend and chips", async () => {
    const { page } = studio;
    const relu = { ...PRESETS.quick.model, convActivation: 'relu' as const };
    const a = seedRun(studio.store(), { epochs: 2, preset: 'quick', name: 'quick' });
    const b = seedRun(studio.store(), { epochs: 2, preset: 'quick', name: 'quick', config: { model: relu } });
    await page.evaluate((ids) => (location.hash = `#/compare/${ids}`), `${a},${b}`);
    const expected = [`#${a} quick · conv-activation=sigmoid`, `#${b} quick · conv-activation=relu`];
    await expect
      .poll(async () => (await page.getByTestId('compare-legend-item').allTextContents()).map((t) => t.trim()))
      .toEqual(expected);
    expect((await page.getByTestId('compare-run-chip').allTextContents()).map((t) => t.trim())).toEqual(expected);
    await studio.screenshot('compare-legend');
  });
});
