/**
 * Journey 2: start a run, let it finish at least one epoch, press Stop on its page: it ends
 * `stopped` after the current batch and keeps the epochs it completed. Real trainer process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, type StudioPage } from '../support/studio-page';

describe('journey: stop a training run', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-stop' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('stops a 12-epoch quick run after its first epoch and keeps what it learned', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('12');
    await page.getByTestId('run-name').fill('long quick, stopped');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
    await page.getByTestId('start-run').click();
    // Start opens the new run's page.
    const runId = await openedRunId(page);

    await expect
      .poll(() => page.getByTestId('epoch-row').count(), { timeout: 180_000, interval: 250 })
      .toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('run-live').textContent()).toContain('of 12');
    await studio.screenshot('before-stop');
    await page.getByTestId('run-stop').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 60_000, interval: 250 })
      .toBe('stopped');

    const run = studio.store().getRun(runId);
    expect(run.status).toBe('stopped');
    expect(run.epochsDone).toBeGreaterThanOrEqual(1);
    expect(run.epochsDone).toBeLessThan(12);
    expect(run.epochMetrics.length).toBe(run.epochsDone);
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBe(run.epochsDone);
    await expect.poll(() => page.getByTestId('metric-epochs').textContent()).toContain(`${run.epochsDone} / 12`);
    expect(await page.getByTestId('run-stop').count()).toBe(0);
    expect(await page.getByTestId('status-badge').first().textContent()).toContain('Stopped');
    await studio.screenshot('stopped');

    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('stopped');
    expect(await row.getByTestId('run-epochs').textContent()).toContain(String(run.epochsDone));
  });
});
