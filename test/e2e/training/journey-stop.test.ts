/**
 * Journey 2: start a run, let it finish at least one epoch, press Stop on its page: it ends
 * `stopped` after the current batch and keeps the epochs it completed, and the weights reached at
 * the stop are evaluated. A run that has trained over a minute asks before stopping. The curves
 * fit the data so far (at 960×640). Real trainer process.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('journey: stop a training run', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-stop' });
    await studio.page.setViewportSize({ width: 960, height: 640 });
  });

  const xRange = async (testid: string) => {
    const chart = studio.page.getByTestId(testid);
    return [Number(await chart.getAttribute('data-x-min')), Number(await chart.getAttribute('data-x-max'))];
  };
  afterAll(async () => {
    await studio?.close();
  });

  it('stops a 12-epoch quick run after its first epoch and keeps what it learned', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('12');
    // 2,000 images: a first epoch sooner, and twelve still take far longer than the stop below.
    await page.getByTestId('input-trainSubset').fill('2000');
    await page.getByTestId('run-name').fill('long quick, stopped');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
    await page.getByTestId('start-run').click();
    // Start opens the new run's page.
    const runId = await openedRunId(page);

    await expect
      .poll(() => page.getByTestId('epoch-row').count(), { timeout: 180_000, interval: 250 })
      .toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('run-live').textContent()).toContain('of 12');
    // The batch curve's axis fits the batches so far, not the 12 planned epochs.
    const [, batchMax] = await xRange('chart-batch-loss');
    expect(batchMax).toBeLessThanOrEqual((await page.getByTestId('epoch-row').count()) + 1);
    await studio.screenshot('before-stop');
    // Under a minute of training: Stop acts at once, without asking.
    await page.getByTestId('run-stop').click();
    expect(await page.getByTestId('stop-dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
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
    // The epoch charts fit the epochs recorded; a lone first epoch sits mid-axis, drawn whole.
    expect(await xRange('chart-accuracy')).toEqual(run.epochsDone === 1 ? [0.5, 1.5] : [1, run.epochsDone]);
    const [, stoppedBatchMax] = await xRange('chart-batch-loss');
    expect(stoppedBatchMax).toBeLessThanOrEqual(run.epochsDone + 1);
    await page.getByTestId('run-charts').scrollIntoViewIfNeeded();
    await studio.screenshot('stopped-charts');
    // The weights reached at the stop were evaluated: a final test accuracy and a matrix.
    expect(run.finalTestAccuracy).not.toBeNull();
    expect(run.evaluations.map((e) => e.role)).toContain('final');
    await studio.screenshot('stopped');

    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('stopped');
    expect(await row.getByTestId('run-epochs').textContent()).toContain(String(run.epochsDone));
  });

  it('asks before stopping a run that has trained over a minute, and evaluates one stopped in its first epoch', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    // A whole training set: the first epoch lasts long enough to stop inside it.
    await page.getByTestId('input-trainSubset').fill('0');
    await page.getByTestId('run-name').fill('stopped in epoch 1');
    await expect.poll(() => page.getByTestId('start-run').isDisabled()).toBe(false);
    await page.getByTestId('start-run').click();
    const runId = await openedRunId(page);
    await expect
      .poll(() => page.getByTestId('chart-batch-loss').getAttribute('data-points'), { timeout: 120_000 })
      .not.toBe('0');
    // A minute of training, without waiting one: the run started two minutes ago as far as its
    // row says, and the page reads the row again when reopened.
    const { dbPath } = await studio.call('app:info');
    const db = new Database(dbPath);
    db.prepare('UPDATE runs SET started_at = started_at - 120000 WHERE id = ?').run(runId);
    db.close();
    await page.getByTestId('nav-runs').click();
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"] [data-testid="run-link"]`).click();
    await page.getByTestId('run-stop').waitFor();

    const dialog = page.getByTestId('stop-dialog');
    await page.getByTestId('run-stop').click();
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await dialog.textContent()).toContain('It has trained for 2 minutes');
    await studio.screenshot('stop-confirm');
    await page.getByTestId('stop-dialog-cancel').click();
    expect(await page.getByTestId('run-page').getAttribute('data-status')).toBe('running');
    await page.getByTestId('run-stop').click();
    await page.getByTestId('stop-dialog-confirm').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 60_000, interval: 250 })
      .toBe('stopped');

    const run = studio.store().getRun(runId);
    expect(run.epochsDone).toBe(0);
    expect(run.finalTestAccuracy).toBeGreaterThan(0);
    expect(run.evaluations).toMatchObject([{ role: 'final', epoch: 1 }]);
    await expect
      .poll(() => page.getByTestId('confusion-caption').textContent())
      .toContain('At the stop, during epoch 1');
    await expect.poll(() => page.getByTestId('cm-cell').count()).toBe(100);
  });
});
