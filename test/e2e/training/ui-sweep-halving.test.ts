/**
 * Successive halving in the Sweep form, clicked through the built renderer: the field's epochs
 * appear in the preview, bad values show the error naming the field and block Start. Then a real
 * two-run sweep (500 images, 2 epochs, one trainer, halve at 1) whose second run cannot learn
 * (lr 1e-5): Runs' sweep group marks it pruned with the recorded reason, and so does its Run page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type StudioPage } from '../../support/studio-page';

describe('ui: successive halving in a sweep', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-sweep-halving' });
    await studio.page.setViewportSize({ width: 960, height: 720 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('New run → Sweep mode → halving field: preview text, and bad values refused by name', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('2');
    await page.getByTestId('input-trainSubset').fill('500');
    await page.getByTestId('input-validationFraction').fill('0');
    await page.getByTestId('mode-sweep').click();
    await page.getByTestId('sweep-add-field').selectOption('lr');
    await page.getByTestId('sweep-add').click();
    await page.getByTestId('sweep-vary-lr').getByTestId('sweep-values').fill('0.005, 0.00001');
    await page.getByTestId('sweep-parallel').fill('1');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('2 runs');
    expect(await page.getByTestId('sweep-halving-preview').count()).toBe(0); // empty = off

    const field = page.getByTestId('sweep-halving');
    await field.fill('2');
    await expect
      .poll(() => page.getByTestId('sweep-error').textContent())
      .toBe("Successive halving: epoch 2 is not before the sweep's last epoch (2); halve at epochs 1 to 1");
    expect(await page.getByTestId('start-sweep').isDisabled()).toBe(true);
    await field.fill('one');
    await expect
      .poll(() => page.getByTestId('sweep-error').textContent())
      .toBe('Successive halving: "one" is not an epoch number (whole numbers from 1)');
    await studio.screenshot('sweep-halving-error');

    await field.fill('1');
    await expect
      .poll(() => page.getByTestId('sweep-halving-preview').textContent())
      .toBe('stops the worse half at epoch 1');
    expect(await page.getByTestId('sweep-error').count()).toBe(0);
    await page.getByTestId('sweep-preview').scrollIntoViewIfNeeded();
    await studio.screenshot('sweep-halving-preview');
  });

  it('a started sweep prunes its worse run: Runs and the Run page show why', async () => {
    const { page } = studio;
    await page.getByTestId('start-sweep').click();
    await expect.poll(() => page.getByTestId('sweep-group').count(), { timeout: 15_000 }).toBe(1);
    const sweepId = Number(await page.getByTestId('sweep-group').getAttribute('data-sweep-id'));
    expect((await studio.call('sweeps:get', { id: sweepId })).definition.halving).toEqual({ epochs: [1] });
    await page.getByTestId('sweep-expand').click();
    await expect
      .poll(() => page.getByTestId('sweep-progress').textContent(), { timeout: 150_000, interval: 500 })
      .toBe('2/2');

    const pruned = page.getByTestId('sweep-run-pruned');
    await expect.poll(() => pruned.count()).toBe(1);
    expect(await pruned.textContent()).toBe('pruned by successive halving at epoch 1');
    const row = page.locator('[data-testid="sweep-run"]', { has: pruned });
    expect(await row.textContent()).toContain('lr=0.00001');
    expect(await row.textContent()).toContain('1/2 ep');
    expect(await page.getByTestId('sweep-pruned-count').textContent()).toMatch(/^\s·\s1 pruned$/);
    expect(await page.getByTestId('sweep-group').textContent()).toMatch(/finished\s+·\s+1 pruned/);
    await page.getByTestId('sweep-group').scrollIntoViewIfNeeded();
    await studio.screenshot('sweep-halving-runs');

    await row.getByRole('button').first().click();
    await expect
      .poll(() => page.getByTestId('run-pruned').textContent())
      .toContain('pruned by successive halving at epoch 1');
    expect(await page.getByTestId('run-page').getAttribute('data-status')).toBe('stopped');
    await studio.screenshot('sweep-halving-run-page');
  });
});
