// A test-only stand-in for the slice of Electron's main-process API that src/main uses, so the UI
// tests run the *built* out/main/index.js in plain Node. Each part says which Electron behaviour it
// mirrors; anything main does not use is left out on purpose, so a new use fails loudly here
// (and gets mirrored) instead of passing by accident.
//
// The harness (test/support/studio-page.ts) starts this process with an IPC channel and plays the
// part of Electron's renderer side (test/support/renderer-worlds.ts): it opens each window's page in
// a real Chromium with the built preload in an isolated world, as webPreferences ask, forwards
// `ipcRenderer.invoke` here with the calling frame's URL, shows main's `webContents.send` in the
// page, and asks here before a navigation, a window.open or a permission.
// Messages both ways are `{ kind, ... }` objects over Node's IPC with structured-clone
// serialization, as Electron's own IPC clones its arguments.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants as osConstants } from 'node:os';

if (!process.send) throw new Error('the Electron stand-in must be started by the test harness (with an IPC channel)');
const toHarness = (message) => process.send(message);

// ---- requests to the harness that expect an answer -------------------------------------------
let nextCallId = 1;
const pendingCalls = new Map();
function askHarness(kind, fields) {
  const callId = nextCallId++;
  return new Promise((resolvePromise) => {
    pendingCalls.set(callId, resolvePromise);
    toHarness({ kind, callId, ...fields });
  });
}

// ---- app ----------------------------------------------------------------------------------------

