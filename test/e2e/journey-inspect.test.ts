/**
 * Journey: inside LeNet5. A small real run (real main, trainer, store and inspector process), then
 * in the built renderer: a misclassified image from the run's gallery → Inspect → activations of
 * every layer, kernels, saliency and Grad-CAM; a PNG written from a real test image dropped on the
 * window → the stored prediction for that image; a drawing → a prediction; the epoch slider →
 * kernels and confusion change; a run from before snapshots → the slider says so.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { CLASS_NAMES } from '../../src/shared/training';
import { completedRun, openStudio, type StudioPage } from '../support/studio-page';

describe('journey: inside LeNet5', () => {
  let studio: StudioPage;
  let runId = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-inspect' });
    runId = await completedRun(studio, {
      config: { ...PRESETS.quick, trainSubset: 1000, epochs: 2 },
      name: 'inspect journey',
    });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const stored = (index: number) =>
    studio.store().predictions({ runId, role: 'best', indices: [index], limit: 1, offset: 0 }).rows[0];

  it('opens a misclassified image from the gallery: every layer, kernels, saliency and Grad-CAM', async () => {
    const { page } = studio;
    await page.evaluate((id) => (window.location.hash = `#/run/${id}`), runId);
    const tile = page.locator('[data-testid="run-gallery"] [data-testid="gallery-item"]').first();
    await tile.waitFor({ timeout: 30_000 });
    const index = Number(await tile.getAttribute('data-index'));
    expect(await tile.getAttribute('data-true')).not.toBe(await tile.getAttribute('data-predicted'));
    await tile.click();
    await page.getByTestId('gallery-inspect').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/inspect/${runId}/${index}`);

    const layers = page.getByTestId('activation-layer');
    await expect.poll(() => layers.count(), { timeout: 60_000 }).toBe(7);
    expect(
      await layers.evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-layer')}:${e.getAttribute('data-shape')}`),
      ),
    ).toEqual(['C1:6x28x28', 'S2:6x14x14', 'C3:16x10x10', 'S4:16x5x5', 'C5:120', 'F6:84', 'Output:10']);
    expect(await page.getByTestId('activation-map').count()).toBe(6 + 6 + 16 + 16);
    expect(await page.getByTestId('activation-strip').count()).toBe(3);
    // The Output strip names its classes, each name under its own cell (issue 25 item 9).
    const names = page.getByTestId('output-class-names').locator('span');
    expect(await names.allTextContents()).toEqual([...CLASS_NAMES]);
    const strip = (await page.getByTestId('activation-strip').last().boundingBox())!;
    const centres = await names.evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return r.x + r.width / 2;
      }),
    );
    centres.forEach((x, k) => expect(Math.abs(x - (strip.x + ((k + 0.5) * strip.width) / 10))).toBeLessThan(2));
    const row = stored(index);
    expect(await page.getByTestId('inspect-prediction').getAttribute('data-predicted')).toBe(
      String(row.predictedClass),
    );
    // Kernels: C1's 6 and C3's 96 on the page's kernel card.
    await expect
      .poll(() => page.locator('section[aria-label="Learned kernels"] [data-testid="kernel"]').count())
      .toBe(102);
    await expect
      .poll(() => page.getByTestId('explanations').getAttribute('data-target'))
      .toBe(String(row.predictedClass));
    await expect(page.getByTestId('saliency-overlay').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('gradcam-overlay').isVisible()).resolves.toBe(true);
    // Hovering a map reads its values.
    await page.getByTestId('activation-map').first().hover();
    await expect
      .poll(() => page.getByTestId('activation-readout').textContent())
      .toMatch(/^C1 map 1, row \d+, column \d+: /);
    await studio.screenshot('misclassified-activations');

    // The true class a click away.
    await page.getByTestId('explain-true').click();
    await expect.poll(() => page.getByTestId('explanations').getAttribute('data-target')).toBe(String(row.trueClass));
    await expect.poll(() => page.getByRole('heading', { name: `Why ${CLASS_NAMES[row.trueClass!]}` }).count()).toBe(1);
    await page.getByTestId('explanations').scrollIntoViewIfNeeded();
    await studio.screenshot('saliency-true-class');
    // Clicking a layer of the diagram focuses its maps.
    await page.locator('[data-testid="diagram-layer"][data-label^="C3:"]').click();
    await expect
      .poll(() => page.locator('[data-testid="activation-layer"].focused').getAttribute('data-layer'))
      .toBe('C3');
  });

  it('a PNG written from a real test image, dropped on the window, gets the stored prediction', async () => {
    const { page } = studio;
    const index = 17;
    const { images } = await studio.call('dataset:images', { indices: [index] });
    const png = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 784; i++) png.data.set([images[i], images[i], images[i], 255], i * 4);
    const bytes = [...PNG.sync.write(png)];
    const dataTransfer = await page.evaluateHandle((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], `test-${17}.png`, { type: 'image/png' }));
      return dt;
    }, bytes);
    await page.dispatchEvent('[data-testid="inspect-page"]', 'drop', { dataTransfer });
    await expect.poll(() => page.getByTestId('original-image').isVisible()).toBe(true);
    await expect
      .poll(() => page.getByTestId('converted-image').getAttribute('data-as-is'), { timeout: 30_000 })
      .toBe('true');
    await expect
      .poll(() => page.getByTestId('inspect-prediction').getAttribute('data-predicted'))
      .toBe(String(stored(index).predictedClass));
    await page.getByTestId('inspect-page').evaluate((e) => e.scrollIntoView());
    await studio.screenshot('dropped-png');

    // A file that is no image: a plain message, and the page stays usable.
    await page
      .getByTestId('inspect-file')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect
      .poll(() => page.getByTestId('inspect-error').textContent())
      .toContain('notes.txt is not a PNG or JPEG image.');
    expect(await page.getByTestId('inspect-file').evaluate((e) => (e as HTMLInputElement).value)).toContain(
      'notes.txt',
    );
    await studio.screenshot('not-an-image');
  });

  it('draws on the canvas and gets a prediction', async () => {
    const { page } = studio;
    const pad = page.getByTestId('draw-canvas');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    // A trouser-like shape: two long strokes.
    for (const dx of [0.38, 0.62]) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.12);
      await page.mouse.down();
      for (let t = 1; t <= 10; t++)
        await page.mouse.move(
          box.x + box.width * (0.5 + (dx - 0.5) * (t / 10)),
          box.y + box.height * (0.12 + 0.76 * (t / 10)),
        );
      await page.mouse.up();
    }
    // The page still shows the previous test's file and its error: wait for the drawing's own
    // answer, or the checks below would pass (or fail) on what was there before.
    await page.getByTestId('draw-use').click();
    await expect.poll(() => page.locator('.original + figcaption').textContent()).toBe('drawing.png');
    // The picker no longer names the previous test's notes.txt: the image on show is the drawing.
    expect(await page.getByTestId('inspect-file').evaluate((e) => (e as HTMLInputElement).value)).toBe('');
    await expect
      .poll(() => page.getByTestId('inspect-page').getAttribute('data-loading'), { timeout: 30_000 })
      .toBe('false');
    await expect.poll(() => page.getByTestId('original-image').getAttribute('src')).toMatch(/^blob:/);
    await expect
      .poll(() => page.locator('[data-testid="converted-image"] figcaption').textContent(), { timeout: 30_000 })
      .toContain('28×28 as the network sees it');
    await expect
      .poll(async () => Number(await page.getByTestId('inspect-prediction').getAttribute('data-predicted')))
      .toBeGreaterThanOrEqual(0);
    // Every class is named beside its bar (Chart.js once skipped every other name).
    await expect.poll(() => page.getByTestId('probability-bars').getAttribute('data-labels-shown')).toBe('10');
    // No error shown; its text, if any, is what a failure reports (a clean CI run once saw one).
    expect(await page.getByTestId('inspect-error').allTextContents()).toEqual([]);
    await studio.screenshot('drawing-prediction');
  });

  it('scrubs the epochs: the kernels and the confusion matrix change', async () => {
    const { page } = studio;
    const slider = page.getByTestId('epoch-slider');
    await slider.scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByTestId('slider-epoch').textContent()).toBe('2');
    const look = () =>
      page.getByTestId('snapshot').evaluate((el) => ({
        kernels: [...el.querySelectorAll('[data-testid="kernels-c1"] canvas')]
          .map((c) => (c as HTMLCanvasElement).toDataURL())
          .join(''),
        confusion: [...el.querySelectorAll('[data-testid="cm-cell"]')].map((c) => c.textContent?.trim()).join('|'),
      }));
    await expect.poll(() => page.getByTestId('snapshot').getAttribute('data-epoch')).toBe('2');
    const two = await look();
    await page.getByTestId('epoch-range').fill('0');
    await expect.poll(() => page.getByTestId('snapshot').getAttribute('data-epoch')).toBe('1');
    const one = await look();
    expect(one.kernels).not.toBe(two.kernels);
    expect(one.confusion).not.toBe(two.confusion);
    // Every count is drawn whole in the small matrix (a 4-digit "1,000" once lost its ends).
    const clipped = await page
      .getByTestId('snapshot')
      .evaluate((el) =>
        [...el.querySelectorAll('[data-testid="cm-cell"] .count')]
          .filter((c) => c.scrollWidth > (c.parentElement as HTMLElement).clientWidth)
          .map((c) => c.textContent),
      );
    expect(clipped).toEqual([]);
    await studio.screenshot('epoch-slider');
  });

  it('a run recorded before snapshots: the slider says so, and a missing checkpoint is named', async () => {
    const { page } = studio;
    const store = studio.store();
    const id = store.createRun(PRESETS.quick, { name: 'from before' });
    store.recordEvent(id, { type: 'stopped', epochs: 0 });
    await page.evaluate((run) => (window.location.hash = `#/inspect/${run}`), id);
    await expect
      .poll(() => page.getByTestId('no-snapshots').textContent(), { timeout: 15_000 })
      .toContain('no per-epoch snapshots');
    await expect
      .poll(() => page.getByTestId('kernels-error').textContent())
      .toContain(`Run #${id} has no best checkpoint`);
    await studio.screenshot('no-snapshots');
  });
});
