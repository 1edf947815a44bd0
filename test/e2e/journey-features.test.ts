/**
 * Journey: what the network makes of the data. A small real run (real main, trainer, store and
 * inspector process, real FashionMNIST), then in the built renderer: the run's page → Feature map
 * (10,000 points on a canvas, legend) → hover shows the image, its label and prediction → click
 * opens it in Inspect, whose neighbours panel shows 8 training images and the sentence; back on
 * the map a Shift+drag box selects a set shown as a gallery; recolouring by right/wrong changes
 * the legend. A run stopped before its first epoch says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { CLASS_NAMES } from '../../src/shared/training';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('journey: feature map and nearest neighbours', () => {
  let studio: StudioPage;
  let runId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-features' });
    const run = await studio.call('runs:start', {
      config: { ...PRESETS.quick, trainSubset: 1000, epochs: 1 },
      name: 'features journey',
    });
    runId = run.id;
    const deadline = Date.now() + 240_000;
    while ((await studio.call('runs:get', { id: runId })).status !== 'completed') {
      if (Date.now() > deadline) throw new Error('the run did not complete in 4 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
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
