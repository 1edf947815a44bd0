/**
 * Journey: what the network makes of the data. A small real run keeping every epoch's checkpoint
 * (real main, trainer, store and inspector process, real FashionMNIST; the same setup as the
 * Inspect journey, from test/support), then in the built renderer: the run's page → Feature map
 * (10,000 points on a canvas, legend) → hover shows the image, its label and prediction → click
 * opens it in Inspect, whose neighbours panel shows 8 training images and the sentence; back on
 * the map a Shift+drag box, then a lasso, selects a set shown as a gallery; recolouring by
 * right/wrong changes the legend; the epoch picker shows epoch 1's map; UMAP shows the PCA map,
 * the time so far and the inspector's progress (its stages, a layout epoch) while it computes,
 * then its own. A run stopped before its first epoch says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/shared/hyperparams';
import { CLASS_NAMES } from '../../../src/shared/training';
import type { Page } from 'playwright-core';
import { completedRun, openStudio, type StudioPage } from '../../support/studio-page';
import { clippedText } from '../clipping';

describe('journey: feature map and nearest neighbours', () => {
  let studio: StudioPage;
  let runId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-features' });
    runId = await completedRun(studio, {
      config: { ...PRESETS.quick, trainSubset: 1000, epochs: 2 },
      name: 'features journey',
      keepCheckpoints: 'all',
    });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('feature map → hover → click → Inspect with its nearest training images', async () => {
    const { page } = studio;
    await page.evaluate((id) => (window.location.hash = `#/run/${id}`), runId);
    await page.getByTestId('run-feature-map').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/features/${runId}`);
    const canvas = page.getByTestId('feature-map-canvas');
    await canvas.waitFor({ timeout: 180_000 });
    await expect
      .poll(() => page.getByTestId('feature-map-caption').textContent())
      .toMatch(/10,000 test images · F6 · PCA/);
    expect(await page.locator('[data-testid="feature-legend"] li').count()).toBe(10);
    await studio.screenshot('feature-map');

    // Hover across the middle of the map until a point answers: the tooltip names it.
    const box = (await canvas.boundingBox())!;
    let hit: { x: number; y: number } | null = null;
    for (let step = 0; step < 40 && !hit; step++) {
      const x = box.x + box.width * (0.3 + (step % 8) * 0.05);
      const y = box.y + box.height * (0.3 + Math.floor(step / 8) * 0.1);
      await page.mouse.move(x, y);
      if (await page.getByTestId('feature-tooltip').isVisible()) hit = { x, y };
    }
    expect(hit).not.toBeNull();
    const tooltip = page.getByTestId('feature-tooltip');
    await expect.poll(() => tooltip.textContent()).toMatch(/#\d+\s*True: .+Predicted: .+/);
    await expect.poll(() => tooltip.locator('canvas').count()).toBe(1);
    const index = Number(/#(\d+)/.exec((await tooltip.textContent())!)![1]);
    const truth = studio.store().predictions({ runId, role: 'best', indices: [index], limit: 1, offset: 0 }).rows[0];
    expect(await tooltip.textContent()).toContain(`Predicted: ${CLASS_NAMES[truth.predictedClass]}`);
    await studio.screenshot('feature-map-hover');

    await page.mouse.click(hit!.x, hit!.y);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/inspect/${runId}/${index}`);
    await page.getByTestId('neighbours-show').click();
    const neighbours = page.getByTestId('neighbour');
    await expect.poll(() => neighbours.count(), { timeout: 240_000 }).toBe(8);
    await expect
      .poll(() => page.getByTestId('neighbours-summary').textContent())
      .toMatch(/^LeNet5 thinks this .+ looks like .+\.$/);
    await page.getByTestId('neighbours').scrollIntoViewIfNeeded();
    await studio.screenshot('inspect-neighbours');
  });

  it('a box selection becomes a gallery; recolouring by right/wrong changes the legend', async () => {
    const { page } = studio;
    await page.evaluate((id) => (window.location.hash = `#/features/${id}`), runId);
    const canvas = page.getByTestId('feature-map-canvas');
    await canvas.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('feature-map-caption').textContent()).toMatch(/from the cache/);
    const box = (await canvas.boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.35);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('feature-selection').textContent()).toMatch(/[\d,]+ selected/);
    await expect
      .poll(() => page.locator('[data-testid="feature-gallery"] [data-testid="gallery-item"]').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await studio.screenshot('feature-map-selection');

    await page.getByTestId('feature-colour').selectOption('correct');
    await expect
      .poll(() => page.locator('[data-testid="feature-legend"] li').allTextContents())
      .toEqual(['Right', 'Wrong']);
  });

  it('a lasso drawn around part of the map selects the points inside it, shown as a gallery', async () => {
    const { page } = studio;
    await clearSelection(page);
    await page.getByTestId('feature-select-tool').selectOption('lasso');
    const canvas = page.getByTestId('feature-map-canvas');
    expect(await canvas.getAttribute('data-tool')).toBe('lasso');
    const box = (await canvas.boundingBox())!;
    // A free-hand loop (a wobbly circle) around the middle of the map.
    const [cx, cy, r] = [box.x + box.width / 2, box.y + box.height / 2, Math.min(box.width, box.height) * 0.22];
    const at = (t: number): [number, number] => {
      const wobble = 1 + 0.15 * Math.sin(5 * t);
      return [cx + r * wobble * Math.cos(t), cy + r * wobble * Math.sin(t)];
    };
    await page.keyboard.down('Shift');
    await page.mouse.move(...at(0));
    await page.mouse.down();
    for (let step = 1; step <= 40; step++) await page.mouse.move(...at((2 * Math.PI * step) / 40));
    await studio.screenshot('feature-map-lasso-drawing');
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const selected = await selectionCount(page);
    expect(selected).toBeGreaterThan(0);
    // Inside the loop, not the loop's bounding box: fewer than a box over the same extent selects.
    await clearSelection(page);
    await page.getByTestId('feature-select-tool').selectOption('box');
    await page.keyboard.down('Shift');
    await page.mouse.move(cx - r * 1.15, cy - r * 1.15);
    await page.mouse.down();
    await page.mouse.move(cx + r * 1.15, cy + r * 1.15, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(await selectionCount(page)).toBeGreaterThan(selected);

    // The lasso's selection again, the same points, shown as a gallery.
    await clearSelection(page);
    await page.getByTestId('feature-select-tool').selectOption('lasso');
    await page.keyboard.down('Shift');
    await page.mouse.move(...at(0));
    await page.mouse.down();
    for (let step = 1; step <= 40; step++) await page.mouse.move(...at((2 * Math.PI * step) / 40));
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(await selectionCount(page)).toBe(selected);
    const tiles = page.locator('[data-testid="feature-gallery"] [data-testid="gallery-item"]');
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(Math.min(selected, 48));
    await page.getByTestId('feature-selection').scrollIntoViewIfNeeded();
    await studio.screenshot('feature-map-lasso-gallery');
    // The page with a map, its controls, caption, legend and a gallery: nothing cut at the two window sizes.
    expect(await cutAtWindowSizes(studio, 'feature-map-with-gallery')).toEqual([]);
  });

  it('shows an earlier epoch’s map from its own checkpoint', async () => {
    const { page } = studio;
    await page.evaluate(() => window.scrollTo(0, 0));
    const picker = page.getByTestId('feature-checkpoint');
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['best', 'last', 'epoch 1', 'epoch 2']);
    await picker.selectOption('1');
    await expect.poll(() => textOf(page, 'feature-map-caption'), { timeout: 120_000 }).toMatch(/· epoch 1 · accuracy/);
    await studio.screenshot('feature-map-epoch-1');
    await picker.selectOption('best');
    await expect.poll(() => textOf(page, 'feature-map-caption')).toMatch(/best checkpoint, epoch/);
  });

  it('UMAP: the PCA map, the time so far and the inspector’s progress while it computes, then its own map', async () => {
    const { page } = studio;
    // Every text the progress line shows, however briefly (the layout may take only seconds).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="feature-map-progress"]')?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('feature-method').selectOption('umap');
    const pending = page.getByTestId('feature-map-pending');
    await expect
      .poll(() => textOf(page, 'feature-map-pending'))
      .toMatch(/UMAP is computing: \d+ s so far .*The PCA map is shown meanwhile\./);
    expect(await textOf(page, 'feature-map-caption')).toMatch(/· PCA \(axes explain/);
    await studio.screenshot('feature-map-umap-pending');
    expect(await cutAtWindowSizes(studio, 'feature-map-umap-pending')).toEqual([]);
    await expect
      .poll(() => textOf(page, 'feature-map-caption'), { timeout: 300_000 })
      .toMatch(/10,000 test images · F6 · UMAP · .* computed in [\d.]+ s/);
    expect(await pending.count()).toBe(0);
    await studio.screenshot('feature-map-umap');
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen).toContain('UMAP: nearest neighbours');
    expect(seen.some((text) => /^UMAP: layout epoch \d+\/\d+$/.test(text))).toBe(true);
  });

  it('a run stopped before its first epoch says so', async () => {
    const { page } = studio;
    const id = studio.store().createRun(PRESETS.quick, { name: 'stopped early' });
    studio.store().recordEvent(id, { type: 'stopped', epochs: 0 });
    await page.evaluate((runId) => (window.location.hash = `#/features/${runId}`), id);
    await expect
      .poll(() => page.getByTestId('feature-map-error').textContent(), { timeout: 30_000 })
      .toContain('has no best checkpoint: it ended before finishing its first epoch');
    await studio.screenshot('feature-map-no-checkpoint');
  });
});

/** The number in the selection's heading ("1,234 selected"). */
async function selectionCount(page: Page): Promise<number> {
  const heading = page.getByTestId('feature-selection').locator('h2');
  await heading.waitFor();
  return Number((/([\d,]+) selected/.exec((await heading.textContent()) ?? '')?.[1] ?? '').replace(/,/g, ''));
}

async function clearSelection(page: Page): Promise<void> {
  const selection = page.getByTestId('feature-selection');
  if (await selection.isVisible()) await selection.getByRole('button', { name: 'Clear' }).click();
  await expect.poll(() => selection.count()).toBe(0);
}

/** The text cut at 1280×800 and 960×640 (the clipping guard's sizes), one screenshot each; the window's size is restored. */
async function cutAtWindowSizes(studio: StudioPage, name: string): Promise<string[]> {
  const { page } = studio;
  const before = page.viewportSize();
  const cut: string[] = [];
  for (const size of [
    { width: 1280, height: 800 },
    { width: 960, height: 640 },
  ]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    for (const c of await clippedText(page)) cut.push(`${size.width}: ${c.kind} in ${c.where}: ${c.text}`);
    await studio.screenshot(`${name}-${size.width}`);
  }
  if (before) await page.setViewportSize(before);
  return cut;
}

/** An element's text with its line breaks and indentation as single spaces (as the page reads). */
async function textOf(page: Page, testid: string): Promise<string> {
  return ((await page.getByTestId(testid).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
