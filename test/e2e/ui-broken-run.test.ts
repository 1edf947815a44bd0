/**
 * A run that did not learn says so (issue 25, item 8): a completed run whose final test accuracy is
 * at chance (10.00% on 10 classes) carries a note on its page and a marker on its Runs row; a run
 * that learned carries neither. At 1280×800, where the issue was found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('a run at chance', () => {
  let studio: StudioPage;
  let broken = 0;
  let learned = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-broken-run' });
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    broken = seedRun(studio.store(), {
      epochs: 2,
      seed: 3,
      name: 'lr too high',
      flatAccuracy: 0.1,
      config: { learningRate: 0.5 },
    });
    learned = seedRun(studio.store(), { epochs: 2, seed: 4, name: 'learned' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const openRun = async (id: number) => {
    await studio.page.evaluate((runId) => (location.hash = `#/run/${runId}`), id);
    await expect.poll(() => studio.page.getByTestId('run-page').getAttribute('data-run-id')).toBe(String(id));
    await expect.poll(() => studio.page.getByTestId('run-metrics').count()).toBe(1);
  };

  it('says on its page that it did not learn, with its figure and what to try', async () => {
    const { page } = studio;
    const row = studio.store().getRun(broken);
    expect(row.status).toBe('completed');
    expect(row.finalTestAccuracy).toBe(0.1);
    await openRun(broken);
    const note = page.getByTestId('run-did-not-learn');
    await expect.poll(() => note.count()).toBe(1);
    const text = ((await note.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Did not learn');
    expect(text).toContain('10.00%');
    expect(text).toContain('lower learning rate (this run used 0.5)');
    expect(await note.isVisible()).toBe(true);
    // Where a user looks: above the figures, inside the window without scrolling.
    const box = await note.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(800);
    expect(await page.getByTestId('metric-final-accuracy').textContent()).toContain('10.00%');
    await studio.screenshot('did-not-learn');
  });

  it('says nothing of the kind for a run that learned', async () => {
    const row = studio.store().getRun(learned);
    expect(row.finalTestAccuracy).toBeGreaterThan(0.5);
    await openRun(learned);
    expect(await studio.page.getByTestId('run-did-not-learn').count()).toBe(0);
  });

  it('marks the broken run’s row in Runs, and only that row', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    const brokenRow = page.locator(`[data-testid="run-row"][data-run-id="${broken}"]`);
    const learnedRow = page.locator(`[data-testid="run-row"][data-run-id="${learned}"]`);
    await expect.poll(() => brokenRow.count()).toBe(1);
    expect(await brokenRow.getByTestId('run-final').textContent()).toBe('10.00%');
    expect(await brokenRow.getAttribute('data-did-not-learn')).toBe('true');
    expect(await brokenRow.getByTestId('run-chance-mark').count()).toBe(1);
    expect(await brokenRow.getByTestId('run-chance-mark').textContent()).toBe('did not learn');
    expect(await brokenRow.getByTestId('run-chance-mark').isVisible()).toBe(true);
    expect(await learnedRow.getByTestId('run-chance-mark').count()).toBe(0);
    await studio.screenshot('runs-did-not-learn');
  });
});
