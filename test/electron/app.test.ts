/**
 * The real app in the real Electron runtime, under Xvfb. Runs only where the Electron binary has
 * been downloaded; elsewhere it is reported as skipped, with the reason in the test name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { electronBinaryPath, electronSqliteBindingPath } from '../../scripts/electron-binary.mjs';
import { ROOT } from '../support/studio-page';

const binary: string | null = electronBinaryPath();
const hasXvfb = spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status === 0;
const nativeBinding: string = process.env['LENET_SQLITE_BINDING'] || electronSqliteBindingPath();
const reason = !binary
  ? 'no Electron binary (its download host is unreachable here)'
  : !process.env['DISPLAY'] && !hasXvfb
    ? 'no display and no Xvfb'
    : !nativeBinding || !existsSync(nativeBinding)
      ? 'no Electron-ABI better-sqlite3 (run `npm start` once to build it)'
      : null;

// Say why in the run's output too: the default reporter shows only a count of skipped tests.
if (reason) console.warn(`[electron] real-Electron test skipped: ${reason}`);

describe('real Electron window', () => {
  let xvfb: ChildProcess | null = null;
  afterAll(() => {
    xvfb?.kill();
  });

  it.skipIf(reason !== null)(
    `opens locked down with the status bar filled${reason ? ` (skipped: ${reason})` : ''}`,
    async () => {
      let display = process.env['DISPLAY'];
      if (!display) {
        display = ':97';
        xvfb = spawn('Xvfb', [display, '-screen', '0', '1400x900x24'], { stdio: 'ignore' });
        // The server is up once its socket exists.
        await expect.poll(() => existsSync('/tmp/.X11-unix/X97'), { timeout: 20_000, interval: 50 }).toBe(true);
      }
      const userData = mkdtempSync(join(tmpdir(), 'lenet-electron-'));
      const app = await electron.launch({
        executablePath: binary!,
        args: [ROOT, '--no-sandbox', `--user-data-dir=${userData}`],
        env: {
          ...process.env,
          DISPLAY: display,
          LENET_STUDIO_DB: join(userData, 'studio.db'),
          LENET_SQLITE_BINDING: nativeBinding,
        },
      });
      try {
        const page = await app.firstWindow();
        await expect.poll(() => page.getByTestId('status-backend').textContent()).toMatch(/tensorflow|wasm/);
        const reach = await page.evaluate(() => [
          typeof (window as never)['require'],
          typeof (window as never)['process'],
        ]);
        expect(reach).toEqual(['undefined', 'undefined']);
        const before = page.url();
        // Main says when it refuses a navigation (console.warn on its stderr): wait for that.
        const refused = new Promise<void>((resolve) => {
          let said = '';
          app.process().stderr?.on('data', (chunk: Buffer) => {
            said += chunk.toString();
            if (said.includes('[security] blocked navigation to https://example.com/')) resolve();
          });
        });
        await page.evaluate(() => {
          window.location.href = 'https://example.com/';
        });
        await refused;
        expect(page.url()).toBe(before);
        await page.screenshot({ path: join(ROOT, 'test-artifacts', 'screenshots', 'electron-window.png') });
      } finally {
        await app.close();
      }
    },
  );
});
