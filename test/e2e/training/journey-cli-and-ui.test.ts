/**
 * One database, two ways in: a run trained headless with `npm run train` and a run started from
 * the window both appear in Runs with their metrics. Neither is told where the database is: the
 * CLI's default location and the app's (Electron's userData rule for our productName) must agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, ROOT, type StudioPage } from '../../support/studio-page';

/** The environment without any database or config-folder override. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['LENET_STUDIO_DB'];
  delete env['XDG_CONFIG_HOME'];
  return env;
}

describe('journey: a CLI run and a UI run in the same Runs list', () => {
  const home = mkdtempSync(join(tmpdir(), 'lenet-cli-ui-home-'));
  let studio: StudioPage | undefined;
  afterAll(async () => {
    await studio?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('lists both runs, each with its accuracy', async () => {
    const cli = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts/cli.mjs'), // as `npm run train` runs it: the built CLI bundle
        'train',
        '--preset',
        'quick',
        '--epochs',
        '1',
        // Both runs on 5,000 images: the journey is about where they are stored, not how well they
        // learn; one epoch on 2,000 left the sigmoid network at 14%, near the 10% `\d{2}.\d{2}%` needs.
        '--train-subset',
        '5000',
        '--name',
        'headless run',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...cleanEnv(), HOME: home } },
    );
    expect(cli.status, cli.stderr).toBe(0);
    // The closing hint names the command that opens the database it wrote: the app's own here.
    expect(cli.stdout).toContain('to look at it in the app: npm start\n');

    studio = await openStudio({ label: 'cli-and-ui', home });
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('input-epochs').fill('1');
    await page.getByTestId('input-trainSubset').fill('5000');
    await page.getByTestId('run-name').fill('window run');
    await page.getByTestId('start-run').click();
    // Start opens the new run's page; both runs are then in Runs.
    const uiRunId = await openedRunId(page);
    await page.getByTestId('nav-runs').click();
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 15_000 }).toBe(2);
    const uiRow = page.locator('[data-testid="run-row"]', { hasText: 'window run' });
    expect(await uiRow.getAttribute('data-run-id')).toBe(String(uiRunId));
    await expect.poll(() => uiRow.getAttribute('data-status'), { timeout: 240_000, interval: 500 }).toBe('completed');
    const cliRow = page.locator('[data-testid="run-row"]', { hasText: 'headless run' });
    expect(await cliRow.getAttribute('data-status')).toBe('completed');
    for (const row of [cliRow, uiRow]) {
      await expect.poll(() => row.getByTestId('run-final').textContent()).toMatch(/^\d{2}\.\d{2}%$/);
      expect(await row.getByTestId('run-epochs').textContent()).toMatch(/1/);
    }
    await studio.screenshot('runs');
  });
});
