/**
 * What a run's page says about its state, from the events main sends (states that are brief or
 * slow to reach by training): a queued run says what the trainer is doing or which run it waits
 * for, the last evaluation is not "about 0s left", and an automatic name does not repeat the id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('run states in words', () => {
  let studio: StudioPage;
  let running = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-run-states' });
    running = seedRun(studio.store(), { epochs: 1, end: 'running', evaluations: false, config: { epochs: 2 } });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const openRun = async (id: number) => {
    await studio.page.evaluate((runId) => (location.hash = `#/run/${runId}`), id);
    await expect.poll(() => studio.page.getByTestId('run-page').getAttribute('data-run-id')).toBe(String(id));
  };

  it('names a run after its preset alone: the id is shown beside it, not repeated in it', async () => {
    const id = studio.store().createRun(PRESETS.seed, { preset: 'seed' });
    expect(studio.store().getRun(id).name).toBe('seed');
    await openRun(id);
    expect(await studio.page.getByTestId('run-title').textContent()).toBe('seed');
  });

  it('says what a queued run is waiting for: the trainer’s words, or the run training before it', async () => {
    const { page } = studio;
    const preparing = studio.store().createRun(PRESETS.quick, { preset: 'quick' });
    await openRun(preparing);
    studio.send('run:event', {
      runId: preparing,
      event: { type: 'status', message: 'Reading FashionMNIST from /usr/share/datasets/fashion-mnist' },
    });
    await expect
      .poll(() => page.getByTestId('run-queued').textContent())
      .toContain('Reading FashionMNIST from /usr/share/datasets/fashion-mnist…');
    expect(await page.getByTestId('run-live').textContent()).toContain('Preparing');
    expect(await page.getByTestId('run-live').textContent()).not.toContain('one at a time');
    await studio.screenshot('preparing');

    const waiting = studio.store().createRun(PRESETS.quick, { preset: 'quick' });
    await openRun(waiting);
    studio.send('run:event', {
      runId: running,
      event: { type: 'batch', epoch: 2, batch: 10, batchesPerEpoch: 80, loss: 0.6, accuracy: 0.8, imagesPerSec: 3100 },
    });
    await expect
      .poll(() => page.getByTestId('run-queued').textContent())
      .toContain(`Waiting for run #${running} to finish (runs train one at a time).`);
  });

  it('says the final test evaluation is running instead of "about 0s left"', async () => {
    const { page } = studio;
    await openRun(running);
    studio.send('run:event', {
      runId: running,
      event: { type: 'batch', epoch: 2, batch: 80, batchesPerEpoch: 80, loss: 0.5, accuracy: 0.8, imagesPerSec: 3100 },
    });
    await expect.poll(() => page.getByTestId('run-eta').textContent()).toContain('final test evaluation…');
    expect(await page.getByTestId('run-eta').textContent()).not.toContain('0s left');
  });

  it('labels what the numbers are, one number format per column', async () => {
    const { page } = studio;
    const a = seedRun(studio.store(), {
      epochs: 2,
      seed: 7,
      config: { learningRate: 0.00225 },
      name: 'lr a',
      batchesPerEpoch: 100,
      batchEvery: 10,
    });
    seedRun(studio.store(), { epochs: 2, seed: 8, config: { learningRate: 0.00075 }, name: 'lr b' });
    await page.getByTestId('nav-runs').click();
    await page.reload();
    await expect.poll(() => page.getByTestId('run-lr').count()).toBeGreaterThanOrEqual(2);
    const cells = await page.getByTestId('run-lr').allTextContents();
    // 0.00075 needs an exponent, so the whole column uses one: no "7.5e-4" beside "0.00225".
    expect(cells).toContain('2.25e-3');
    expect(cells).toContain('7.5e-4');
    expect(cells.every((c) => /e-\d$/.test(c) || c === '—')).toBe(true);
    await openRun(a);
    expect(await page.getByTestId('train-accuracy-note').textContent()).toContain(
      "average over the epoch's batches while the weights were still changing",
    );
    await expect.poll(() => page.getByTestId('batch-chart-title').textContent()).toContain('mean of every 10 batches');
  });
});
