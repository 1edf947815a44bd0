/**
 * Electron's renderer side of a window, played in a real Chromium page through the DevTools
 * protocol (a CDP session from Playwright): the built preload runs in an isolated world
 * (Page.addScriptToEvaluateOnNewDocument with a worldName), reaches main only through a binding
 * that exists in that world alone (Runtime.addBinding with executionContextName), and reaches the
 * page only through contextBridge.exposeInMainWorld (electron-standin/main-world.js). What main
 * asked for in `webPreferences` (and `app.enableSandbox()`) decides, by Electron's rules, whether
 * the preload is isolated, sandboxed, and whether the page gets Node's globals.
 *
 * What this still does not model of Electron: a separate renderer process per window (the page and
 * the preload share one Chromium renderer, and Chromium runs with --no-sandbox); the sandboxed
 * preload's polyfills (Buffer, process, timers: the built preload uses none); ipcRenderer's send,
 * sendSync, postMessage and MessagePorts (the app uses invoke and on only); preloads in subframes
 * and workers (nodeIntegrationInSubFrames/InWorker); contextBridge's handling of cyclic values and
 * of promises passed *into* the preload; and contextBridge's immunity to the page replacing DOM
 * prototypes before it runs (ours captures them first, which holds because it runs before any page
 * script). Non-sandboxed Node modules are named stand-ins, not Node.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
// @ts-expect-error -- a plain .mjs shared with the page's worlds (no types on purpose)
import { fromWire, toWire } from './electron-standin/wire.mjs';

const STANDIN_DIR = join(import.meta.dirname, 'electron-standin');
const WORLD = 'electron-preload';

/** What the renderer of a window is, from what main asked for (Electron ≥ 20's defaults). */
export interface RendererSettings {
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
}

export function effectiveRenderer(prefs: Record<string, unknown>, sandboxEnabled: boolean): RendererSettings {
  const nodeIntegration = prefs['nodeIntegration'] === true;
  // app.enableSandbox() sandboxes every renderer whatever its webPreferences; otherwise a window
  // is sandboxed unless it asks for `sandbox: false` or for nodeIntegration.
  const sandbox = sandboxEnabled || ((prefs['sandbox'] as boolean | undefined) ?? !nodeIntegration);
  return {
    contextIsolation: (prefs['contextIsolation'] as boolean | undefined) ?? true,
    sandbox,
    // A sandboxed renderer never has Node, whatever nodeIntegration says.
    nodeIntegration: nodeIntegration && !sandbox,
  };
}

export interface RendererHooks {
  /** ipcRenderer.invoke from the page's frame at `url`: main's answer, or Electron's error text. */
  invoke(url: string, channel: string, args: unknown[]): Promise<{ value?: unknown; error?: string }>;
  permission(url: string, permission: string): Promise<boolean>;
}

export interface Renderer {
  settings: RendererSettings;
  /** main's webContents.send reaching the preload's ipcRenderer listeners. */
  send(channel: string, args: unknown[]): void;
  /** Evaluates an expression in the preload's world (for tests of what the preload can reach). */
  evaluateInPreloadWorld(expression: string): Promise<unknown>;
}

const wireSource = readFileSync(join(STANDIN_DIR, 'wire.mjs'), 'utf8').replace(/^export /gm, '');

function script(file: string, config: Record<string, unknown>, preload: string): string {
  return readFileSync(join(STANDIN_DIR, file), 'utf8')
    .replace('/*CONFIG*/ null', () => JSON.stringify(config))
    .replace('/*WIRE*/', () => wireSource)
    .replace('/*PRELOAD*/', () => preload);
}

/** Sets the page up as Electron's renderer for a window; call before the page loads. */
export async function installRenderer(
  context: BrowserContext,
  page: Page,
  preloadCode: string,
  settings: RendererSettings,
  hooks: RendererHooks,
): Promise<Renderer> {
  const cdp: CDPSession = await context.newCDPSession(page);
  const binding = `__electronIpc_${randomBytes(8).toString('hex')}`;
  const config = { ...settings, binding, channel: `electron-bridge-${randomBytes(16).toString('hex')}` };
  // The preload world's current execution context (a new one after each navigation) and the
  // messages main sent before it was ready.
  let preloadContext: number | null = null;
  let queued: string[] = [];

  const deliver = (message: Record<string, unknown>): void => {
    const text = JSON.stringify(message);
    if (preloadContext === null) {
      queued.push(text);
      return;
    }
    cdp
      .send('Runtime.evaluate', {
        contextId: preloadContext,
        expression: `globalThis.__standinDeliver(${JSON.stringify(text)})`,
      })
      .catch(() => {
        /* the page may be navigating or closing */
      });
  };

  cdp.on('Runtime.bindingCalled', (event) => {
    if (event.name !== binding) return;
    const message = JSON.parse(event.payload) as {
      kind: 'ready' | 'invoke' | 'permission';
      id: number;
      url: string;
      channel: string;
      args: unknown;
      permission: string;
    };
    if (message.kind === 'ready') {
      preloadContext = event.executionContextId;
      const waiting = queued;
      queued = [];
      for (const text of waiting) deliver(JSON.parse(text) as Record<string, unknown>);
    } else if (message.kind === 'invoke') {
      // A page's last poll can cross main's exit after its window closed (a page outlives main here,
      // unlike in Electron): the page gets the error as its answer, not the test an unhandled rejection.
      void hooks
        .invoke(message.url, message.channel, fromWire(message.args) as unknown[])
        .catch((err: Error) => ({ error: err.message, value: undefined }))
        .then((answer) =>
          deliver(
            answer.error !== undefined
              ? { kind: 'invoke-result', id: message.id, error: answer.error }
              : { kind: 'invoke-result', id: message.id, value: toWire(answer.value) },
          ),
        );
    } else if (message.kind === 'permission') {
      void hooks
        .permission(message.url, message.permission)
        .catch(() => false)
        .then((allow) => deliver({ kind: 'invoke-result', id: message.id, value: allow }));
    }
  });
  // A navigation destroys the world; until the new document's preload says ready, main's sends wait.
  cdp.on('Runtime.executionContextDestroyed', (event) => {
    if (event.executionContextId === preloadContext) preloadContext = null;
  });
  cdp.on('Runtime.executionContextsCleared', () => {
    preloadContext = null;
  });

  await cdp.send('Runtime.enable');
  // Without the Page domain enabled, scripts for an isolated world are never run.
  await cdp.send('Page.enable');
  await cdp.send('Runtime.addBinding', { name: binding, executionContextName: WORLD });
  // Order matters: the page's half of contextBridge listens before the preload world exposes.
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
    source: script('main-world.js', config, settings.contextIsolation ? '' : preloadCode),
  });
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
    source: script('preload-world.js', config, settings.contextIsolation ? preloadCode : ''),
    worldName: WORLD,
  });

  return {
    settings,
    send: (channel, args) => deliver({ kind: 'send', channel, args: toWire(structuredClone(args)) }),
    async evaluateInPreloadWorld(expression) {
      if (preloadContext === null) throw new Error('the preload world is not ready');
      const result = await cdp.send('Runtime.evaluate', {
        contextId: preloadContext,
        expression,
        returnByValue: true,
        awaitPromise: true,
      });
      if (result.exceptionDetails) {
        throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
      }
      return result.result.value;
    },
  };
}
