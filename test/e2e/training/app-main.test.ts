/**
 * The main bundle we ship (out/main/index.js), started as Electron would start it — here in Node
 * under the Electron stand-in — with its window in Chromium: what it asks for its window, where it
 * keeps its data, what it lets the page do, and that a trainer's fatal error does not take it down.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, ROOT, type StudioPage } from '../../support/studio-page';

describe('the shipped main bundle, started', () => {
  let studio: Awaited<ReturnType<typeof openStudio>>;
  beforeAll(async () => {
    studio = await openStudio({ label: 'app-main' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('opens one locked-down window on the built renderer with the built preload', () => {
    const { window } = studio;
    expect(window.url).toBe(new URL(`file://${join(ROOT, 'out/renderer/index.html')}`).href);
    expect(window.preload).toBe(join(ROOT, 'out/preload/index.cjs'));
    expect(window.sandboxEnabled).toBe(true);
    expect(window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(window.options['title']).toBe('LeNet5 Studio');
    const icon = window.options['icon'];
    expect(typeof icon === 'string' && existsSync(icon), `window icon ${String(icon)}`).toBe(true);
  });

  it("keeps its data where Electron's userData rule puts it for productName, the CLI's default too", async () => {
    expect(studio.userDataDir).toBe(join(studio.home, '.config', 'LeNet5 Studio'));
    const info = await studio.call('app:info');
    expect(info.dbPath).toBe(join(studio.userDataDir, 'studio.db'));
    expect(info.dbError).toBeNull();
    expect(existsSync(info.dbPath)).toBe(true);
  });

  it('answers only its own page: a call from another frame is refused', async () => {
    const answer = await studio.callAs('https://example.com/', 'app:info');
    expect(answer.value).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await studio.callAs(studio.page.url(), 'no:such-channel')).toEqual({
      error: "Error invoking remote method 'no:such-channel': Error: No handler registered for 'no:such-channel'",
    });
  });

  it('lets the page write the clipboard, and nothing else', async () => {
    expect(await studio.permission('clipboard-sanitized-write')).toBe(true);
    expect(await studio.permission('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation']) {
      expect(await studio.permission(p), p).toBe(false);
    }
    // The Model place's Copy button, as the user clicks it, puts the summary on the clipboard.
    const { page } = studio;
    await page.getByTestId('nav-model').click();
    const summary = await page.getByTestId('model-summary').textContent();
    await page.getByRole('button', { name: 'Copy' }).first().click();
    await expect.poll(() => page.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    // Read it back from a page outside the app (the app's own page may not read the clipboard).
    const reader = await page.context().newPage();
    await reader.goto(pathToFileURL(join(ROOT, 'README.md')).href);
    await reader.bringToFront();
    expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(summary);
    await reader.close();
    await page.bringToFront();
  });

  it('stays on its page when the page tries to navigate or open a window', async () => {
    const { page } = studio;
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/away';
    });
    await expect.poll(() => studio.blocked).toContain('https://example.com/away');
    expect(page.url()).toBe(before);
    await page.evaluate(() => void window.open('https://example.com/popup'));
    await expect.poll(() => studio.blocked).toContain('https://example.com/popup');
    await expect.poll(() => page.context().pages().length).toBe(1);
    expect(studio.output()).toContain('[security] blocked navigation to https://example.com/away');
  });
});

describe('a trainer that dies of a V8 fatal error', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    // The stand-in's utility process aborts on its first message, as a heap exhaustion does.
    studio = await openStudio({ label: 'trainer-fatal', env: { LENET_STANDIN_UTILITY_ABORT: '1' } });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('fails that run and leaves main running', async () => {
    const { page } = studio;
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await page.getByTestId('start-run').click();
    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('failed');
    const [run] = (await studio.call('runs:list', {})).rows;
    expect(run.status).toBe('failed');
    expect(studio.output()).toMatch(/\[trainer\] FatalError/);
    // main still answers, and quits cleanly when the window closes (checked by close()).
    expect((await studio.call('app:info')).dbError).toBeNull();
  });
});
