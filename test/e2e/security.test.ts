import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('renderer isolation (built renderer + built preload in Chromium)', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'security' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('the page cannot reach require, process or ipcRenderer', async () => {
    const reach = await studio.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w['require'],
        process: typeof w['process'],
        ipcRenderer: typeof w['ipcRenderer'],
        electron: typeof w['electron'],
        invokeBinding: typeof w['__studioInvoke'],
        oldApi: typeof w['api'],
        // The bridge is two functions, frozen: nothing is a raw channel or emitter.
        bridge: Object.entries(w['studio'] as object).map(([k, v]) => `${k}:${typeof v}`),
        bridgeFrozen: Object.isFrozen(w['studio']),
      };
    });
    expect(reach).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      invokeBinding: 'undefined',
      oldApi: 'undefined',
      bridge: ['invoke:function', 'subscribe:function'],
      bridgeFrozen: true,
    });
  });

  it('the bridge refuses operations and events outside the procedure table', async () => {
    const outcome = await studio.page.evaluate(async () => {
      // Typed loosely on purpose: the page may send any name, whatever the types say.
      type LooseBridge = {
        invoke(name: string, input?: unknown): Promise<unknown>;
        subscribe(event: string, listener: () => void): () => void;
      };
      const bridge = (window as unknown as { studio: LooseBridge }).studio;
      const unknown = await bridge.invoke('fs:read', { path: '/etc/passwd' });
      let subscribeError = '';
      try {
        bridge.subscribe('ipc:raw', () => {});
      } catch (err) {
        subscribeError = (err as Error).message;
      }
      return { unknown, subscribeError };
    });
    expect(outcome.unknown).toMatchObject({ ok: false, error: { code: 'unknown-procedure' } });
    expect(outcome.subscribeError).toContain('ipc:raw is not an event of the studio');
  });

  it('the CSP refuses inline scripts, inline handlers and network requests', async () => {
    const outcome = await studio.page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      let fetchBlocked = false;
      try {
        await fetch('https://example.com/');
      } catch {
        fetchBlocked = true;
      }
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__handlerRan = true');
      img.src = 'data:,not-an-image';
      document.body.appendChild(img);
      await new Promise((r) => setTimeout(r, 200));
      const w = window as unknown as { __inlineRan?: boolean; __handlerRan?: boolean };
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      return {
        fetchBlocked,
        inlineRan: w.__inlineRan === true,
        handlerRan: w.__handlerRan === true,
        violations: [...new Set(violations.map((v) => v.split('-')[0]))].sort(),
        allowsEval: csp.includes('unsafe-eval'),
      };
    });
    expect(outcome).toEqual({
      fetchBlocked: true,
      inlineRan: false,
      handlerRan: false,
      violations: ['connect', 'script'],
      allowsEval: false,
    });
  });
});