/** Electron reads name, productName and version from the app folder's package.json. */
function findAppPackage() {
  let dir = dirname(resolve(process.argv[1] ?? '.'));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return { dir, pkg: JSON.parse(readFileSync(file, 'utf8')) };
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${process.argv[1]}`);
    dir = parent;
  }
}
const appPackage = findAppPackage();

/** Electron's `appData`: the per-user application-data folder of the platform. */
function appDataDir() {
  const home = process.env.HOME || homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (process.platform === 'win32') return process.env.APPDATA || join(home, 'AppData', 'Roaming');
  return process.env.XDG_CONFIG_HOME || join(home, '.config');
}

/** Chromium's `--user-data-dir=` switch overrides userData, as in Electron. */
function userDataSwitch() {
  const arg = process.argv.find((a) => a.startsWith('--user-data-dir='));
  return arg ? resolve(arg.slice('--user-data-dir='.length)) : null;
}

const paths = new Map();
class App extends EventEmitter {
  #ready = false;
  #readyPromise;
  #quitting = false;
  isPackaged = false;
  sandboxEnabled = false;

  constructor() {
    super();
    this.#readyPromise = new Promise((resolveReady) => {
      // Electron emits `ready` after the main script's synchronous top level has run.
      setTimeout(() => {
        this.#ready = true;
        this.emit('ready');
        resolveReady();
        toHarness({ kind: 'app-ready', userData: this.getPath('userData'), appPath: this.getAppPath() });
      }, 0);
    });
  }

  whenReady() {
    return this.#readyPromise;
  }
  isReady() {
    return this.#ready;
  }
  /** userData is appData/(productName || name), as Electron computes it. */
  getName() {
    return appPackage.pkg.productName || appPackage.pkg.name;
  }
  getVersion() {
    return appPackage.pkg.version;
  }
  getAppPath() {
    return appPackage.dir;
  }
  getPath(name) {
    if (paths.has(name)) return paths.get(name);
    const home = process.env.HOME || homedir();
    switch (name) {
      case 'home':
        return home;
      case 'appData':
        return appDataDir();
      case 'userData':
      case 'sessionData':
        return userDataSwitch() ?? join(appDataDir(), this.getName());
      case 'documents':
        return join(home, 'Documents');
      case 'downloads':
        return join(home, 'Downloads');
      case 'temp':
        return tmpdir();
      case 'logs':
        return join(this.getPath('userData'), 'logs');
      default:
        // Electron throws for a name it does not know.
        throw new Error(`Failed to get '${name}' path`);
    }
  }
  setPath(name, value) {
    paths.set(name, value);
  }
  enableSandbox() {
    if (this.#ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxEnabled = true;
  }
  /**
   * Electron's order: `before-quit` (preventable), every window closed (no `window-all-closed`
   * during a quit), `will-quit` (preventable), `quit`, then the process exits.
   */
  quit() {
    if (this.#quitting) return;
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.#quitting = true;
    for (const win of BrowserWindow.getAllWindows()) win.destroy();
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    this.emit('quit', preventable(), 0);
    this.exit(0);
  }
  exit(code = 0) {
    toHarness({ kind: 'app-exit', code });
    // Let the message leave before the process does.
    setTimeout(() => process.exit(code), 50);
  }
  get quitting() {
    return this.#quitting;
  }
}

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export const app = new App();

// ---- BrowserWindow and webContents --------------------------------------------------------------

const windows = new Map();
let nextWindowId = 1;

class WebContents extends EventEmitter {
  #window;
  #openHandler = null;
  #url = '';
  constructor(window) {
    super();
    this.#window = window;
    this.id = window.id;
  }
  /** Structured-clones its arguments to the page, as Electron does: a function or a class
   * instance's prototype does not survive, and what cannot be cloned throws here, in main. */
  send(channel, ...args) {
    if (this.isDestroyed()) throw new Error('Object has been destroyed');
    let cloned;
    try {
      cloned = structuredClone(args);
    } catch {
      throw new Error('Failed to serialize arguments');
    }
    toHarness({ kind: 'send', windowId: this.id, channel, args: cloned });
  }
  setWindowOpenHandler(handler) {
    this.#openHandler = handler;
  }
  /** Electron's default without a handler is to allow the new window. */
  decideWindowOpen(url) {
    return this.#openHandler
      ? this.#openHandler({ url, frameName: '', features: '', disposition: 'new-window' })
      : { action: 'allow' };
  }
  getURL() {
    return this.#url;
  }
  setURL(url) {
    this.#url = url;
  }
  isDestroyed() {
    return this.#window.isDestroyed();
  }
}

export class BrowserWindow extends EventEmitter {
  #destroyed = false;
  #visible = false;
  constructor(options = {}) {
    super();
    this.id = nextWindowId++;
    this.options = options;
    this.webContents = new WebContents(this);
    windows.set(this.id, this);
  }
  static getAllWindows() {
    return [...windows.values()];
  }
  static fromWebContents(contents) {
    return windows.get(contents.id) ?? null;
  }
  /** Resolves when the page has loaded (Electron's did-finish-load); `ready-to-show` follows. */
  loadURL(url) {
    this.webContents.setURL(url);
    const prefs = this.options.webPreferences ?? {};
    return askHarness('window-load', {
      windowId: this.id,
      url,
      preload: prefs.preload ?? null,
      webPreferences: prefs,
      sandboxEnabled: app.sandboxEnabled,
      options: { ...this.options, webPreferences: undefined },
    }).then((answer) => {
      if (answer.error) throw new Error(answer.error);
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    });
  }
  loadFile(file) {
    return this.loadURL(pathToFileURL(resolve(file)).href);
  }
  show() {
    this.#visible = true;
  }
  hide() {
    this.#visible = false;
  }
  isVisible() {
    return this.#visible;
  }
  focus() {}
  isDestroyed() {
    return this.#destroyed;
  }
  /** The user (or main) closes the window: `close`, then `closed`; the last one may end the app. */
  close() {
    if (this.#destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
    if (windows.size === 0 && !app.quitting) {
      // Electron's default with no `window-all-closed` listener is to quit.
      if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed');
      else app.quit();
    }
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    windows.delete(this.id);
    toHarness({ kind: 'window-closed', windowId: this.id });
    this.emit('closed');
  }
}

// ---- ipcMain ------------------------------------------------------------------------------------

const handlers = new Map();
export const ipcMain = {
  handle(channel, listener) {
    // Electron refuses a second handler for the same channel.
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

/**
 * `ipcRenderer.invoke` arriving from a page: the event carries the sender and the sending frame's
 * URL, as Electron's IpcMainInvokeEvent does. A throwing handler rejects the page's promise with
 * Electron's wording.
 */
async function invoke({ windowId, channel, args, senderUrl }) {
  const handler = handlers.get(channel);
  if (!handler)
    return { error: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` };
  const win = windows.get(windowId);
  const event = { sender: win?.webContents, senderFrame: { url: senderUrl }, processId: 1, frameId: 1 };
  let value;
  try {
    value = await handler(event, ...structuredClone(args));
  } catch (err) {
    return { error: `Error invoking remote method '${channel}': ${err}` };
  }
  // The answer crosses as a structured clone too; Electron rejects the page's call when it cannot.
  try {
    return { value: structuredClone(value) };
  } catch {
    return { error: `Error invoking remote method '${channel}': Error: An object could not be cloned.` };
  }
}

// ---- session --------------------------------------------------------------------------------------

let permissionRequestHandler = null;
let permissionCheckHandler = null;
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      permissionCheckHandler = handler;
    },
  },
};

/** Electron grants a permission when no handler is set; a handler answers through its callback. */
function decidePermission({ windowId, permission, requestingUrl }) {
  const contents = windows.get(windowId)?.webContents;
  if (!permissionRequestHandler) return Promise.resolve(true);
  return new Promise((resolveDecision) => {
    permissionRequestHandler(contents, permission, (granted) => resolveDecision(granted === true), {
      requestingUrl,
      isMainFrame: true,
    });
  });
}

