/**
 * Opens the *built* renderer in a real Chromium with the *built* preload injected, wired to the
 * *real* main-process handlers running in this test process. Only Electron's transport is
 * replaced: `ipcRenderer.invoke` crosses to `registerHandlers` through `page.exposeBinding`, and
 * main's `send` crosses back with `page.evaluate`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { registerHandlers, type IpcMainLike, type SendFn } from '../../src/main/ipc';
import { createServices, type ServiceOptions, type StudioServices } from '../../src/main/services';
import { forkTrainerProcess } from '../../src/main/trainer/supervisor';
import { CHROMIUM_ARGS, findChromium } from './chromium';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');

export interface StudioPage {
  page: Page;
  browser: Browser;
  services: StudioServices;
  userDataDir: string;
  /** main → renderer, exactly as the app's `send` would. */
  send: SendFn;
  /** Everything main sent, in order. */
  sent: Array<{ channel: string; payload: unknown }>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * After Start on New run: waits for the app to open the new run's own page and returns the run's
 * id, read from the page's `data-run-id` and checked against the `#/run/ID` hash.
 */
export async function openedRunId(page: Page, timeout = 15_000): Promise<number> {
  const runPage = page.getByTestId('run-page');
  await runPage.waitFor({ timeout });
  const id = Number(await runPage.getAttribute('data-run-id'));
  const hash = new URL(page.url()).hash;
  if (!(id > 0) || hash !== `#/run/${id}`)
    throw new Error(`expected the new run's page, got ${hash} showing run ${id}`);
  return id;
}

/**
 * The page-side stand-in for Electron's `require('electron')` inside the preload. It keeps the
 * binding in a closure and deletes it from `window`, so the page sees only what contextBridge
 * exposes, as in the app.
 */
function preloadScript(preloadCode: string): string {
  return `(() => {
  const invokeMain = window.__studioInvoke;
  delete window.__studioInvoke;
  const listeners = new Map();
  window.__studioEmit = (channel, payload) => {
    for (const fn of listeners.get(channel) ?? []) fn({}, payload);
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld(name, value) {
        const freeze = (o) => { if (o && typeof o === 'object') { Object.values(o).forEach(freeze); Object.freeze(o); } return o; };
        Object.defineProperty(window, name, { value: freeze(value), writable: false, configurable: false });
      },
    },
    ipcRenderer: {
      invoke: (channel, ...args) => invokeMain(channel, args),
      on(channel, fn) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(fn); },
      removeListener(channel, fn) { listeners.get(channel)?.delete(fn); },
    },
  };
  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('preload may only require electron, not ' + name);
  };
  (function (require, module, exports) {
${preloadCode}
  })(require, module, module.exports);
})();`;
}

export async function openStudio(
  options: Partial<Omit<ServiceOptions, 'send'>> & { label?: string } = {},
): Promise<StudioPage> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: install Debian chromium or set CHROMIUM_PATH');
  const preloadCode = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
  const rendererUrl = pathToFileURL(join(ROOT, 'out/renderer/index.html')).href;

  const ownsDir = !options.userDataDir;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'lenet-studio-ui-'));
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 880 } })).newPage();

  const sent: StudioPage['sent'] = [];
  const send: SendFn = (channel, payload) => {
    sent.push({ channel, payload });
    page
      .evaluate(([c, p]) => (window as unknown as { __studioEmit(c: string, p: unknown): void }).__studioEmit(c, p), [
        channel,
        payload,
      ] as const)
      .catch(() => {
        /* the page may be closing */
      });
  };

  const services = await createServices({
    userDataDir,
    appVersion: 'test',
    dbPath: options.dbPath ?? join(userDataDir, 'studio.db'),
    dataDir: options.dataDir,
    systemDir: options.systemDir,
    datasetBaseUrl: options.datasetBaseUrl,
    // The built trainer bundle, as the app forks it (only the process launcher differs).
    forkTrainer: () => forkTrainerProcess({ entry: join(ROOT, 'out/main/trainer.js') }),
    send,
  });
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  registerHandlers(ipcMain, send, services);

  await page.exposeBinding('__studioInvoke', async (_source, channel: string, args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) return { ok: false, error: { code: 'unknown-channel', message: `no handler for ${channel}` } };
    return handler({}, ...args);
  });
  await page.addInitScript({ content: preloadScript(preloadCode) });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(rendererUrl);

  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    browser,
    services,
    userDataDir,
    send,
    sent,
    async screenshot(name) {
      const file = join(ARTIFACTS, `${options.label ? `${options.label}-` : ''}${name}.png`);
      // Two animation frames: let a just-scrolled region finish painting before the capture.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
      services.dispose();
      if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
      if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    },
  };
}
