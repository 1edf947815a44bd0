import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type StudioPage } from '../support/studio-page';

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
    const dataset = await page.getByTestId('status-dataset').textContent();
    if (info.dataset.found) expect(dataset).toContain(info.dataset.dir);
    else expect(dataset).toContain('not found');
    expect(await page.getByTestId('status-db').textContent()).toContain(info.dbPath);
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

  it('receives a main → renderer event', async () => {
    const { page } = studio;
    studio.send('run:event', { runId: 7, event: { type: 'status', message: 'hello from main' } });
    await expect.poll(() => page.getByTestId('status-activity').textContent()).toBe('Run #7: hello from main');
  });
});
