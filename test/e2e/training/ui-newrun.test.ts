import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_LABELS } from '../../../src/shared/run-name';
import { PRESETS } from '../../../src/shared/hyperparams';
import { openStudio, type StudioPage } from '../../support/studio-page';

describe('New run place', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-newrun' });
    await studio.page.getByTestId('nav-new').click();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const value = (path: string) => studio.page.getByTestId(`input-${path}`).inputValue();

  it('opens a first run (empty database) on the quick preset, with no estimate before a run is timed', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('preset-quick').getAttribute('aria-pressed')).toBe('true');
    expect(await value('epochs')).toBe(String(PRESETS.quick.epochs));
    expect(await page.getByTestId('run-estimate').textContent()).toContain('known after a first run');
  });

  it('has the seed preset valid, with its parameter summary', async () => {
    const { page } = studio;
    await page.getByTestId('preset-seed').click();
    await expect.poll(() => value('learningRate')).toBe(String(PRESETS.seed.learningRate));
    expect(await page.getByTestId('start-run').isDisabled()).toBe(false);
    expect(await page.getByTestId('param-count').textContent()).toBe('61,706');
    expect(await page.getByTestId('param-summary').textContent()).toContain(
      'Conv2d-1            [-1, 6, 28, 28]             156',
    );
    // Ranges shown under the inputs come from the schema.
    expect(await page.getByTestId('field-learningRate').textContent()).toContain('Allowed: > 0 and ≤ 10');
    expect(await page.getByTestId('field-batchSize').textContent()).toContain('an integer from 1 to 4096');
  });

  it('names the range of an invalid learning rate inline and disables Start until it is fixed', async () => {
    const { page } = studio;
    const input = page.getByTestId('input-learningRate');
    for (const bad of ['abc', '', '-1', '0', '11']) {
      await input.fill(bad);
      // A number out of range, or no number at all: the schema's words, naming the range either way.
      await expect
        .poll(() => page.getByTestId('error-learningRate').textContent())
        .toMatch(/^Learning rate must be (a number )?> 0 and ≤ 10$/);
      expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
    }
    expect(await page.getByTestId('form-problems').textContent()).toContain('Learning rate must be > 0 and ≤ 10');
    await studio.screenshot('newrun-invalid');

    await input.fill('0.01');
    await expect.poll(() => page.getByTestId('error-learningRate').count()).toBe(0);
    expect(await page.getByTestId('start-run').isDisabled()).toBe(false);
    expect(await page.getByTestId('form-problems').count()).toBe(0);
  });

  it('shows integer messages for other fields', async () => {
    const { page } = studio;
    await page.getByTestId('input-epochs').fill('2.5');
    await expect
      .poll(() => page.getByTestId('error-epochs').textContent())
      .toBe('Epochs must be an integer from 1 to 1000');
    await page.getByTestId('input-batchSize').fill('5000');
    await expect
      .poll(() => page.getByTestId('error-batchSize').textContent())
      .toBe('Batch size must be an integer from 1 to 4096');
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
    // ↑ steps an integer and clamps to the schema's bound.
    await page.getByTestId('input-batchSize').press('ArrowUp');
    expect(await value('batchSize')).toBe('4096');
    await page.getByTestId('input-epochs').fill('3');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
  });

  it('fills the form from each preset', async () => {
    const { page } = studio;
    for (const name of ['modern', 'quick', 'seed'] as const) {
      const preset = PRESETS[name];
      await page.getByTestId(`preset-${name}`).click();
      await expect.poll(() => value('learningRate')).toBe(String(preset.learningRate));
      expect(await value('epochs')).toBe(String(preset.epochs));
      expect(await value('batchSize')).toBe(String(preset.batchSize));
      expect(await value('trainSubset')).toBe(String(preset.trainSubset));
      expect(await page.getByTestId(`option-optimizer-${preset.optimizer}`).isChecked()).toBe(true);
      expect(await page.getByTestId(`option-model.convActivation-${preset.model.convActivation}`).isChecked()).toBe(
        true,
      );
      expect(await page.getByTestId(`option-model.pooling-${preset.model.pooling}`).isChecked()).toBe(true);
      expect(await page.getByTestId(`preset-${name}`).getAttribute('aria-pressed')).toBe('true');
      // The preset stored as seed reads "classic" (issue 25: "seed" is the random seed's word).
      expect(await page.getByTestId('based-on').textContent()).toContain(`the ${PRESET_LABELS[name]} preset`);
      if (name === 'modern') await studio.screenshot('newrun-modern');
    }
  });

  it('updates the parameter summary as model options change', async () => {
    const { page } = studio;
    await page.getByTestId('option-model.inputSize-32').check();
    await expect.poll(() => page.getByTestId('param-summary').textContent()).toContain('ZeroPad2d-1');
    expect(await page.getByTestId('param-count').textContent()).toBe('61,706');
    await page.getByTestId('option-model.inputSize-28').check();
    await expect.poll(() => page.getByTestId('param-summary').textContent()).not.toContain('ZeroPad2d');
  });

  it('dims fields the current optimizer and schedule ignore', async () => {
    const { page } = studio;
    await page.getByTestId('preset-seed').click();
    expect(await page.getByTestId('field-momentum').getAttribute('class')).toContain('unused');
    await page.getByTestId('option-optimizer-momentum').check();
    await expect.poll(() => page.getByTestId('field-momentum').getAttribute('class')).not.toContain('unused');
    expect(await page.getByTestId('field-lrGamma').getAttribute('class')).toContain('unused');
    await page.getByTestId('option-lrSchedule-step').check();
    await expect.poll(() => page.getByTestId('field-lrGamma').getAttribute('class')).not.toContain('unused');
    await page.getByTestId('preset-seed').click();
  });

  it('refuses a bad run name inline', async () => {
    const { page } = studio;
    await page.getByTestId('run-name').fill('x'.repeat(201));
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-name-error').textContent()).toBe('Name must be at most 200 characters');
    await page.getByTestId('run-name').fill('');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
  });

  it('starts a run with the configured values, name and tags, then opens its page', async () => {
    const { page } = studio;
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('1');
    await page.getByTestId('input-trainSubset').fill('256');
    await page.getByTestId('run-name').fill('ui start test');
    await page.getByTestId('run-tags').fill('ui, smoke');
    await page.getByTestId('start-run').click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/#\/run\/\d+$/);
    const { rows } = await studio.call('runs:list', {});
    const run = rows.find((r) => r.name === 'ui start test');
    expect(run).toBeDefined();
    // The page opened is the new run's own.
    expect(page.url()).toMatch(new RegExp(`#/run/${run!.id}$`));
    await expect.poll(() => page.getByTestId('run-page').getAttribute('data-run-id')).toBe(String(run!.id));
    expect(await page.getByTestId('nav-runs').getAttribute('aria-current')).toBe('page');
    await studio.screenshot('started-run-page');
    expect(run!.tags).toEqual(['ui', 'smoke']);
    expect(run!.preset).toBe('quick');
    const detail = await studio.call('runs:get', { id: run!.id });
    expect(detail.config).toEqual({ ...PRESETS.quick, epochs: 1, trainSubset: 256 });
    // Do not leave a trainer behind: stop it and wait for a final status.
    await studio.call('runs:stop', { id: run!.id }).catch(() => undefined);
    await expect
      .poll(async () => (await studio.call('runs:get', { id: run!.id })).status, { timeout: 120_000, interval: 500 })
      .not.toMatch(/^(queued|running)$/);
  });
});
