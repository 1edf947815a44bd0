/**
 * Runs the studio as shipped: the *built* main (out/main/index.js) in its own Node process with
 * `electron` resolved to the stand-in (test/support/electron-standin/), and each window it opens
 * shown in a real Chromium with the *built* preload and renderer. This harness plays Electron's
 * renderer side only (renderer-worlds.ts: the preload in an isolated world as webPreferences ask,
 * contextBridge the only way to the page, every IPC payload structured-cloned):
 * `ipcRenderer.invoke` crosses to main's `ipcMain` handlers with the calling frame's URL, main's
 * `webContents.send` reaches the page, and navigations, window.open and permission requests are
 * put to the handlers main registered. Main forks the built trainer
 * itself, through the stand-in's `utilityProcess`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EventName, Events, InvokeArgs, ProcedureName, ResultOf } from '../../src/shared/procedures';
import type { Result } from '../../src/shared/errors';
import { FINAL_STATUSES } from '../../src/shared/runs';
import { openStore, type Store } from '../../src/core/store';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { effectiveRenderer, installRenderer, type Renderer } from './renderer-worlds';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');
export const MAIN_BUNDLE = join(ROOT, 'out/main/index.js');
const STANDIN = join(ROOT, 'test/support/electron-standin/register.mjs');

/** How the test answers a dialog main opens (default: the user cancels). */
export type DialogAnswer = (type: 'open' | 'save' | 'message', options: Record<string, unknown>) => unknown;

export interface StudioOptions {
  /** Prefix of screenshot names. */
  label?: string;
  /** HOME of the app (default: a fresh scratch folder); userData follows Electron's rule under it. */
  home?: string;
  /** Passed as Chromium's `--user-data-dir=` switch, which Electron honours for userData. */
  userDataDir?: string;
  /** `LENET_STUDIO_DB` for the app. */
  dbPath?: string;
  /** The system-wide dataset folder main looks in (`LENET_STUDIO_SYSTEM_DATASET_DIR`). */
  systemDir?: string;
  /** Where main downloads FashionMNIST from (`LENET_STUDIO_DATASET_URL`). */
  datasetBaseUrl?: string;
  /** Extra environment for main. */
  env?: Record<string, string | undefined>;
  dialog?: DialogAnswer;
}

