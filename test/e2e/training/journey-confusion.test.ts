/**
 * Journey 5: train a quick run from the UI, then open confusion-matrix cells on its page: the
 * gallery shows exactly that cell's count of images, each with the cell's true and predicted class
 * (an off-diagonal cell: those mistakes; a diagonal cell: the correct ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../src/shared/training';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('journey: from a confusion-matrix cell to its images', () => {
  let studio: StudioPage;
  let runId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-confusion' });
    // The smallest window the studio supports: where the gallery starts below the fold.
    await studio.page.setViewportSize({ width: 960, height: 640 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const cell = (r: number, c: number) =>
    studio.page.locator(`[data-testid="run-confusion"] [data-testid="cm-cell"][data-r="${r}"][data-c="${c}"]`);
  const galleryTopInWindow = () =>
    studio.page.getByTestId('run-gallery').evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      return top >= -1 && top < window.innerHeight / 2;
    });
  const focusInGallery = () =>
    studio.page.getByTestId('run-gallery').evaluate((el) => el.contains(document.activeElement));
  /** Tiles whose caption (true class, predicted class, confidence) spills out of the tile. */
  const clippedCaptions = () =>
    items().evaluateAll(
      (tiles) =>
        tiles.filter((tile) => {
          const box = tile.getBoundingClientRect();
          return [...tile.querySelectorAll('.cap span')].some((part) => {
            const r = part.getBoundingClientRect();
            return r.left < box.left - 0.5 || r.right > box.right + 0.5 || part.scrollWidth > part.clientWidth + 1;
          });
        }).length,
    );
  const items = () => studio.page.locator('[data-testid="run-gallery"] [data-testid="gallery-item"]');

  /** Walk every page of the gallery and collect each tile's classes. */
  async function allTiles(): Promise<{ index: number; t: string | null; p: string | null }[]> {
    const { page } = studio;
    const out: { index: number; t: string | null; p: string | null }[] = [];
    for (;;) {
      await expect.poll(() => items().count()).toBeGreaterThan(0);
      const pageNo = await page
        .locator('[data-testid="run-gallery"] [data-testid="image-gallery"]')
        .getAttribute('data-page');
      out.push(
        ...(await items().evaluateAll((els) =>
          els.map((e) => ({
            index: Number(e.getAttribute('data-index')),
            t: e.getAttribute('data-true'),
            p: e.getAttribute('data-predicted'),
          })),
        )),
      );
      const next = page.locator('[data-testid="run-gallery"] [data-testid="gallery-next"]');
      if (await next.isDisabled()) break;
      await next.click();
      await expect
        .poll(() => page.locator('[data-testid="run-gallery"] [data-testid="image-gallery"]').getAttribute('data-page'))
        .not.toBe(pageNo);
      await expect.poll(() => items().first().getAttribute('data-index')).not.toBe(String(out.at(-1)?.index));
    }
    return out;
  }

  it('trains a quick run from New run', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    // 5,000 images instead of 10,000: the matrix still counts all 10,000 test images, which is
    // what the galleries are checked against; a weaker model only makes more mistakes to show.
    // Fewer leave the sigmoid network near chance (one epoch on 2,000 images: 14% test accuracy).
    await page.getByTestId('input-trainSubset').fill('5000');
    await page.getByTestId('start-run').click();
    // Start opens the new run's page; it is the only run.
    runId = await openedRunId(page);
    expect((await studio.call('runs:list', {})).rows.map((r) => r.id)).toEqual([runId]);
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 300_000, interval: 500 })
      .toBe('completed');
    await expect.poll(() => page.getByTestId('confusion-caption').textContent()).toContain('Final epoch 2');
  });

  it('shows exactly the images of an off-diagonal cell, with their true and predicted classes', async () => {
    const { page } = studio;
    const { matrix } = studio.store().confusion(runId, 'final');
    // The largest confusion that fits on a few gallery pages (48 a page).
    let pick = { r: -1, c: -1, n: 0 };
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < 10; c++) {
        const n = matrix[r * 10 + c];
        if (r !== c && n > pick.n && n <= 150) pick = { r, c, n };
      }
    expect(pick.n).toBeGreaterThan(0);
    expect(await cell(pick.r, pick.c).locator('.count').textContent()).toBe(pick.n.toLocaleString('en-US'));

    await cell(pick.r, pick.c).click();
    await expect
      .poll(() => page.getByTestId('gallery-title').textContent())
      .toBe(`${CLASS_NAMES[pick.r]} predicted as ${CLASS_NAMES[pick.c]}`);
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe(pick.n.toLocaleString('en-US'));
    // The click brings the gallery into view and moves focus to it: Tab reaches its images next.
    await expect.poll(() => galleryTopInWindow()).toBe(true);
    expect(await focusInGallery()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusInGallery()).toBe(true);
    await studio.screenshot('cell-gallery');
    // Every caption whole, at the smallest window and a large one.
    expect(await clippedCaptions()).toBe(0);
    await page.setViewportSize({ width: 1360, height: 880 });
    expect(await clippedCaptions()).toBe(0);
    await page.setViewportSize({ width: 960, height: 640 });
    const tiles = await allTiles();
    expect(tiles.length).toBe(pick.n);
    expect(new Set(tiles.map((t) => t.index)).size).toBe(pick.n);
    for (const t of tiles) {
      expect(t.t).toBe(String(pick.r));
      expect(t.p).toBe(String(pick.c));
    }
    // The enlarged view names both classes.
    await page.locator('[data-testid="run-gallery"] [data-testid="gallery-item"]').first().click();
    await expect.poll(() => page.getByTestId('gallery-dialog').textContent()).toContain(CLASS_NAMES[pick.c]);
    expect(await page.getByTestId('gallery-dialog').textContent()).toContain(CLASS_NAMES[pick.r]);
    await studio.screenshot('cell-image');
    await page.keyboard.press('Escape');
  });

  it('shows a diagonal cell’s correctly classified images', async () => {
    const { page } = studio;
    const { matrix } = studio.store().confusion(runId, 'final');
    // The smallest non-empty diagonal cell keeps the page walk short.
    let k = -1;
    for (let c = 0; c < 10; c++) if (matrix[c * 11] > 0 && (k < 0 || matrix[c * 11] < matrix[k * 11])) k = c;
    const n = matrix[k * 11];
    await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
    await cell(k, k).click();
    await expect
      .poll(() => page.getByTestId('gallery-title').textContent())
      .toBe(`${CLASS_NAMES[k]} classified correctly`);
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe(n.toLocaleString('en-US'));
    if (n <= 300) {
      const tiles = await allTiles();
      expect(tiles.length).toBe(n);
      expect(tiles.every((t) => t.t === String(k) && t.p === String(k))).toBe(true);
    } else {
      await expect.poll(() => items().count()).toBe(48);
      expect(
        await items().evaluateAll((els) =>
          els.every((e) => e.getAttribute('data-true') === e.getAttribute('data-predicted')),
        ),
      ).toBe(true);
    }
    // Clearing the pick goes back to every mistake.
    await page.getByTestId('gallery-clear').click();
    const mistakes = 10_000 - Array.from({ length: 10 }, (_, c) => matrix[c * 11]).reduce((a, b) => a + b, 0);
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe(mistakes.toLocaleString('en-US'));
  });

  it('moves through the matrix with the keyboard, opens a cell with Enter, and steps through enlarged images', async () => {
    const { page } = studio;
    const { matrix } = studio.store().confusion(runId, 'final');
    await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
    await cell(0, 0).focus();
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
    await expect
      .poll(() => page.getByTestId('gallery-title').textContent())
      .toBe(`${CLASS_NAMES[1]} predicted as ${CLASS_NAMES[2]}`);
    await expect.poll(() => focusInGallery()).toBe(true);
    expect(await cell(1, 2).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe(matrix[12]!.toLocaleString('en-US'));

    // Any cell with at least two images: the enlarged view steps to the next with the arrow key.
    let pick = -1;
    for (let i = 0; i < 100 && pick < 0; i++) if (matrix[i]! >= 2) pick = i;
    await cell(Math.floor(pick / 10), pick % 10).click();
    await expect.poll(() => items().count()).toBeGreaterThan(1);
    const first = await items().nth(0).getAttribute('data-index');
    const second = await items().nth(1).getAttribute('data-index');
    await items().nth(0).click();
    const dialog = page.getByTestId('gallery-dialog');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await expect.poll(() => dialog.textContent()).toContain(`Test image #${first}`);
    expect(await dialog.getByTestId('probability-bars').locator('canvas').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => dialog.textContent()).toContain(`Test image #${second}`);
    await studio.screenshot('enlarged-probabilities');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

    // Every mistake: more than one page. The enlarged view pages on past the 48 tiles on screen.
    await page.getByTestId('gallery-clear').click();
    // Wait for the gallery to show every mistake (counted from the stored matrix) before reading
    // it: right after the click it may still show the previous cell's total and tiles.
    const mistakes = 10_000 - Array.from({ length: 10 }, (_, c) => matrix[c * 11]!).reduce((a, b) => a + b, 0);
    expect(mistakes).toBeGreaterThan(48);
    const total = mistakes.toLocaleString('en-US');
    await expect.poll(() => page.getByTestId('gallery-total').textContent()).toBe(total);
    await expect.poll(() => items().count()).toBe(48);
    await items().nth(47).click();
    await expect.poll(() => page.getByTestId('gallery-dialog-position').textContent()).toBe(`48 / ${total}`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('gallery-dialog-position').textContent()).toBe(`49 / ${total}`);
    const gallery = page.locator('[data-testid="run-gallery"] [data-testid="image-gallery"]');
    expect(await gallery.getAttribute('data-page')).toBe('1');
    expect(await dialog.textContent()).toContain(`Test image #${await items().first().getAttribute('data-index')}`);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('gallery-dialog-position').textContent()).toBe(`48 / ${total}`);
    await page.keyboard.press('Escape');
  });
});
