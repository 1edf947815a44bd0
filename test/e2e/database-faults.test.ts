/**
 * A database file the app cannot use must not keep the window from working: the status bar says
 * what is wrong and names the file, runs requests answer with the same words, and the file is left
 * exactly as it was.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudioBridge } from '../../src/shared/procedures';
import { openStudio } from '../support/studio-page';

describe('an unusable run database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-dbfault-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a corrupt file: the window still opens, says why, and the file is not overwritten', async () => {
    const dbPath = join(dir, 'studio.db');
    const junk = Buffer.from('this is not a SQLite database, it is a shopping list: eggs, milk\n'.repeat(100));
    writeFileSync(dbPath, junk);
    const studio = await openStudio({ label: 'db-corrupt', userDataDir: dir, dbPath });
    try {
      const status = studio.page.getByTestId('status-db');
      await expect.poll(() => status.textContent()).toContain('Run database unavailable');
      expect(await status.textContent()).toContain(dbPath);
      const list = await studio.page.evaluate(() =>
        (window as unknown as { studio: StudioBridge }).studio.invoke('runs:list', {}),
      );
      expect(list).toMatchObject({ ok: false, error: { code: 'corrupt' } });
      expect(!list.ok && list.error.message).toContain(dbPath);
      // The rest of the studio works: the Model place renders from the shared spec.
      await studio.page.getByTestId('nav-model').click();
      await expect.poll(() => studio.page.getByTestId('page-model').textContent()).toContain('61,706');
      await studio.screenshot('status');
    } finally {
      await studio.close();
    }
    expect(readFileSync(dbPath).equals(junk)).toBe(true);
  });
});