export interface StudioPage {
  page: Page;
  /** The Chromium showing the window, shared by the studios this test process opens: close what you open in it. */
  browser: Browser;
  /** The folder main reported as `app.getPath('userData')`. */
  userDataDir: string;
  home: string;
  /** The main process (the built bundle under the stand-in). */
  main: ChildProcess;
  /**
   * The window's renderer as the stand-in set it up from main's webPreferences (Electron's rules),
   * and a way to evaluate in the preload's isolated world.
   */
  renderer: Pick<Renderer, 'settings' | 'evaluateInPreloadWorld'>;
  /** The channels the page invoked (through the preload), in order: what the window asked main. */
  invoked: string[];
  /** Everything main sent to the window, and what the test sent as main, in order. */
  sent: Array<{ channel: string; payload: unknown }>;
  /** URLs main refused to navigate to or to open in a new window. */
  blocked: string[];
  /** What main printed on stdout and stderr so far. */
  output(): string;
  /** Shows an event in the page as main's `webContents.send` would (for states hard to reach). */
  send<E extends EventName>(channel: E, payload: Events[E]): void;
  /** Calls one of main's handlers as the app page does; returns its data or throws its error. */
  call<N extends ProcedureName>(name: N, ...args: InvokeArgs<N>): Promise<ResultOf<N>>;
  /** Invokes a channel as a frame at `senderUrl` would: main's raw answer (or Electron's error). */
  callAs(senderUrl: string, channel: string, ...args: unknown[]): Promise<{ value?: unknown; error?: string }>;
  /** Asks main's permission handler, as Chromium does for the page. */
  permission(permission: string, requestingUrl?: string): Promise<boolean>;
  /**
   * The test's own connection to the app's database (as a second process would have), for checks
   * the window does not show and for states that take long to reach by training.
   */
  store(): Store;
  screenshot(name: string): Promise<string>;
  /** Closes the window as a user would and waits for main to quit by itself. */
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
 * Starts a run through main as New run's Start does and waits (outside a test: no expect.poll)
 * until it completed: the shared setup of the journeys that need a trained network (Inspect, the
 * feature map). Returns the run's id.
 */
export async function completedRun(
  studio: Pick<StudioPage, 'call'>,
  start: InvokeArgs<'runs:start'>[0],
  timeoutMs = 240_000,
): Promise<number> {
  const { id } = await studio.call('runs:start', start);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await studio.call('runs:get', { id });
    if (status === 'completed') return id;
    if ((FINAL_STATUSES as readonly string[]).includes(status))
      throw new Error(`run #${id} ended ${status} instead of completing`);
    if (Date.now() > deadline) throw new Error(`run #${id} did not complete in ${timeoutMs / 1000} s (${status})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * One Chromium for every studio a test worker opens (vitest runs the UI files without isolation, in
 * one process): each studio gets its own browser context (cookies, storage, routes) and closes only
 * that, so a launch (~0.9 s here) is paid once rather than per file. A browser that died is relaunched.
 */
let browserLaunch: Promise<Browser> | null = null;
async function sharedBrowser(executablePath: string): Promise<Browser> {
  const current = browserLaunch ? await browserLaunch.catch(() => null) : null;
  if (current?.isConnected()) return current;
  browserLaunch = chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return browserLaunch;
}

type FromMain =
  | { kind: 'app-ready'; userData: string; appPath: string }
  | {
      kind: 'window-load';
      callId: number;
      windowId: number;
      url: string;
      preload: string | null;
      webPreferences: Record<string, unknown>;
      sandboxEnabled: boolean;
      options: Record<string, unknown>;
    }
  | { kind: 'send'; windowId: number; channel: string; args: unknown[] }
  | { kind: 'invoke-result'; callId: number; value?: unknown; error?: string }
  | { kind: 'decision'; callId: number; allow: boolean }
  | { kind: 'dialog'; callId: number; type: 'open' | 'save' | 'message'; options: Record<string, unknown> }
  | { kind: 'window-closed'; windowId: number }
  | { kind: 'error-box'; title: string; content: string }
  | { kind: 'app-exit'; code: number };

/** What main asked for its window, for tests of the window's settings. */
export interface WindowRequest {
  url: string;
  preload: string | null;
  webPreferences: Record<string, unknown>;
  sandboxEnabled: boolean;
  options: Record<string, unknown>;
}

/**
 * Starts the built main under the stand-in and resolves when its first window has loaded.
 * `onWindow` lets a start-up test see what main asked for before the page opens.
 */
export async function openStudio(options: StudioOptions = {}): Promise<StudioPage & { window: WindowRequest }> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: install Debian chromium or set CHROMIUM_PATH');

  const scratch = mkdtempSync(join(tmpdir(), 'lenet-studio-ui-'));
  const home = options.home ?? join(scratch, 'home');
  mkdirSync(home, { recursive: true });
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: undefined,
    LENET_STUDIO_DB: options.dbPath,
    LENET_STUDIO_SYSTEM_DATASET_DIR: options.systemDir,
    LENET_STUDIO_DATASET_URL: options.datasetBaseUrl,
    ...options.env,
  };
  const args = options.userDataDir ? [`--user-data-dir=${options.userDataDir}`] : [];
  const main = fork(MAIN_BUNDLE, args, {
    cwd: ROOT,
    execArgv: ['--import', STANDIN],
    serialization: 'advanced',
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  main.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  main.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: { code: number | null; signal: string | null } | null = null;
  const exit = new Promise<void>((r) => main.once('exit', (code, signal) => ((exited = { code, signal }), r())));
  const toMain = (message: Record<string, unknown>): void => {
    if (main.connected) main.send(message);
  };

  let nextCallId = 1;
  const pending = new Map<number, (message: FromMain) => void>();
  function askMain<T extends FromMain>(kind: string, fields: Record<string, unknown>): Promise<T> {
    const callId = nextCallId++;
    return new Promise((r, reject) => {
      if (exited) return reject(new Error(`main has exited (${JSON.stringify(exited)}):\n${output}`));
      pending.set(callId, r as (m: FromMain) => void);
      toMain({ kind, callId, ...fields });
    });
  }
  void exit.then(() => {
    for (const [, r] of pending) r({ kind: 'invoke-result', callId: -1, error: 'main process exited' });
    pending.clear();
  });

  const browser = await sharedBrowser(executablePath);
  // Assigned by openWindow (a callback), so not narrowed to null here.
  let context = null as BrowserContext | null;
  let page: Page | null = null;
  let windowId = 0;
  let appUrl = '';
  let userDataDir = '';
  const sent: StudioPage['sent'] = [];
  const invoked: string[] = [];
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  let testStore: Store | null = null;

  let renderer: Renderer | null = null;
  const emitToPage = (channel: string, args: unknown[]): void => {
    sent.push({ channel, payload: args[0] });
    renderer?.send(channel, args);
  };

  const windowReady = new Promise<WindowRequest>((resolveWindow, rejectWindow) => {
    void exit.then(() => rejectWindow(new Error(`main exited before opening a window:\n${output}`)));
    main.on('message', (message: FromMain) => {
      switch (message.kind) {
        case 'app-ready':
          userDataDir = message.userData;
          return;
        case 'window-load':
          void openWindow(message).then(
            () => {
              toMain({ kind: 'answer', callId: message.callId, value: {} });
              resolveWindow(message);
            },
            (err: Error) => {
              toMain({ kind: 'answer', callId: message.callId, value: { error: err.message } });
              rejectWindow(err);
            },
          );
          return;
        case 'send':
          emitToPage(message.channel, message.args);
          return;
        case 'invoke-result':
        case 'decision': {
          const r = pending.get(message.callId);
          pending.delete(message.callId);
          r?.(message);
          return;
        }
        case 'dialog': {
          const answer =
            options.dialog?.(message.type, message.options) ??
            (message.type === 'save' ? { canceled: true } : { canceled: true, filePaths: [] });
          toMain({ kind: 'answer', callId: message.callId, value: answer });
          return;
        }
        case 'window-closed':
          return;
        case 'error-box':
          output += `[dialog.showErrorBox] ${message.title}: ${message.content}\n`;
          return;
      }
    });
  });

  async function invokeAs(
    senderUrl: string,
    channel: string,
    args: unknown[],
  ): Promise<{ value?: unknown; error?: string }> {
    const answer = await askMain<Extract<FromMain, { kind: 'invoke-result' }>>('invoke', {
      windowId,
      channel,
      args,
      senderUrl,
    });
    return 'error' in answer && answer.error !== undefined ? { error: answer.error } : { value: answer.value };
  }

  async function decide(kind: string, fields: Record<string, unknown>): Promise<boolean> {
    const answer = await askMain<Extract<FromMain, { kind: 'decision' }>>(kind, { windowId, ...fields });
    return answer.allow === true;
  }

  /** Electron's BrowserWindow.loadURL, played in Chromium: preload first, then the page. */
  async function openWindow(request: Extract<FromMain, { kind: 'window-load' }>): Promise<void> {
    if (page) throw new Error('the studio opened a second window; this harness shows one');
    if (!request.preload) throw new Error('main gave the window no preload');
    // The path main computed must exist: a wrong one is a window without its API.
    const preloadCode = readFileSync(request.preload, 'utf8');
    windowId = request.windowId;
    appUrl = request.url;
    context = await browser.newContext({ viewport: { width: 1360, height: 880 } });
    // Chromium's own clipboard permission is granted so that main's handler alone decides.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
    const p = page;
    renderer = await installRenderer(
      context,
      p,
      preloadCode,
      effectiveRenderer(request.webPreferences, request.sandboxEnabled),
      {
        invoke: (url, channel, args) => {
          invoked.push(channel);
          return invokeAs(url, channel, args);
        },
        permission: (url, permission) => decide('permission', { permission, requestingUrl: url }),
      },
    );
    p.on('pageerror', (err) => pageErrors.push(err.message));
    let loaded = false;
    // A navigation the page starts is put to main's will-navigate handlers; the initial load is
    // main's own loadURL, which Electron does not report as will-navigate. A new window's first
    // navigation (window.open, target=_blank) is put to main's window-open handler instead, and a
    // denied one is closed before it loads.
    await context.route('**/*', async (route) => {
      const req = route.request();
      if (!req.isNavigationRequest()) return route.continue();
      let from: Page | null;
      try {
        from = req.frame().page();
      } catch {
        from = null; // a new window's first navigation: its frame does not exist yet
      }
      if (from === null) {
        if (await decide('window-open', { url: req.url() })) {
          pageErrors.push(`main allowed a new window (${req.url()}); the studio should open none`);
          return route.continue();
        }
        blocked.push(req.url());
        return route.abort('aborted');
      }
      // Pages the test opens itself are not the app's; the first load is main's own loadURL.
      if (from !== p || !loaded || req.frame() !== p.mainFrame()) return route.continue();
      if (await decide('will-navigate', { url: req.url(), redirect: req.redirectedFrom() !== null })) {
        return route.continue();
      }
      blocked.push(req.url());
      return route.abort('aborted');
    });
    // Electron never shows a denied window; Chromium has opened it already, so close it.
    p.on('popup', (popup) => void popup.close().catch(() => undefined));
    await p.goto(request.url);
    loaded = true;
  }

  let window: WindowRequest;
  try {
    window = await windowReady;
  } catch (err) {
    await context?.close();
    if (!exited) main.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const thePage = page!;
  // The database main opened, as it reports it (the test opens its own connection to it).
  const info = await invokeAs(appUrl, 'app:info', []);
  const dbPath = (info.value as Result<{ dbPath: string }>).ok
    ? (info.value as { data: { dbPath: string } }).data.dbPath
    : join(userDataDir, 'studio.db');

  return {
    page: thePage,
    browser,
    window,
    userDataDir,
    home,
    main,
    sent,
    blocked,
    output: () => output,
    renderer: renderer!,
    invoked,
    send: (channel, payload) => emitToPage(channel, [payload]),
    async call(channel, ...request) {
      const answer = await invokeAs(appUrl, channel, request);
      if (answer.error) throw new Error(answer.error);
      const result = answer.value as Result<unknown>;
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.data as never;
    },
    callAs: (senderUrl, channel, ...args) => invokeAs(senderUrl, channel, args),
    permission: (permission, requestingUrl = appUrl) => decide('permission', { permission, requestingUrl }),
    store() {
      testStore ??= openStore(dbPath, { skipRecovery: true });
      return testStore;
    },
    async screenshot(name) {
      const file = join(ARTIFACTS, `${options.label ? `${options.label}-` : ''}${name}.png`);
      // Two animation frames: let a just-scrolled region finish painting before the capture.
      await thePage.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await thePage.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      testStore?.close();
      // The user closes the window; main quits by itself (stopping trainers takes up to 10 s).
      toMain({ kind: 'close-window', windowId });
      const quit = await Promise.race([exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 25_000))]);
      if (!quit) main.kill('SIGKILL');
      await context?.close();
      rmSync(scratch, { recursive: true, force: true });
      const problems = [
        ...(quit ? [] : ['main did not quit within 25 s of its window closing']),
        ...(quit && (exited!.code !== 0 || exited!.signal) ? [`main exited with ${JSON.stringify(exited)}`] : []),
        ...(pageErrors.length ? [`page errors: ${pageErrors.join('; ')}`] : []),
      ];
      if (problems.length) throw new Error(`${problems.join('\n')}\n--- main's output ---\n${output}`);
    },
  };
}
