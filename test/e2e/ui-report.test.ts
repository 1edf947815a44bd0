/**
 * Export → Report from the window: Runs saves the selected runs as one self-contained HTML
 * report through main's save dialog; the file opens in Chromium with the network off, draws its
 * charts and images, and asks for nothing.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

const out = mkdtempSync(join(tmpdir(), 'lenet-report-ui-'));

describe('Export → Report', () => {
  let studio: StudioPage;
  let saveTo: string | null = null;
  const suggested: string[] = [];
  beforeAll(async () => {
    studio = await openStudio({
      label: 'ui-report',
      dialog: (type, options) => {
        if (type !== 'save') return undefined;
        suggested.push(String(options.defaultPath));
        return saveTo ? { canceled: false, filePath: saveTo } : { canceled: true };
      },
    });
    for (let i = 0; i < 2; i++) seedRun(studio.store(), { epochs: 3, seed: i + 1, name: `report ${i + 1}` });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('saves a report of the selected runs that renders offline without a request', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    for (const id of [1, 2])
      await page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-select"]`).check();
    saveTo = join(out, 'report.html');
    await page.getByTestId('runs-export-report').click();
    await expect.poll(() => page.getByTestId('runs-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    expect(suggested.at(-1)).toMatch(/lenet5-report-1-2\.html$/);
    await studio.screenshot('runs-report-saved');
    expect(statSync(saveTo).size).toBeGreaterThan(10_000);
    expect(readFileSync(saveTo, 'utf8')).toContain('2 runs compared: #1, #2');

    const context = await studio.browser.newContext({ offline: true, viewport: { width: 1280, height: 800 } });
    try {
      const report = await context.newPage();
      const requests: string[] = [];
      report.on('request', (r) => requests.push(r.url()));
      await report.goto(pathToFileURL(saveTo).href, { waitUntil: 'load' });
      expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([pathToFileURL(saveTo).href]);
      expect(await report.locator('svg[data-series="2"]').count()).toBe(4);
      const images = await report.$$eval('img', (imgs) => imgs.map((i) => i.complete && i.naturalWidth === 28));
      expect(images.length).toBeGreaterThan(0);
      expect(images.every(Boolean)).toBe(true);
      await report.screenshot({
        path: join(import.meta.dirname, '../../test-artifacts/screenshots/ui-report-file.png'),
      });
    } finally {
      await context.close();
    }
  });

  it('saves a report of one run from its page', async () => {
    const { page } = studio;
    await page.locator('[data-testid="run-row"][data-run-id="2"] [data-testid="run-link"]').click();
    await page.getByTestId('run-page').waitFor();
    saveTo = join(out, 'run-2.html');
    await page.getByTestId('run-export-report').click();
    await expect.poll(() => page.getByTestId('run-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    expect(readFileSync(saveTo, 'utf8')).toContain('<h1>Run #2 report 2</h1>');
    await studio.screenshot('run-report-saved');
  });
});
