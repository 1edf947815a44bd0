/**
 * Inspect on first use (issue 25, items 8, 9 and 13), at 960×640: an empty Inspect offers "Start a
 * run"; Inspect from the menu opens on the newest run that learned (not a newer one at chance) on
 * a test image; a test image is picked inside Inspect (index, previous/next), a bad index refused
 * by name; the file input is a styled button and the draw pad says what to draw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Inspect on first use', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-inspect-first-use' });
    await studio.page.setViewportSize({ width: 960, height: 640 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const hash = () => studio.page.evaluate(() => window.location.hash);

  it('without runs, says so and offers to start one', async () => {
    const { page } = studio;
    await page.getByTestId('nav-inspect').click();
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No runs yet');
    const start = page.getByTestId('inspect-start-run');
    expect(await start.isVisible()).toBe(true);
    await studio.screenshot('inspect-empty');
    await start.click();
    await expect.poll(hash).toBe('#/new');
  });

  it('from the menu, opens on the newest run that learned, on a test image', async () => {
    const { page } = studio;
    const learned = seedRun(studio.store(), { epochs: 2, seed: 4, name: 'learned' });
    // Newer, and at chance: the run Inspect used to open on, with nothing to show.
    const broken = seedRun(studio.store(), { epochs: 2, seed: 3, name: 'at chance', flatAccuracy: 0.1 });
    expect(broken).toBeGreaterThan(learned);
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('nav-inspect').click();
    await expect.poll(hash).toBe(`#/inspect/${learned}/0`);
    expect(await page.getByTestId('inspect-run').inputValue()).toBe(String(learned));
    await expect.poll(() => page.getByTestId('test-image-index').inputValue()).toBe('0');
  });

  it('picks a test image inside Inspect: next, previous, a typed index; a bad one is refused', async () => {
    const { page } = studio;
    const id = await page.getByTestId('inspect-run').inputValue();
    await page.getByTestId('test-image-next').click();
    await expect.poll(hash).toBe(`#/inspect/${id}/1`);
    await page.getByTestId('test-image-next').click();
    await expect.poll(hash).toBe(`#/inspect/${id}/2`);
    await page.getByTestId('test-image-prev').click();
    await expect.poll(hash).toBe(`#/inspect/${id}/1`);
    await page.getByTestId('test-image-index').fill('4321');
    await page.getByTestId('test-image-index').press('Enter');
    await expect.poll(hash).toBe(`#/inspect/${id}/4321`);
    expect(await page.getByTestId('test-image-prev').isDisabled()).toBe(false);

    await page.getByTestId('test-image-index').fill('10000');
    await page.getByTestId('test-image-index').press('Enter');
    await expect
      .poll(() => page.getByTestId('test-image-error').textContent())
      .toBe('Test image must be a whole number from 0 to 9,999.');
    expect(await hash()).toBe(`#/inspect/${id}/4321`);
    await page.getByTestId('test-image-index').fill('7');
    await page.getByTestId('test-image-index').press('Enter');
    await expect.poll(hash).toBe(`#/inspect/${id}/7`);
    expect(await page.getByTestId('test-image-error').count()).toBe(0);
  });

  it('offers a styled file button and says what to draw', async () => {
    const { page } = studio;
    const button = page.getByTestId('inspect-file-button');
    expect(await button.isVisible()).toBe(true);
    expect((await button.textContent())?.trim()).toBe('Choose an image…');
    // The label is the project's button, not the browser's native "Choose File".
    expect(await button.evaluate((e) => e.classList.contains('btn'))).toBe(true);
    const input = page.getByTestId('inspect-file');
    expect(await input.evaluate((e) => getComputedStyle(e).opacity)).toBe('0');
    const hint = page.getByTestId('draw-hint');
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.textContent()).toContain('Draw one garment in white');
    await page.getByTestId('test-image-picker').scrollIntoViewIfNeeded();
    await studio.screenshot('inspect-picker');
  });
});
