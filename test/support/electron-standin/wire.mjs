// The stand-in's wire format between Chromium's worlds and Node: a JSON tree that keeps what the
// structured-clone algorithm keeps (undefined, NaN/±Infinity/-0, bigint, Date, RegExp, Map, Set,
// ArrayBuffer, typed arrays, Error, plain objects and arrays; prototypes are dropped). It is only
// transport: the *gate* is `structuredClone`, called by the sender before encoding, so a payload
// Electron's IPC would refuse is refused here too. Functions and promises pass only where a
// `special` hook gives them a handle (contextBridge's proxies); elsewhere they throw.
//
// This file is also injected as source into the page's worlds (its `export` keywords stripped), so
// it uses nothing but the language and `btoa`/`atob`, which both Node and Chromium have.

export function toWire(value, special) {
  const open = new Set();
  const walk = (v) => {
    if (v === undefined) return { $: 'u' };
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { $: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
    }
    if (typeof v === 'bigint') return { $: 'b', v: String(v) };
    if (typeof v === 'function' || v instanceof Promise) {
      if (special) return special(v);
      throw new Error(`An object could not be cloned (${typeof v}).`);
    }
    if (typeof v !== 'object') throw new Error(`An object could not be cloned (${typeof v}).`);
    // structuredClone keeps cycles; the stand-in does not model them (the app sends none).
    if (open.has(v)) throw new Error('stand-in wire: a cyclic value is not modelled');
    open.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      if (v instanceof Date) return { $: 'd', v: v.getTime() };
      if (v instanceof RegExp) return { $: 'r', v: v.source, f: v.flags };
      if (v instanceof Map) return { $: 'm', v: [...v].map(([k, x]) => [walk(k), walk(x)]) };
      if (v instanceof Set) return { $: 's', v: [...v].map(walk) };
      if (v instanceof ArrayBuffer) return { $: 'ab', v: bytesToBase64(new Uint8Array(v)) };
      if (ArrayBuffer.isView(v)) {
        const type =
          v instanceof DataView ? 'DataView' : v.constructor.name === 'Buffer' ? 'Uint8Array' : v.constructor.name;
        return { $: 't', t: type, v: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
      }
      if (v instanceof Error) return { $: 'e', name: v.name, v: v.message };
      const out = {};
      for (const k of Object.keys(v)) out[k] = walk(v[k]);
      return { $: 'o', v: out };
    } finally {
      open.delete(v);
    }
  };
  return walk(value);
}

export function fromWire(tree, special) {
  const walk = (w) => {
    if (w === null || typeof w !== 'object') return w;
    if (Array.isArray(w)) return w.map(walk);
    switch (w.$) {
      case 'u':
        return undefined;
      case 'n':
        return Number(w.v);
      case 'b':
        return BigInt(w.v);
      case 'd':
        return new Date(w.v);
      case 'r':
        return new RegExp(w.v, w.f);
      case 'm':
        return new Map(w.v.map(([k, x]) => [walk(k), walk(x)]));
      case 's':
        return new Set(w.v.map(walk));
      case 'ab':
        return base64ToBytes(w.v).buffer;
      case 't': {
        const bytes = base64ToBytes(w.v);
        if (w.t === 'DataView') return new DataView(bytes.buffer);
        const Type = globalThis[w.t];
        return new Type(bytes.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT);
      }
      case 'e': {
        const Type = typeof globalThis[w.name] === 'function' ? globalThis[w.name] : Error;
        return new Type(w.v);
      }
      case 'o': {
        const out = {};
        for (const k of Object.keys(w.v)) out[k] = walk(w.v[k]);
        return out;
      }
      default:
        if (special) return special(w);
        throw new Error(`stand-in wire: unknown tag ${w.$}`);
    }
  };
  return walk(tree);
}

/** contextBridge's call of a proxied function: the other world's `return` message. */
export function answerCall(fn, args, wireIn, wireOut) {
  try {
    return { op: 'return', ok: true, value: wireOut(fn(...wireIn(args))) };
  } catch (err) {
    return { op: 'return', ok: false, error: String(err?.message ?? err) };
  }
}

function bytesToBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64ToBytes(text) {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}
