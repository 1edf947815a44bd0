/**
 * The README's tour pictures, made from the app as a user sees it at 1280×800 and written small
 * (JPEG at 960 px wide) to test-artifacts/tour/, from where they are copied to docs/tour/ when the
 * UI changes (not written there: they carry the run's date, and a test must not change the tree): a run's confusion matrix beside the images of a cell, two
 * runs compared, and the network on the Model page. The runs are recorded through the store.
 * The test fails if a picture cannot be made or comes out larger than it should be committed.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, ROOT, type StudioPage } from '../support/studio-page';

const TOUR = join(ROOT, 'test-artifacts/tour');
/** A committed picture stays under this. */
const MAX_BYTES = 160_000;

describe('README tour pictures', () => {
  let studio: StudioPage;
  const runs: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-tour' });
    const relu = { ...PRESETS.quick.model, convActivation: 'relu' as const };
    runs.push(seedRun(studio.store(), { epochs: 6, plateau: 0.84, seed: 5, preset: 'quick', name: 'quick' }));
    runs.push(
      seedRun(studio.store(), {
        epochs: 6,
        plateau: 0.89,
        seed: 6,
        preset: 'quick',
        name: 'quick',
        config: { model: relu },
      }),
    );
    await studio.page.setViewportSize({ width: 1280, height: 800 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  /** The window as it is now, scaled to 960 px wide and written as JPEG. */
  async function picture(name: string): Promise<void> {
    const { page } = studio;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Also as the usual full-size PNG, to look at.
    const png = await page.screenshot({ path: await studio.screenshot(name) });
    const jpeg = await page.evaluate(
      async (dataUrl) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = 960;
        canvas.height = Math.round((img.height * 960) / img.width);
        const g = canvas.getContext('2d')!;
        g.imageSmoothingQuality = 'high';
        g.drawImage(img, 0, 0, canvas.width, canvas.height);
        return canvas.toDataURL('image/jpeg', 0.82);
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
    mkdirSync(TOUR, { recursive: true });
    const file = join(TOUR, `${name}.jpg`);
    writeFileSync(file, Buffer.from(jpeg.split(',')[1]!, 'base64'));
    expect(statSync(file).size).toBeLessThan(MAX_BYTES);
  }

  it('a confusion-matrix cell and its images', async () => {
    const { page } = studio;
    await page.evaluate((id) => (location.hash = `#/run/${id}`), runs[1]);
    const cell = page.locator('[data-testid="run-confusion"] [data-testid="cm-cell"][data-r="6"][data-c="0"]');
    await cell.click();
    await expect
      .poll(() => page.locator('[data-testid="run-gallery"] [data-testid="gallery-item"]').count())
      .toBeGreaterThan(0);
    await page.getByTestId('run-confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await picture('run-matrix');
  });

  it('two runs compared', async () => {
    const { page } = studio;
    await page.evaluate((ids) => (location.hash = `#/compare/${ids}`), runs.join(','));
    await expect.poll(() => page.getByTestId('compare-legend-item').count()).toBe(2);
    await page.getByTestId('compare-chart').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await picture('compare');
  });

  it('the network', async () => {
    const { page } = studio;
    await page.getByTestId('nav-model').click();
    await expect.poll(() => page.locator('[data-testid="lenet-diagram"] image').count()).toBe(1);
    await picture('model');
  });
});
