/**
 * Journey: a run stopped after its first epoch is resumed from its page and trains on to its last
 * epoch on the same run (its curves continue); a completed run offers Extend, not Resume. Real
 * trainer process, tiny subset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/shared/hyperparams';
import { openStudio, type StudioPage } from '../../support/studio-page';

describe('journey: resume a stopped run', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-resume' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('Resume continues a stopped run from its checkpoint to its last epoch', async () => {
    const { page } = studio;
    const config = { ...PRESETS.quick, epochs: 3, trainSubset: 600, validationFraction: 0 };
    const run = await studio.call('runs:start', { config, name: 'stopped, then resumed' });
    await expect
      .poll(() => studio.store().getRun(run.id).epochsDone, { timeout: 120_000, interval: 200 })
      .toBeGreaterThanOrEqual(1);
    await studio.call('runs:stop', { id: run.id });
    await expect.poll(() => studio.store().getRun(run.id).status, { timeout: 60_000, interval: 200 }).toBe('stopped');
    const stoppedAt = studio.store().getRun(run.id).epochsDone;
    expect(stoppedAt).toBeLessThan(3);

    await page.evaluate((id) => (location.hash = `#/run/${id}`), run.id);
    await expect.poll(() => page.getByTestId('run-page').getAttribute('data-status')).toBe('stopped');
    await expect.poll(() => page.getByTestId('run-resume').count()).toBe(1);
    await studio.screenshot('stopped-with-resume');
    await page.getByTestId('run-resume').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 120_000, interval: 250 })
      .toBe('completed');
    const done = studio.store().getRun(run.id);
    expect(done.epochMetrics.map((e) => e.epoch)).toEqual([1, 2, 3]);
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBe(3);
    expect(await page.getByTestId('run-resume').count()).toBe(0);
    expect(await page.getByTestId('run-extend').count()).toBe(1);
    await studio.screenshot('resumed-completed');
  });
});
