import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type StudioPage } from '../support/studio-page';

/** The reusable panels on the #/showcase page (made-up data), driven like a person would. */
describe('reusable panels', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-components' });
    await studio.page.evaluate(() => {
      window.location.hash = '#/showcase';
    });
    await studio.page.getByTestId('page-showcase').locator('h1').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('draws line charts on canvases and takes live updates', async () => {
    const { page } = studio;
    const size = await page
      .locator('[data-testid="showcase-loss"] canvas')
      .evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    expect(size[0]).toBeGreaterThan(200);
    expect(size[1]).toBeGreaterThan(100);
    expect(await page.getByTestId('showcase-loss').getAttribute('data-points')).toBe('6000');
    await page.getByTestId('showcase-live-start').click();
    await expect
      .poll(async () => Number(await page.getByTestId('showcase-live').getAttribute('data-points')), {
        timeout: 20_000,
      })
      .toBe(400);
    await studio.screenshot('charts');
  });

  it('moves through the confusion matrix with the keyboard and selects a cell', async () => {
    const { page } = studio;
    const cm = page.getByTestId('showcase-cm');
    expect(await cm.getByTestId('cm-cell').count()).toBe(100);
    await cm.locator('[data-r="0"][data-c="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(
      await page.evaluate(() => [
        document.activeElement?.getAttribute('data-r'),
        document.activeElement?.getAttribute('data-c'),
      ]),
    ).toEqual(['1', '2']);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('showcase-cm-selected').textContent()).toContain('true 1, predicted 2');
    expect(await cm.locator('[data-r="1"][data-c="2"]').getAttribute('aria-selected')).toBe('true');
    await cm.locator('[data-r="6"][data-c="0"]').click();
    await expect.poll(() => page.getByTestId('showcase-cm-selected').textContent()).toContain('true 6, predicted 0');
    expect(await page.getByTestId('showcase-cm-diff').getAttribute('data-mode')).toBe('diff');
    await cm.scrollIntoViewIfNeeded();
    await studio.screenshot('confusion');
  });

  it('pages through 5,000 images and opens one with its probabilities', async () => {
    const { page } = studio;
    const gallery = page.getByTestId('image-gallery');
    await expect.poll(() => gallery.getByTestId('gallery-item').count()).toBe(48);
    expect(await gallery.getByTestId('gallery-item').first().getAttribute('data-index')).toBe('0');
    await gallery.getByTestId('gallery-next').click();
    await expect.poll(() => gallery.getByTestId('gallery-item').first().getAttribute('data-index')).toBe('48');
    await gallery.getByTestId('gallery-item').nth(3).click();
    const dialog = page.getByTestId('gallery-dialog');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await dialog.textContent()).toContain('Test image #51');
    expect(await dialog.getByTestId('probability-bars').locator('canvas').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => dialog.textContent()).toContain('Test image #52');
    await studio.screenshot('gallery-dialog');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
  });

  it('shows every run status', async () => {
    const { page } = studio;
    const statuses = await page
      .getByTestId('status-badge')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.slice(0, 7)).toEqual([
      'queued',
      'running',
      'completed',
      'stopped',
      'diverged',
      'failed',
      'interrupted',
    ]);
  });
});
