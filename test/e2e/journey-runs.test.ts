/**
 * The Runs place with a seeded database (real store, real handlers, real Chromium): empty state,
 * paging through many runs, sorting, filters, inline rename/tags/notes, delete with confirmation,
 * live rows, picking runs for Compare, and a diverged run's page. The runs are recorded with
 * real-shaped trainer events through the store; training itself is covered by the other journeys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import {
  batchPointOf,
  changesRunRow,
  epochRowOf,
  type RunEventPayload,
  type StoredDelta,
} from '../../src/shared/run-events';
import type { TrainerEvent } from '../../src/shared/training';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('journey: runs table', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-runs' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  const store = () => studio.store();
  const rows = () => studio.page.getByTestId('run-row');

  it('says there are no runs yet and links to New run', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No runs yet — start one');
    await studio.screenshot('empty');
    await page.getByTestId('runs-empty-new').click();
    await expect.poll(() => page.url()).toContain('#/new');
    await page.getByTestId('nav-runs').click();
  });

  it('pages through 130 runs, fetched a page at a time from main', async () => {
    const { page } = studio;
    const presets = ['quick', 'seed', 'modern'] as const;
    for (let i = 0; i < 130; i++) {
      seedRun(store(), {
        preset: presets[i % 3],
        name: i === 7 ? 'needle in the haystack' : undefined,
        config: { learningRate: [0.001, 0.003, 0.005, 0.01][i % 4], batchSize: [32, 64, 128][i % 3] },
        epochs: 2 + (i % 3),
        plateau: 0.8 + (i % 10) / 100,
        tags: i % 5 === 0 ? ['baseline'] : i % 7 === 0 ? ['ablation', 'lr'] : [],
        evaluations: false,
        end: i % 17 === 3 ? 'diverged' : i % 19 === 4 ? 'stopped' : 'completed',
        seed: i + 1,
      });
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('runs-table').getAttribute('data-total')).toBe('130');
    expect(await rows().count()).toBe(50);
    expect(await page.getByTestId('runs-count').textContent()).toContain('130');
    // Newest first by default.
    expect(await rows().first().getAttribute('data-run-id')).toBe('130');
    await studio.screenshot('table');
    await page.getByTestId('runs-next').click();
    await expect.poll(() => rows().first().getAttribute('data-run-id')).toBe('80');
    await page.getByTestId('runs-next').click();
    await expect.poll(() => rows().count()).toBe(30);
    await page.getByTestId('runs-prev').click();
    await page.getByTestId('runs-prev').click();
    await expect.poll(() => rows().first().getAttribute('data-run-id')).toBe('130');
  });

  it('sorts by a column in main, both directions', async () => {
    const { page } = studio;
    const expected = store()
      .listRuns({ sort: 'bestTestAccuracy', direction: 'desc', limit: 3 })
      .rows.map((r) => String(r.id));
    await page.getByTestId('sort-bestTestAccuracy').click();
    await expect
      .poll(async () => await rows().evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-run-id'))))
      .toEqual(expected);
    expect(await page.locator('th[data-col="best"]').getAttribute('aria-sort')).toBe('descending');
    const asc = store().listRuns({ sort: 'bestTestAccuracy', direction: 'asc', limit: 1 }).rows[0].id;
    await page.getByTestId('sort-bestTestAccuracy').click();
    await expect.poll(() => rows().first().getAttribute('data-run-id')).toBe(String(asc));
    await page.getByTestId('sort-learningRate').click();
    const lr = store().listRuns({ sort: 'learningRate', direction: 'desc', limit: 1 }).rows[0];
    await expect.poll(() => rows().first().locator('td').nth(5).textContent()).toBe(String(lr.learningRate));
    await page.getByTestId('sort-duration').click();
    const longest = store().listRuns({ sort: 'duration', direction: 'desc', limit: 1 }).rows[0].id;
    await expect.poll(() => rows().first().getAttribute('data-run-id')).toBe(String(longest));
    expect(await page.locator('th[data-col="duration"]').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('sort-createdAt').click();
    await expect.poll(() => rows().first().getAttribute('data-run-id')).toBe('130');
  });

  it('filters by status, preset, tag and text', async () => {
    const { page } = studio;
    const diverged = store().listRuns({ status: 'diverged' }).total;
    await page.getByTestId('runs-filter-status').selectOption('diverged');
    await expect.poll(() => page.getByTestId('runs-table').getAttribute('data-total')).toBe(String(diverged));
    expect(new Set(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))).toEqual(
      new Set(['diverged']),
    );
    await page.getByTestId('runs-filter-status').selectOption('');

    await page.getByTestId('runs-filter-preset').selectOption('modern');
    await expect
      .poll(() => page.getByTestId('runs-table').getAttribute('data-total'))
      .toBe(String(store().listRuns({ preset: 'modern' }).total));
    await page.getByTestId('runs-filter-preset').selectOption('');

    await page.getByTestId('runs-filter-tag').fill('baseline');
    await expect
      .poll(() => page.getByTestId('runs-table').getAttribute('data-total'))
      .toBe(String(store().listRuns({ tag: 'baseline' }).total));
    await studio.screenshot('filter-tag');
    await page.getByTestId('runs-clear-filters').click();

    await page.getByTestId('runs-search').fill('NEEDLE');
    await expect.poll(() => page.getByTestId('runs-table').getAttribute('data-total')).toBe('1');
    expect(await rows().first().getByTestId('run-link').textContent()).toBe('needle in the haystack');

    await page.getByTestId('runs-search').fill('no such run anywhere');
    await expect.poll(() => page.getByTestId('empty-state').textContent()).toContain('No runs match these filters');
    await page.getByTestId('runs-clear-filters').click();
    await expect.poll(() => page.getByTestId('runs-table').getAttribute('data-total')).toBe('130');
  });

  it('renames, tags and annotates a run in place', async () => {
    const { page } = studio;
    const row = page.locator('[data-testid="run-row"][data-run-id="129"]');
    await row.hover();
    await row.getByTestId('run-rename').click();
    await page.getByTestId('run-rename-input').fill('lr sweep — 3e-3');
    await page.getByTestId('run-rename-input').press('Enter');
    await expect.poll(() => row.getByTestId('run-link').textContent()).toBe('lr sweep — 3e-3');
    expect(store().getRun(129).name).toBe('lr sweep — 3e-3');

    // An empty name is refused in place (the schema's words) and nothing is saved.
    await row.getByTestId('run-rename').click();
    await page.getByTestId('run-rename-input').fill('   ');
    await expect.poll(() => row.textContent()).toContain('Name must not be empty');
    await page.getByTestId('run-rename-input').press('Escape');
    expect(store().getRun(129).name).toBe('lr sweep — 3e-3');

    await row.getByTestId('run-add-tag').click();
    await page.getByTestId('run-tag-input').fill('keeper');
    await page.getByTestId('run-tag-input').press('Enter');
    await expect
      .poll(() => row.getByTestId('run-tag').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('keeper')]));
    expect(store().getRun(129).tags).toContain('keeper');

    await row.getByTestId('run-notes-toggle').click();
    await page.getByTestId('run-notes-input').fill('Smoother than 1e-2; try cosine next.');
    await page.getByTestId('run-notes-save').click();
    await expect.poll(() => store().getRun(129).notes).toBe('Smoother than 1e-2; try cosine next.');
    await expect.poll(() => row.getByTestId('run-notes-toggle').textContent()).toContain('Smoother than');
    await studio.screenshot('edited');
  });

  it('deletes a run only after confirmation', async () => {
    const { page } = studio;
    const row = page.locator('[data-testid="run-row"][data-run-id="128"]');
    await row.getByTestId('run-delete').click();
    await expect.poll(() => page.getByTestId('delete-dialog').textContent()).toContain('cannot be undone');
    await studio.screenshot('delete-confirm');
    await page.getByTestId('delete-dialog-cancel').click();
    expect(store().getRun(128).id).toBe(128);

    await row.getByTestId('run-delete').click();
    await page.getByTestId('delete-dialog-confirm').click();
    await expect.poll(() => page.locator('[data-testid="run-row"][data-run-id="128"]').count()).toBe(0);
    expect(() => store().getRun(128)).toThrow(/does not exist/);
    await expect.poll(() => page.getByTestId('runs-table').getAttribute('data-total')).toBe('129');
  });

  it('updates a training run’s row from run events, with what main stored', async () => {
    const { page } = studio;
    const id = seedRun(store(), {
      name: 'live one',
      epochs: 1,
      end: 'running',
      evaluations: false,
      config: { epochs: 3 },
    });
    await page.reload();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('running');
    // As main does (core/runs/run-service.ts): store the event, then send it with what was stored,
    // read back from the store here.
    const sendStored = (event: TrainerEvent & RunEventPayload, extra: Omit<StoredDelta, 'status'> = {}) => {
      const status = store().recordEvent(id, event);
      const summary = changesRunRow(event) ? store().runSummaries([id])[0] : undefined;
      studio.send('run:event', { runId: id, event, stored: { status, ...(summary ? { summary } : {}), ...extra } });
    };
    const batch = {
      type: 'batch',
      epoch: 2,
      batch: 40,
      batchesPerEpoch: 80,
      loss: 0.6,
      accuracy: 0.8,
      imagesPerSec: 3100,
    } as const;
    sendStored(batch, { batchPoint: batchPointOf(batch) });
    await expect.poll(() => row.getByTestId('status-badge').textContent()).toContain('epoch 2/3 · 50%');
    await studio.screenshot('live-row');
    const epoch = {
      type: 'epoch',
      epoch: 2,
      trainLoss: 0.5,
      trainAccuracy: 0.83,
      validationLoss: 0.52,
      validationAccuracy: 0.82,
      testLoss: 0.53,
      testAccuracy: 0.815,
      learningRate: 0.005,
      seconds: 20,
      imagesPerSec: 3000,
    } as const;
    // The row that came with the epoch is shown as it is: the window does not ask main again.
    const listsBefore = studio.invoked.filter((c) => c === 'runs:list').length;
    sendStored(epoch, { epochRow: epochRowOf(epoch) });
    await expect.poll(() => row.getByTestId('run-epochs').textContent()).toContain('2');
    await expect.poll(() => row.getByTestId('run-final').textContent()).toBe('81.50%');
    expect(studio.invoked.filter((c) => c === 'runs:list').length).toBe(listsBefore);
    sendStored({ type: 'stopped', epochs: 2 });
    await expect.poll(() => row.getAttribute('data-status')).toBe('stopped');
  });

  it('picks two runs and opens Compare', async () => {
    const { page } = studio;
    await page.locator('[data-testid="run-row"][data-run-id="127"] [data-testid="run-select"]').check();
    expect(await page.getByTestId('compare-open').isDisabled()).toBe(true);
    await page.locator('[data-testid="run-row"][data-run-id="126"] [data-testid="run-select"]').check();
    expect(await page.getByTestId('compare-count').textContent()).toBe('2');
    await studio.screenshot('selected');
    await page.getByTestId('compare-open').click();
    await expect.poll(() => page.url()).toContain('#/compare/127,126');
    await expect.poll(() => page.getByTestId('compare-run-chip').count()).toBe(2);
    expect(await page.getByTestId('nav-compare').getAttribute('aria-current')).toBe('page');
  });

  it('shows a diverged run’s error in plain words, with Runs highlighted', async () => {
    const { page } = studio;
    const id = store().listRuns({ status: 'diverged', limit: 1 }).rows[0].id;
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-filter-status').selectOption('diverged');
    await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-link"]`).click();
    await expect.poll(() => page.getByTestId('run-problem').textContent()).toContain('Training diverged');
    expect(await page.getByTestId('run-problem').textContent()).toContain('loss became NaN');
    expect(await page.getByTestId('nav-runs').getAttribute('aria-current')).toBe('page');
    await studio.screenshot('diverged-run');
    await page.goto(page.url().replace(/#.*$/, '#/run/99999'));
    await expect.poll(() => page.getByTestId('run-error').textContent()).toContain('There is no run #99999');
  });

  it('compares twenty runs at once (the most Compare takes)', async () => {
    const { page } = studio;
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-clear-filters').click();
    if (await page.getByTestId('compare-clear').count()) await page.getByTestId('compare-clear').click();
    // "Select the page" stops at the compare limit.
    await page.getByTestId('runs-select-page').check();
    await expect.poll(() => page.getByTestId('compare-count').textContent()).toBe('20');
    expect(await page.locator('[data-testid="run-select"]:disabled').count()).toBeGreaterThan(0);
    await page.getByTestId('compare-open').click();
    await expect.poll(() => page.getByTestId('compare-curves').getAttribute('data-series')).toBe('20');
    expect(await page.getByTestId('compare-legend-item').count()).toBe(20);
    await studio.screenshot('compare-20');
  });

  it('shows a finished run’s page in the dark theme', async () => {
    const { page } = studio;
    const id = seedRun(store(), {
      name: 'dark-mode check',
      preset: 'modern',
      epochs: 15,
      batchesPerEpoch: 60,
      plateau: 0.9,
      tags: ['baseline'],
      notes: 'Seeded with real-shaped events.',
      seed: 99,
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(page.url().replace(/#.*$/, `#/run/${id}`));
    await expect.poll(() => page.getByTestId('cm-cell').count()).toBe(100);
    await expect.poll(() => page.getByTestId('chart-batch-loss').getAttribute('data-points')).not.toBe('0');
    expect(Number(await page.getByTestId('chart-accuracy').getAttribute('data-points'))).toBe(45);
    await studio.screenshot('run-dark');
    await page.getByTestId('run-confusion').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('[data-testid="run-gallery"] [data-testid="gallery-item"]').count()).toBe(48);
    await studio.screenshot('run-dark-confusion');
    // The role toggle switches the matrix to the best epoch's evaluation.
    await page.getByTestId('confusion-role-best').click();
    await expect.poll(() => page.getByTestId('confusion-caption').textContent()).toContain('Best epoch');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('starts a new run from this run’s configuration', async () => {
    const { page } = studio;
    const run = store().listRuns({ text: 'dark-mode check' }).rows[0];
    await page.getByTestId('run-start-from').click();
    await expect.poll(() => page.url()).toContain('#/new');
    await expect.poll(() => page.getByTestId('based-on').textContent()).toMatch(/dark-mode check|modern preset/);
    expect(await page.getByTestId('input-learningRate').inputValue()).toBe(String(run.learningRate));
    expect(await page.getByTestId('input-epochs').inputValue()).toBe(String(run.epochs));
    expect(await page.getByTestId('input-batchSize').inputValue()).toBe(String(run.batchSize));
  });
});
