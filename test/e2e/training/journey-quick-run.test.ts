/**
 * Journey 1: start a `quick` run from New run, watch its curves grow from live epoch events, see it
 * complete, and find it in Runs with its accuracy. Real Chromium, real handlers, real SQLite and a
 * real trainer process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('journey: a quick run from start to finish', () => {
  let studio: StudioPage;
  let runId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-quick-run' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const points = (testid: string) => studio.page.getByTestId(testid).getAttribute('data-points').then(Number);

  it('starts the quick preset from New run', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    // A first run opens on quick by itself.
    await expect.poll(() => page.getByTestId('preset-quick').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('preset-quick').click();
    await expect.poll(() => page.getByTestId('preset-quick').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('start-run').click();
    // Start opens the new run's own page, to watch it train.
    runId = await openedRunId(page);
    expect(runId).toBeGreaterThan(0);
    await studio.screenshot('run-started');
    // The new run is listed at once in Runs (queued or already running).
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('run-row').first().getAttribute('data-run-id')).toBe(String(runId));
    expect(['queued', 'running']).toContain(await page.getByTestId('run-row').first().getAttribute('data-status'));
    await studio.screenshot('runs-live');
  });

  it('shows live progress and grows the curves as epoch events arrive', async () => {
    const { page } = studio;
    await page.getByTestId('run-link').first().click();
    await expect.poll(() => page.getByTestId('run-page').getAttribute('data-run-id')).toBe(String(runId));
    // Batch events move the live panel before the first epoch ends.
    await expect.poll(() => page.getByTestId('run-live-epoch').count(), { timeout: 120_000, interval: 250 }).toBe(1);
    await expect.poll(() => points('chart-batch-loss'), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('run-backend').textContent()).toMatch(/wasm|tensorflow|cpu/);
    const before = await points('chart-accuracy');
    expect(before).toBe(0);
    await studio.screenshot('training');
    // The first epoch event adds a point per split to the accuracy chart and a row to the table.
    await expect.poll(() => points('chart-accuracy'), { timeout: 180_000, interval: 250 }).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBeGreaterThanOrEqual(1);
    await studio.screenshot('first-epoch');
  });

  it('completes, with the final metrics and confusion matrix on its page', async () => {
    const { page } = studio;
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 240_000, interval: 500 })
      .toBe('completed');
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBe(2);
    const run = studio.store().getRun(runId);
    expect(run.status).toBe('completed');
    expect(run.finalTestAccuracy).toBeGreaterThan(0.5);
    const shown = `${(run.finalTestAccuracy! * 100).toFixed(2)}%`;
    await expect.poll(() => page.getByTestId('metric-final-accuracy').textContent()).toContain(shown);
    await expect.poll(() => page.getByTestId('cm-cell').count()).toBe(100);
    expect(await page.getByTestId('run-live').count()).toBe(0);
    await studio.screenshot('completed');
    await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
    await studio.screenshot('completed-confusion');
  });

  it('is listed in Runs with its accuracy', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('completed');
    const run = studio.store().getRun(runId);
    expect(await row.getByTestId('run-final').textContent()).toBe(`${(run.finalTestAccuracy! * 100).toFixed(2)}%`);
    expect(await row.getByTestId('run-best').textContent()).toContain(`${(run.bestTestAccuracy! * 100).toFixed(2)}%`);
    expect(await row.getByTestId('run-epochs').textContent()).toContain('2');
    await studio.screenshot('runs-done');
  });

  it('estimates the next run from the speed this one measured', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    const text = (await page.getByTestId('run-estimate').textContent())!;
    const m = /about (?:(\d+)m )?(\d+)s/.exec(text);
    expect(m, text).not.toBeNull();
    const estimate = Number(m![1] ?? 0) * 60 + Number(m![2]);
    // The same configuration again: about as long as its epochs took (start-up excluded).
    const run = studio.store().getRun(runId);
    const epochSeconds = run.epochMetrics.reduce((sum, e) => sum + (e.seconds ?? 0), 0);
    expect(estimate).toBeGreaterThanOrEqual(Math.floor(epochSeconds * 0.7));
    expect(estimate).toBeLessThanOrEqual(Math.ceil(epochSeconds * 1.3));
    expect(await page.getByTestId('run-estimate-basis').textContent()).toContain(run.name);
    // Twenty seed epochs on 54,000 images take far longer: the estimate scales with the plan.
    await page.getByTestId('preset-seed').click();
    await expect.poll(() => page.getByTestId('run-estimate').textContent()).not.toBe(text);
    await page.setViewportSize({ width: 960, height: 640 });
    await page.getByTestId('run-plan').scrollIntoViewIfNeeded();
    await studio.screenshot('newrun-estimate');
  });
});