// ---- dialog ---------------------------------------------------------------------------------------

/** Dialogs are answered by the test (default: cancelled), as a user would answer Electron's. */
function showDialog(type, args) {
  const options = args.find((a) => a && typeof a === 'object' && !(a instanceof BrowserWindow)) ?? {};
  return askHarness('dialog', { type, options });
}
export const dialog = {
  showOpenDialog: (...args) => showDialog('open', args),
  showSaveDialog: (...args) => showDialog('save', args),
  showMessageBox: (...args) => showDialog('message', args),
  showErrorBox: (title, content) => toHarness({ kind: 'error-box', title, content }),
};

// ---- utilityProcess -------------------------------------------------------------------------------

const UTILITY_CHILD = new URL('./utility-child.mjs', import.meta.url);
const FATAL_SIGNALS = new Set(['SIGABRT', 'SIGSEGV', 'SIGILL', 'SIGTRAP', 'SIGBUS']);

/**
 * Electron's UtilityProcess: a Node child whose entry talks through `process.parentPort`. Here a
 * real child_process with a small bootstrap that provides parentPort. Events: `spawn`, `message`,
 * `exit` (a numeric code, also after a signal) and, for a V8 fatal error (which aborts the process),
 * `error` before `exit` — an EventEmitter with no `error` listener throws, as Electron's does.
 */
class UtilityProcess extends EventEmitter {
  #child;
  constructor(modulePath, args = [], options = {}) {
    super();
    const stdio = options.stdio === 'pipe' ? 'pipe' : options.stdio === 'ignore' ? 'ignore' : 'inherit';
    this.#child = fork(UTILITY_CHILD, [modulePath, ...args], {
      env: options.env ?? process.env,
      execArgv: options.execArgv ?? [],
      cwd: options.cwd,
      serialization: 'advanced',
      stdio: [stdio === 'pipe' ? 'pipe' : 'ignore', stdio, stdio, 'ipc'],
    });
    this.stdout = this.#child.stdout ?? null;
    this.stderr = this.#child.stderr ?? null;
    this.#child.on('spawn', () => this.emit('spawn'));
    this.#child.on('message', (message) => this.emit('message', message));
    this.#child.on('exit', (code, signal) => {
      if (signal && FATAL_SIGNALS.has(signal)) {
        this.emit('error', 'FatalError', modulePath, `utility process ended by ${signal}`);
      }
      this.emit('exit', code ?? 128 + (osConstants.signals[signal] ?? 0));
    });
  }
  get pid() {
    return this.#child.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }
  postMessage(message) {
    if (this.#child.connected) this.#child.send(message);
  }
  kill() {
    return this.#child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork: (modulePath, args, options) => new UtilityProcess(modulePath, args, options),
};

// ---- messages from the harness ----------------------------------------------------------------------

process.on('message', (message) => {
  switch (message?.kind) {
    case 'answer': {
      const resolveCall = pendingCalls.get(message.callId);
      pendingCalls.delete(message.callId);
      resolveCall?.(message.value);
      return;
    }
    case 'invoke':
      void invoke(message).then((result) => toHarness({ kind: 'invoke-result', callId: message.callId, ...result }));
      return;
    case 'will-navigate': {
      // Electron emits will-navigate (and will-redirect) for navigations the page starts.
      const contents = windows.get(message.windowId)?.webContents;
      const event = preventable();
      contents?.emit(message.redirect ? 'will-redirect' : 'will-navigate', event, message.url);
      if (!event.defaultPrevented) contents?.setURL(message.url);
      toHarness({ kind: 'decision', callId: message.callId, allow: !event.defaultPrevented });
      return;
    }
    case 'window-open': {
      const contents = windows.get(message.windowId)?.webContents;
      const decision = contents?.decideWindowOpen(message.url) ?? { action: 'deny' };
      toHarness({ kind: 'decision', callId: message.callId, allow: decision.action === 'allow' });
      return;
    }
    case 'permission':
      void decidePermission(message).then((allow) => toHarness({ kind: 'decision', callId: message.callId, allow }));
      return;
    case 'permission-check': {
      const contents = windows.get(message.windowId)?.webContents;
      const allow = permissionCheckHandler
        ? permissionCheckHandler(contents, message.permission, message.requestingOrigin, {}) === true
        : true;
      toHarness({ kind: 'decision', callId: message.callId, allow });
      return;
    }
    case 'close-window':
      windows.get(message.windowId)?.close();
      return;
    case 'quit':
      app.quit();
      return;
    case 'activate':
      app.emit('activate', preventable(), BrowserWindow.getAllWindows().length > 0);
      return;
  }
});
// The harness went away: Electron's main does not outlive its own runtime either.
process.on('disconnect', () => process.exit(0));

export default { app, BrowserWindow, ipcMain, session, dialog, utilityProcess };
