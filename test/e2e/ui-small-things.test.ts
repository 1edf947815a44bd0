/**
 * Small things of issue 25, item 13, at 960×640 where they were found: Extend reads "Extend to [n]
 * epochs"; "Trainers at once" and "Threads" say what they do, inside the window; a pair that no
 * grouping can put together gets no empty Groups card, and a seed pair still gets its card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('small things', () => {
  let studio: StudioPage;
  let unrelated: number[] = [];
  let seeds: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-small-things' });
    await studio.page.setViewportSize({ width: 960, height: 640 });
    const store = studio.store();
    unrelated = [
      seedRun(store, { epochs: 2, seed: 1, name: 'slow', config: { learningRate: 0.001 } }),
      seedRun(store, { epochs: 2, seed: 2, name: 'fast', config: { learningRate: 0.01 } }),
    ];
    // A last checkpoint on record is what offers Extend (the file itself is not read here).
    store.recordEvent(unrelated[0], { type: 'checkpoint', epoch: 2, role: 'last', path: 'checkpoints/x/last' });
    seeds = [
      seedRun(store, { epochs: 2, seed: 3, name: 'seed a' }),
      seedRun(store, { epochs: 2, seed: 4, name: 'seed b' }),
    ];
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('reads "Extend to [n] epochs", in that order', async () => {
    const { page } = studio;
    await page.evaluate((id) => (location.hash = `#/run/${id}`), unrelated[0]);
    const extend = page.getByTestId('run-extend');
    await expect.poll(() => extend.count()).toBe(1);
    const button = (await extend.boundingBox())!;
    const field = (await page.getByTestId('run-extend-epochs').boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(field.x);
    const words = await page
      .getByTestId('run-resume-actions')
      .evaluate((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim());
    expect(words).toMatch(/^Extend to epochs$/);
  });

  it('says what "Trainers at once" and "Threads" do, inside the window', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    for (const [prefix, words] of [
      ['parallel', 'How many runs train at the same time'],
      ['threads', 'How many CPU cores one run uses'],
    ] as const) {
      const help = page.getByTestId(`${prefix}-help`);
      expect(await help.count()).toBe(0);
      await page.getByTestId(`${prefix}-help-button`).click();
      await expect.poll(() => help.textContent()).toContain(words);
      const box = (await help.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(960);
      expect(box.y + box.height).toBeLessThanOrEqual(640);
      await studio.screenshot(`${prefix}-help`);
      await page.getByTestId(`${prefix}-help-button`).click();
      await expect.poll(() => help.count()).toBe(0);
    }
  });

  it('leaves the Groups card out for a pair no grouping can join, and keeps it for seeds', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), unrelated.join(','));
    await expect.poll(() => page.getByTestId('hp-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('compare-groups').count()).toBe(0);
    expect(await page.getByTestId('groups-none').count()).toBe(0);
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), seeds.join(','));
    await expect.poll(() => page.getByTestId('compare-groups').getAttribute('data-groups')).toBe('1');
  });
});
