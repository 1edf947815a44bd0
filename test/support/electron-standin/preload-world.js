/* global window, document, location, toWire, fromWire, answerCall -- a page script; the codec is inlined from wire.mjs */
// Runs in an isolated world of the top frame (CDP Page.addScriptToEvaluateOnNewDocument with a
// worldName), after main-world.js and before any page script. It is Electron's renderer side:
//  - `ipcRenderer` over a CDP binding that exists in this world only (Runtime.addBinding with
//    executionContextName): every argument goes through `structuredClone` first, as Electron's IPC
//    serialises, so a payload Electron would refuse is refused here;
//  - `contextBridge.exposeInMainWorld`, the only way from here to the page (see main-world.js);
//  - with contextIsolation in effect, the built preload itself, wrapped as Electron wraps it, with
//    the `require` of a sandboxed preload (`electron` and nothing from Node) or, unsandboxed, one
//    that hands out Node modules (stand-ins that say so).
(() => {
  const config = /*CONFIG*/ null;
  if (window !== window.top) return;
  const toHarness = globalThis[config.binding];
  delete globalThis[config.binding];
  /*WIRE*/

  const doc = document;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const send = (message) =>
    dispatch.call(doc, new CustomEvent(`${config.channel}:to-main`, { detail: JSON.stringify(message) }));
  const callbacks = new Map(); // this world's functions the page holds proxies of
  let nextId = 1;
  let reply;
  const wireOut = (value) =>
    toWire(value, (special) => {
      const id = nextId++;
      if (typeof special === 'function') {
        callbacks.set(id, special);
        return { $: 'f', id };
      }
      special.then(
        (v) => send({ op: 'settle', id, ok: true, value: wireOut(v) }),
        (err) => send({ op: 'settle', id, ok: false, error: String(err?.message ?? err) }),
      );
      return { $: 'p', id };
    });
  const wireIn = (tree) =>
    fromWire(tree, (tag) => {
      if (tag.$ !== 'f') throw new Error(`stand-in: unknown handle ${tag.$}`);
      return (...args) => {
        send({ op: 'call', fn: tag.id, args: wireOut(args) });
        const answer = reply;
        reply = undefined;
        if (!answer.ok) throw new Error(answer.error);
        return wireIn(answer.value);
      };
    });
  doc.addEventListener(`${config.channel}:to-preload`, (event) => {
    const message = JSON.parse(event.detail);
    if (message.op === 'return') {
      reply = message;
      return;
    }
    if (message.op === 'call') send(answerCall(callbacks.get(message.fn), message.args, wireIn, wireOut));
  });

  // ---- ipcRenderer ----------------------------------------------------------------------------
  const pendingInvokes = new Map();
  const listeners = new Map();
  let nextInvoke = 1;
  const ipcRenderer = {
    invoke(channel, ...args) {
      return new Promise((resolve, reject) => {
        const id = nextInvoke++;
        // Throws a DataCloneError for what Electron's IPC cannot send (functions, DOM nodes, ...).
        const wire = toWire(structuredClone(args));
        pendingInvokes.set(id, { resolve, reject });
        toHarness(JSON.stringify({ kind: 'invoke', id, channel, args: wire, url: location.href }));
      });
    },
    on(channel, fn) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(fn);
      return ipcRenderer;
    },
    removeListener(channel, fn) {
      listeners.get(channel)?.delete(fn);
      return ipcRenderer;
    },
  };
  // What the harness delivers: answers to invokes and main's webContents.send.
  globalThis.__standinDeliver = (text) => {
    const message = JSON.parse(text);
    if (message.kind === 'invoke-result') {
      const p = pendingInvokes.get(message.id);
      pendingInvokes.delete(message.id);
      if ('error' in message) p.reject(new Error(message.error));
      else p.resolve(fromWire(message.value));
    } else if (message.kind === 'send') {
      for (const fn of [...(listeners.get(message.channel) ?? [])]) {
        fn({ sender: ipcRenderer, senderId: 0, ports: [] }, ...fromWire(message.args));
      }
    }
  };
  const askPermission = (permission) =>
    new Promise((resolve) => {
      const id = nextInvoke++;
      pendingInvokes.set(id, { resolve, reject: () => resolve(false) });
      toHarness(JSON.stringify({ kind: 'permission', id, permission, url: location.href }));
    });
  send({ op: 'internal', value: wireOut({ permission: askPermission }) });

  // ---- the preload ------------------------------------------------------------------------------
  const contextBridge = {
    exposeInMainWorld(name, api) {
      if (!config.contextIsolation)
        throw new Error('contextBridge API can only be used when contextIsolation is enabled');
      send({ op: 'expose', name, value: wireOut(api) });
      const answer = reply;
      reply = undefined;
      if (!answer.ok) throw new Error(answer.error);
    },
  };
  const electron = { contextBridge, ipcRenderer };
  // Electron's sandboxed preload gets `electron` and a few polyfills, never Node's modules; an
  // unsandboxed one gets all of Node (which the stand-in can only name).
  const require = (name) => {
    if (name === 'electron') return electron;
    if (!config.sandbox) return { standInFor: name };
    throw new Error(`module not found: ${name}`);
  };
  // For the tests: what a preload could reach (this world is not the page's).
  globalThis.__standinPreloadRequire = require;
  // The built preload, inlined by the harness (not eval'd: the page's CSP forbids eval).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the inlined preload's names
  const runPreload = function (require, module, exports) {
    /*PRELOAD*/
  };
  if (config.contextIsolation) {
    const module = { exports: {} };
    try {
      runPreload(require, module, module.exports);
    } catch (err) {
      // Electron reports a failing preload on the console and loads the page without it.
      console.error(`Unable to load preload script: ${err?.stack ?? err}`);
    }
  } else {
    // contextIsolation off: the preload shares the page's world (main-world-preload.js runs it).
    send({ op: 'internal-preload', value: wireOut({ require }) });
  }
  toHarness(JSON.stringify({ kind: 'ready', url: location.href }));
})();
