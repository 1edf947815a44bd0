/**
 * The Sweep form and sweep rows at 1280×800, clicked through the built renderer: no red error
 * before the form is touched (Start shows it); a swept field of the base form is disabled and says
 * its values instead of its base value; a sweep's row opens Compare with that sweep's runs; the
 * Runs page's two other Compare buttons say which runs they compare. The sweep is recorded through
 * the store as the trainer would record it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/shared/hyperparams';
import { parseSweepDefinition } from '../../../src/shared/sweep';
import { seedRun } from '../../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../../support/studio-page';

describe('ui: the sweep form and sweep rows', () => {
  let studio: StudioPage;
  let sweepId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-sweep-form' });
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    const store = studio.store();
    seedRun(store, { epochs: 3, plateau: 0.8, seed: 1 });
    seedRun(store, { epochs: 3, plateau: 0.82, seed: 2 });
    const name = 'lr sweep';
    const definition = parseSweepDefinition({
      name,
      base: PRESETS.quick,
      preset: 'quick',
      vary: [{ flag: 'lr', values: [0.001, 0.01, 0.1] }],
    });
    sweepId = store.createSweep({ name, definition, runCount: 3, parallel: 1 });
    for (const [i, lr] of [0.001, 0.01, 0.1].entries()) {
      const id = seedRun(store, {
        epochs: 3,
        plateau: 0.78 + i * 0.03,
        seed: 10 + i,
        name: `${name} · lr=${lr}`,
        config: { learningRate: lr },
      });
      store.linkRunToSweep({ sweepId, runId: id });
    }
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows no error before the sweep form is touched; Start shows it', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('mode-sweep').click();
    await page.getByTestId('start-sweep').waitFor();
    expect(await page.getByTestId('sweep-error').count()).toBe(0);
    expect(await page.getByTestId('sweep-hint').textContent()).toBe('Pick a field to vary, then “+ Vary”.');
    expect(await page.getByTestId('start-sweep').isDisabled()).toBe(false);
    await studio.screenshot('untouched');
    await page.getByTestId('start-sweep').click();
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toBe('Add at least one field to vary.');
    expect(await page.getByTestId('sweep-hint').count()).toBe(0);
    expect(studio.invoked).not.toContain('sweeps:start');
  });

  it('shows a swept field of the base form as swept, disabled, and its base value again when not', async () => {
    const { page } = studio;
    const lrInput = page.getByTestId('input-learningRate');
    expect(await lrInput.inputValue()).toBe(String(PRESETS.quick.learningRate));
    expect(await lrInput.isDisabled()).toBe(false);

    await page.getByTestId('sweep-add-field').selectOption('lr');
    await page.getByTestId('sweep-add').click();
    await page.getByTestId('sweep-vary-lr').getByTestId('sweep-values').fill('0.001,0.01 , 0.1');
    await expect.poll(() => page.getByTestId('swept-learningRate').textContent()).toBe('swept: 0.001, 0.01, 0.1');
    expect(await lrInput.isDisabled()).toBe(true);
    expect(await lrInput.inputValue()).toBe('swept');

    await page.getByTestId('sweep-add-field').selectOption('conv-activation');
    await page.getByTestId('sweep-add').click();
    await page.getByTestId('sweep-vary-conv-activation').getByTestId('sweep-values').fill('tanh, relu');
    await expect.poll(() => page.getByTestId('swept-model.convActivation').textContent()).toBe('swept: tanh, relu');
    const base = page.getByTestId(`option-model.convActivation-${PRESETS.quick.model.convActivation}`);
    expect(await base.isDisabled()).toBe(true);
    expect(await base.isChecked()).toBe(false);
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('6 runs');
    await page.getByTestId('field-learningRate').scrollIntoViewIfNeeded();
    await studio.screenshot('swept-fields');

    // Removing a row gives the field back, with its base value.
    await page.getByTestId('sweep-vary-lr').getByTestId('sweep-remove').click();
    await expect.poll(() => lrInput.isDisabled()).toBe(false);
    expect(await lrInput.inputValue()).toBe(String(PRESETS.quick.learningRate));
    expect(await page.getByTestId('swept-learningRate').count()).toBe(0);
    // One run mode has nothing swept.
    await page.getByTestId('mode-run').click();
    await expect.poll(() => page.locator('[data-testid^="swept-"]').count()).toBe(0);
    expect(await base.isDisabled()).toBe(false);
    expect(await base.isChecked()).toBe(true);
  });

  it("opens Compare with a sweep's runs from its row", async () => {
    const { page } = studio;
    const sweep = await studio.call('sweeps:get', { id: sweepId });
    const ids = sweep.runs.map((r) => r.id).sort((a, b) => a - b);
    expect(ids).toHaveLength(3);
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="sweep-group"][data-sweep-id="${sweepId}"]`);
    const button = row.getByTestId('sweep-compare');
    await expect.poll(() => button.textContent()).toBe(`Compare this sweep (${ids.length})`);
    await studio.screenshot('sweep-row');
    await button.click();
    await expect.poll(() => page.url()).toContain(`#/compare/${ids.join(',')}`);
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(ids.length);
    const chips = await page.getByTestId('compare-run-chip').allTextContents();
    for (const r of sweep.runs) expect(chips.some((c) => c.includes(r.name))).toBe(true);
  });

  it("says which runs each of Runs' Compare buttons compares", async () => {
    const { page } = studio;
    const total = studio.store().listRuns({}).total;
    expect(total).toBe(5);
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('runs-compare-visible').textContent()).toBe(`Compare the ${total} listed`);
    const rows = page.getByTestId('run-row');
    await rows.nth(0).getByTestId('run-select').check();
    await rows.nth(1).getByTestId('run-select').check();
    await expect
      .poll(() =>
        page
          .getByTestId('compare-open')
          .textContent()
          .then((t) => t?.trim()),
      )
      .toBe('Compare the 2 selected →');
    await studio.screenshot('compare-buttons');
    const picked = await Promise.all([0, 1].map(async (i) => Number(await rows.nth(i).getAttribute('data-run-id'))));
    await page.getByTestId('compare-open').click();
    await expect.poll(() => page.url()).toContain(`#/compare/${picked.join(',')}`);
  });
});
