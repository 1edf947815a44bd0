import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../src/shared/hyperparams';
import type { RunEvent } from '../../../src/shared/run-events';
import { openStudio, type StudioPage } from '../../support/studio-page';

describe('app shell in Chromium against the real main handlers', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'shell' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the status bar filled from main', async () => {
    const { page } = studio;
    const info = await studio.call('app:info');
    await expect.poll(() => page.getByTestId('status-backend').textContent()).toContain(info.backend);
    expect(await page.getByTestId('status-tfjs').textContent()).toContain(info.tfjsVersion);
    expect(info.tfjsVersion).toMatch(/^4\.22\./);
    // Paths show their last two folders; the whole path is the item's tooltip.
    const dataset = page.getByTestId('status-dataset');
    if (info.dataset.found) {
      expect(await dataset.getAttribute('title')).toBe(info.dataset.dir);
      expect(await dataset.textContent()).toContain(`…/${info.dataset.dir!.split('/').slice(-2).join('/')}`);
    } else expect(await dataset.textContent()).toContain('not found');
    const db = page.getByTestId('status-db');
    expect(await db.getAttribute('title')).toContain(info.dbPath);
    expect(await db.textContent()).toContain(`…/${info.dbPath.split('/').slice(-2).join('/')}`);
    expect(info.dbPath.startsWith(studio.userDataDir)).toBe(true);
  });

  it('navigates between every place and saves a screenshot of each', async () => {
    const { page } = studio;
    const places = [
      ['runs', 'Runs'],
      ['new', 'New run'],
      ['compare', 'Compare'],
      ['model', 'Model'],
      ['dataset', 'Dataset'],
    ] as const;
    for (const [id, title] of places) {
      await page.getByTestId(`nav-${id}`).click();
      await expect.poll(() => page.locator(`[data-testid="page-${id}"] h1`).first().textContent()).toContain(title);
      expect(await page.getByTestId(`nav-${id}`).getAttribute('aria-current')).toBe('page');
      expect(page.url()).toContain(`#/${id}`);
      await studio.screenshot(`place-${id}`);
    }
  });

  it('receives main → renderer events: a run main trains shows in the status bar', async () => {
    const { page } = studio;
    // Nothing is injected here: each event the page shows is one main sent from its trainer.
    const config = { ...PRESETS.quick, epochs: 1, trainSubset: 600, validationFraction: 0 };
    const run = await studio.call('runs:start', { config, name: 'events from main' });
    await expect
      .poll(() => page.getByTestId('status-activity').textContent(), { timeout: 120_000, interval: 200 })
      .toBe(`Run #${run.id}: completed after 1 epoch`);
    const final = studio.sent.filter(
      (m) => m.channel === 'run:event' && (m.payload as RunEvent).runId === run.id,
    ) as Array<{ payload: RunEvent }>;
    expect(final.length).toBeGreaterThan(0);
    // The last one is main's completed event, with the status the store now holds.
    expect(final.at(-1)!.payload.event.type).toBe('completed');
    expect(final.at(-1)!.payload.stored?.status).toBe(studio.store().getRun(run.id).status);
    expect(studio.store().getRun(run.id).status).toBe('completed');
  });
});
