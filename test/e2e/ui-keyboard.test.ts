/**
 * The smallest window (960×640) and the keyboard alone: a skip link first, arrow keys in the
 * navigation, Runs without a horizontal scroll, matrix labels that do not collide, and Enter
 * in the New-run form starting the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openedRunId, openStudio, type StudioPage } from '../support/studio-page';

describe('small window and keyboard', () => {
  let studio: StudioPage;
  let seeded = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-keyboard' });
    for (let i = 0; i < 3; i++)
      seeded = seedRun(studio.store(), { epochs: 2, seed: i + 1, name: `small window ${i + 1}` });
    await studio.page.setViewportSize({ width: 960, height: 640 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const focused = () => studio.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

  it('offers a skip link as the first Tab stop, and arrow keys in the navigation', async () => {
    const { page } = studio;
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-link');
    expect(await page.getByTestId('skip-link').isVisible()).toBe(true);
    await studio.screenshot('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');

    await page.getByTestId('nav-runs').focus();
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('nav-new');
    await page.keyboard.press('End');
    expect(await focused()).toBe('nav-dataset');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('nav-runs');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('#/dataset');
  });

  it('shows Runs without a horizontal scroll', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3);
    const overflow = await page.getByTestId('runs-table').evaluate((table) => {
      const box = table.parentElement!;
      return box.scrollWidth - box.clientWidth;
    });
    await studio.screenshot('runs');
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('keeps a picked class label inside its column of the matrix', async () => {
    const { page } = studio;
    await page.evaluate((id) => (location.hash = `#/run/${id}`), seeded);
    const cells = page.locator('[data-testid="run-confusion"] [data-testid="cm-cell"]');
    await expect.poll(() => cells.count()).toBe(100);
    for (const c of [1, 7]) {
      await page.locator(`[data-testid="run-confusion"] [data-testid="cm-cell"][data-r="${c}"][data-c="${c}"]`).click();
      const overlaps = await page.locator('[data-testid="run-confusion"] .col-label').evaluateAll((labels) => {
        const boxes = labels.map((l) => l.getBoundingClientRect());
        let n = 0;
        for (let i = 1; i < boxes.length; i++) if (boxes[i]!.left < boxes[i - 1]!.right - 0.5) n++;
        return n + labels.filter((l) => l.scrollWidth > l.clientWidth + 1).length;
      });
      expect(overlaps).toBe(0);
    }
    await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
    await studio.screenshot('matrix-picked');
  });

  it('starts a valid run with Enter from a field of the form', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('1');
    await page.getByTestId('input-epochs').press('Enter');
    const id = await openedRunId(page);
    expect(studio.store().getRun(id).epochs).toBe(1);
    await page.getByTestId('run-stop').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 60_000 })
      .toMatch(/stopped|completed/);
  });
});
