/* global window, document, toWire, fromWire, answerCall -- a page script; the codec is inlined from wire.mjs */
// Runs in the page's own (main) world of the top frame before any page script, injected by the
// harness through CDP's Page.addScriptToEvaluateOnNewDocument. It plays two parts of Electron's
// renderer that live on the page's side:
//  - with nodeIntegration in effect (not sandboxed), Node's globals in the page (stand-ins: the
//    point is that the page can reach them, as it could in Electron);
//  - contextBridge's main-world half: what the preload's `exposeInMainWorld` puts on `window`,
//    copied across worlds with functions and promises proxied, and nothing else.
// The two worlds share only the DOM: messages are strings in CustomEvents on `document` under a
// per-window random name the page never sees (the preload world's source is not readable from the
// page, and the name lives only in this closure). Calls are synchronous, as contextBridge's are:
// dispatchEvent runs the other world's listener, which answers with a `return` message before
// dispatchEvent returns.
(() => {
  const config = /*CONFIG*/ null;
  if (window !== window.top) return; // Electron runs the preload in the main frame only

  if (config.nodeIntegration) {
    const absent = (name) => () => {
      throw new Error(`stand-in: Node's ${name} would be reachable here in Electron (nodeIntegration)`);
    };
    window.require = absent('require');
    window.module = { exports: {} };
    window.process = { type: 'renderer', versions: { node: 'stand-in' }, exit: absent('process.exit') };
  }

  // Captured before any page script can replace them.
  const doc = document;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const listen = EventTarget.prototype.addEventListener;
  const CustomEventType = CustomEvent;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const defineProperty = Object.defineProperty;
  const PromiseType = Promise;
  /*WIRE*/

  const callbacks = new Map(); // main-world functions the preload world holds handles to
  const pending = new Map(); // promises the preload world will settle
  let nextId = 1;
  let reply;
  const send = (message) =>
    dispatch.call(doc, new CustomEventType(`${config.channel}:to-preload`, { detail: stringify(message) }));
  const wireOut = (value) =>
    toWire(value, (special) => {
      if (typeof special !== 'function') throw new Error('stand-in: a promise passed into the preload is not modelled');
      const id = nextId++;
      callbacks.set(id, special);
      return { $: 'f', id };
    });
  const wireIn = (tree) =>
    fromWire(tree, (tag) => {
      if (tag.$ === 'f') return proxyFunction(tag.id);
      if (tag.$ === 'p') return new PromiseType((resolve, reject) => pending.set(tag.id, { resolve, reject }));
      throw new Error(`stand-in: unknown handle ${tag.$}`);
    });
  // A function of the preload world as the page sees it: a call copies the arguments across.
  function proxyFunction(id) {
    return function (...args) {
      send({ op: 'call', fn: id, args: wireOut(args) });
      const answer = reply;
      reply = undefined;
      if (!answer) throw new Error('stand-in: the preload world did not answer');
      if (!answer.ok) throw new Error(answer.error);
      return wireIn(answer.value);
    };
  }
  const deepFreeze = (o) => {
    if (o && typeof o === 'object' && !Object.isFrozen(o)) {
      Object.freeze(o);
      Object.values(o).forEach(deepFreeze);
    }
    return o;
  };

  // Chromium's clipboard permission goes to main's permission handler, as Electron's session does.
  let askPermission = () => PromiseType.resolve(false);
  if (navigator.clipboard) {
    const guard = (name, permission) => {
      const original = navigator.clipboard[name].bind(navigator.clipboard);
      navigator.clipboard[name] = async (...args) => {
        if (!(await askPermission(permission))) throw new DOMException('Write permission denied.', 'NotAllowedError');
        return original(...args);
      };
    };
    guard('writeText', 'clipboard-sanitized-write');
    guard('write', 'clipboard-sanitized-write');
    guard('readText', 'clipboard-read');
    guard('read', 'clipboard-read');
  }

  listen.call(doc, `${config.channel}:to-main`, (event) => {
    const message = parse(event.detail);
    switch (message.op) {
      case 'return':
        reply = message;
        return;
      case 'internal': // the renderer's own plumbing (not the page's): the permission prompt
        askPermission = wireIn(message.value).permission;
        return;
      case 'expose': {
        let answer;
        if (message.name in window) {
          answer = { ok: false, error: 'Cannot bind an API on top of an existing property on the window object' };
        } else {
          const value = deepFreeze(wireIn(message.value));
          defineProperty(window, message.name, { value, writable: false, configurable: false, enumerable: true });
          answer = { ok: true, value: null };
        }
        send({ op: 'return', ...answer });
        return;
      }
      case 'internal-preload': {
        // contextIsolation off: the preload runs here, in the page's world (inlined by the harness
        // only then), with the renderer's `require` reached across.
        const { require } = wireIn(message.value);
        const module = { exports: {} };
        try {
          // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the inlined preload's names
          (function (require, module, exports) {
            /*PRELOAD*/
          })(require, module, module.exports);
        } catch (err) {
          console.error(`Unable to load preload script: ${err?.stack ?? err}`);
        }
        return;
      }
      case 'settle': {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) p.resolve(wireIn(message.value));
        else p.reject(new Error(message.error));
        return;
      }
      case 'call':
        send(answerCall(callbacks.get(message.fn), message.args, wireIn, wireOut));
        return;
    }
  });
})();
