/**
 * The window's save dialog pointed at the studio's own database: the export is refused by name,
 * the window says so, and the database is as it was (integrity ok, the run still listed). Then a
 * file of the user's own is saved as usual.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';

const out = mkdtempSync(join(tmpdir(), 'lenet-export-own-'));

describe('the save dialog pointed at the studio database', () => {
  let studio: StudioPage;
  let saveTo = '';
  beforeAll(async () => {
    studio = await openStudio({
      label: 'export-refuses-studio-files',
      dialog: (type) => (type === 'save' ? { canceled: false, filePath: saveTo } : undefined),
    });
    seedRun(studio.store(), { epochs: 2, name: 'precious' });
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('is refused by name, and the database keeps its run', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    await page.locator('[data-testid="run-row"] [data-testid="run-select"]').check();
    saveTo = studio.store().path;
    await page.getByTestId('runs-export-json').click();
    await expect
      .poll(() => page.getByTestId('runs-export-outcome').textContent())
      .toContain(`Not saved: ${saveTo} is the run database`);
    expect(studio.store().integrityCheck()).toBe('ok');
    expect(
      studio
        .store()
        .listRuns({})
        .rows.map((r) => r.name),
    ).toEqual(['precious']);

    saveTo = join(out, 'runs.json');
    await page.getByTestId('runs-export-json').click();
    await expect.poll(() => page.getByTestId('runs-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    expect((JSON.parse(readFileSync(saveTo, 'utf8')) as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it('exports the other runs when one is damaged, and names the one left out', async () => {
    const { page } = studio;
    const damaged = seedRun(studio.store(), { epochs: 1, name: 'damaged' });
    const raw = new Database(studio.store().path);
    raw.prepare(`UPDATE runs SET config_json = '{"broken' WHERE id = ?`).run(damaged);
    raw.close();
    await page.reload();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    for (const box of await page.locator('[data-testid="run-row"] [data-testid="run-select"]').all()) await box.check();
    saveTo = join(out, 'partly.json');
    await page.getByTestId('runs-export-json').click();
    await expect
      .poll(() => page.getByTestId('runs-export-outcome').textContent())
      .toContain(`left out damaged run #${damaged}`);
    const doc = JSON.parse(readFileSync(saveTo, 'utf8')) as { runs: { name: string }[] };
    expect(doc.runs.map((r) => r.name)).toEqual(['precious']);
  });
});
