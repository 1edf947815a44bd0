/**
 * Export from the window: Runs saves the selected runs as JSON or their metrics as CSV through
 * main's save dialog, and a run's page saves that run. The files are read back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

const out = mkdtempSync(join(tmpdir(), 'lenet-export-'));

describe('export buttons', () => {
  let studio: StudioPage;
  /** What the save dialog answers next: a path, or null for Cancel. */
  let saveTo: string | null = null;
  const suggested: string[] = [];
  beforeAll(async () => {
    studio = await openStudio({
      label: 'ui-export',
      dialog: (type, options) => {
        if (type !== 'save') return undefined;
        suggested.push(String(options.defaultPath));
        return saveTo ? { canceled: false, filePath: saveTo } : { canceled: true };
      },
    });
    for (let i = 0; i < 3; i++) seedRun(studio.store(), { epochs: 2, seed: i + 1, name: `export ${i + 1}` });
    await studio.page.setViewportSize({ width: 960, height: 640 });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(out, { recursive: true, force: true });
  });

  const select = (id: number) =>
    studio.page.locator(`[data-testid="run-row"][data-run-id="${id}"] [data-testid="run-select"]`).check();

  it('saves the selected runs as JSON and their metrics as CSV from Runs', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3);
    await select(1);
    await select(3);
    saveTo = join(out, 'runs.json');
    await page.getByTestId('runs-export-json').click();
    await expect.poll(() => page.getByTestId('runs-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    const json = JSON.parse(readFileSync(saveTo, 'utf8')) as { runs: { id: number; name: string }[] };
    expect(json.runs.map((r) => r.id).sort()).toEqual([1, 3]);
    expect(suggested.at(-1)).toMatch(/lenet5-runs-.*\.json$/);
    await studio.screenshot('runs-exported');

    saveTo = join(out, 'metrics.csv');
    await page.getByTestId('runs-export-csv').click();
    await expect.poll(() => page.getByTestId('runs-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    const lines = readFileSync(saveTo, 'utf8').trim().split('\n');
    // A header, then one row per run and epoch.
    expect(lines.length).toBe(1 + 2 * 2);
  });

  it('writes nothing and says nothing when the dialog is cancelled', async () => {
    const { page } = studio;
    saveTo = null;
    await page.getByTestId('runs-export-json').click();
    await expect.poll(() => suggested.length).toBe(3);
    expect((await page.getByTestId('runs-export-outcome').textContent())!.trim()).toBe('');
  });

  it('saves one run from its page', async () => {
    const { page } = studio;
    await page.locator('[data-testid="run-row"][data-run-id="2"] [data-testid="run-link"]').click();
    await page.getByTestId('run-page').waitFor();
    saveTo = join(out, 'run-2.json');
    await page.getByTestId('run-export-json').click();
    await expect.poll(() => page.getByTestId('run-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    const json = JSON.parse(readFileSync(saveTo, 'utf8')) as { runs: { id: number; name: string }[] };
    expect(json.runs.map((r) => [r.id, r.name])).toEqual([[2, 'export 2']]);
    await studio.screenshot('run-exported');
  });
});
