import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_FILES } from '../../src/shared/training';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Dataset place', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-dataset' });
    await studio.page.getByTestId('nav-dataset').click();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it("shows main's answer: where the data is, its identity, and samples of every class", async () => {
    const { page } = studio;
    const info = await studio.call('dataset:info');
    await expect
      .poll(() => page.getByTestId('dataset-status').getAttribute('data-found'))
      .toBe(String(info.location.found));
    if (!info.location.found) {
      expect(await page.getByTestId('empty-state').textContent()).toContain('Download FashionMNIST');
      expect(await page.getByTestId('dataset-download').textContent()).toContain('Download');
      await studio.screenshot('dataset-missing');
      return;
    }
    expect(await page.getByTestId('dataset-dir').textContent()).toBe(info.location.dir);
    await expect.poll(() => page.getByTestId('sample-class').count()).toBe(10);
    // 8 per class, each a 28×28 canvas.
    expect(await page.locator('[data-testid="sample-grid"] canvas').count()).toBe(80);
    const lit = await page
      .locator('[data-testid="sample-grid"] canvas')
      .first()
      .evaluate((c) => {
        const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i];
        return sum;
      });
    expect(lit).toBeGreaterThan(0);
    const identity = info.identity;
    if (identity) {
      expect(await page.getByTestId('dataset-official').getAttribute('data-official')).toBe(String(identity.official));
      for (const file of DATASET_FILES) {
        expect(await page.getByTestId(`sha-${file}`).textContent()).toBe(identity.sha256[file]);
      }
    }
    await studio.screenshot('dataset');
  });
});
