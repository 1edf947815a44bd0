/**
 * Journey: a 2 × 2 sweep over two seeds defined in New run's Sweep mode → 8 runs that finish with
 * never more than two training at once, shown in Runs as one group (8/8) that expands to its runs;
 * a second sweep is stopped as a whole from its group row. Real trainer processes on a tiny
 * subset (500 training images, 1 epoch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/shared/runs';
import { openStudio, type StudioPage } from '../../support/studio-page';

/** The most runs whose [startedAt, finishedAt) intervals overlap at one moment. */
function maxOverlap(runs: RunSummary[]): number {
  const edges = runs.flatMap((r) => [
    { t: r.startedAt!, d: 1 },
    { t: r.finishedAt!, d: -1 },
  ]);
  // An end before a start at the same millisecond: a slot freed and refilled is not an overlap.
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

describe('journey: a sweep from New run, grouped in Runs', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-sweep' });
    await studio.page.setViewportSize({ width: 960, height: 640 });
  });
  afterAll(async () => {
    await studio?.close();
  });

  async function smallBase() {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('1');
    await page.getByTestId('input-trainSubset').fill('500');
    await page.getByTestId('input-validationFraction').fill('0');
    await page.getByTestId('mode-sweep').click();
  }

  async function vary(flag: string, values: string) {
    const { page } = studio;
    await page.getByTestId('sweep-add-field').selectOption(flag);
    await page.getByTestId('sweep-add').click();
    await page.getByTestId(`sweep-vary-${flag}`).getByTestId('sweep-values').fill(values);
  }

  it('defines a 2 × 2 sweep with 2 seeds; its 8 runs finish at most two at a time', async () => {
    const { page } = studio;
    await smallBase();
    await page.getByTestId('sweep-name').fill('lr × batch');
    // A value outside the field's range is named by the field's label, and nothing can start.
    await vary('lr', '0.005, 0');
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toContain('Learning rate');
    expect(await page.getByTestId('start-sweep').isDisabled()).toBe(true);
    await page.getByTestId('sweep-vary-lr').getByTestId('sweep-values').fill('0.005, 0.01');
    await vary('batch-size', '32, 64');
    await page.getByTestId('sweep-seeds').fill('2');
    await page.getByTestId('sweep-parallel').fill('2');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('8 runs');
    expect(await page.getByTestId('sweep-preview').textContent()).toContain('2 at a time');
    await page.getByTestId('sweep-preview').scrollIntoViewIfNeeded();
    await studio.screenshot('sweep-form');
    await page.getByTestId('start-sweep').click();

    await expect.poll(() => page.getByTestId('sweep-group').count(), { timeout: 15_000 }).toBe(1);
    const sweepId = Number(await page.getByTestId('sweep-group').getAttribute('data-sweep-id'));
    await page.getByTestId('sweep-expand').click();
    await expect.poll(() => page.getByTestId('sweep-run').count()).toBe(8);
    await studio.screenshot('sweep-running');
    await expect
      .poll(() => page.getByTestId('sweep-progress').textContent(), { timeout: 150_000, interval: 500 })
      .toBe('8/8');

    const sweep = await studio.call('sweeps:get', { id: sweepId });
    expect(sweep.runs.map((r) => r.status)).toEqual(Array(8).fill('completed'));
    expect(new Set(sweep.runs.map((r) => `${r.learningRate}/${r.batchSize}/${r.seed}`)).size).toBe(8);
    // Two trainers at once, never three: from the runs' stored start and finish times.
    expect(maxOverlap(sweep.runs)).toBe(2);
    expect(await page.getByTestId('sweep-best').textContent()).toMatch(/\d+\.\d\d%/);
    await page.getByTestId('sweep-group').scrollIntoViewIfNeeded();
    await studio.screenshot('sweep-done');
  });

  it('stops a sweep as a whole from its group row', async () => {
    const { page } = studio;
    await smallBase();
    await page.getByTestId('sweep-name').fill('to stop');
    await vary('lr', '0.002, 0.004, 0.006, 0.008');
    await page.getByTestId('sweep-parallel').fill('1');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('4 runs');
    // The first sweep measured this machine's speed, so the preview now estimates the time.
    expect(await page.getByTestId('sweep-estimate').textContent()).toMatch(/^about /);
    await page.getByTestId('start-sweep').click();

    const group = page.locator('[data-testid="sweep-group"]', { hasText: 'to stop' });
    await expect.poll(() => group.count(), { timeout: 15_000 }).toBe(1);
    const sweepId = Number(await group.getAttribute('data-sweep-id'));
    await group.getByTestId('sweep-stop').click();
    await expect.poll(() => page.getByTestId('sweep-stop-confirm').isVisible()).toBe(true);
    await studio.screenshot('sweep-stop-confirm');
    await page.getByTestId('sweep-stop-confirm-confirm').click();

    await expect
      .poll(
        async () =>
          (await studio.call('sweeps:get', { id: sweepId })).runs.filter((r) =>
            ['queued', 'running'].includes(r.status),
          ).length,
        { timeout: 30_000, interval: 250 },
      )
      .toBe(0);
    const stopped = await studio.call('sweeps:get', { id: sweepId });
    expect(stopped.stoppedAt).not.toBeNull();
    expect(stopped.runs.filter((r) => r.status === 'completed').length).toBeLessThan(4);
    await expect.poll(() => group.textContent()).toContain('stopped');
    expect(await group.getByTestId('sweep-stop').count()).toBe(0);
    await studio.screenshot('sweep-stopped');
  });

  it('asks before a sweep of more than 1,000 runs, and saves the trainers-at-once setting', async () => {
    const { page } = studio;
    await smallBase();
    await page.getByTestId('sweep-add-field').selectOption('lr');
    await page.getByTestId('sweep-add').click();
    const lr = page.getByTestId('sweep-vary-lr');
    await lr.getByTestId('sweep-range-mode').check();
    await lr.getByTestId('sweep-min').fill('0.0001');
    await lr.getByTestId('sweep-max').fill('0.01');
    await lr.getByTestId('sweep-points').fill('1000');
    await lr.getByTestId('sweep-log').check();
    await page.getByTestId('sweep-seeds').fill('2');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toBe('2,000 runs');
    const before = (await studio.call('sweeps:list')).length;
    await page.getByTestId('start-sweep').click();
    await expect.poll(() => page.getByTestId('sweep-confirm').isVisible()).toBe(true);
    await studio.screenshot('sweep-confirm-many');
    await page.getByTestId('sweep-confirm-cancel').click();
    await expect.poll(() => page.getByTestId('sweep-confirm').isVisible()).toBe(false);
    expect((await studio.call('sweeps:list')).length).toBe(before);
    // A range the log scale cannot take is refused naming the field by its label.
    await lr.getByTestId('sweep-min').fill('0');
    await expect.poll(() => page.getByTestId('sweep-error').textContent()).toContain('Learning rate');

    await page.getByTestId('nav-runs').click();
    await page.getByTestId('parallel-trainers').fill('0');
    await page.getByTestId('parallel-trainers').press('Enter');
    await expect.poll(() => page.getByTestId('parallel-error').textContent()).toContain('from 1 to 64');
    await page.getByTestId('parallel-trainers').fill('2');
    await page.getByTestId('parallel-trainers').press('Enter');
    await expect.poll(() => page.getByTestId('parallel-saved').count()).toBe(1);
    expect((await studio.call('app:parallel-trainers')).parallel).toBe(2);
  });
});
