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
        // Every leaf of the API is a named function; nothing is a raw channel or emitter.
        apiLeaves: (function leaves(o: object, prefix: string): string[] {
          return Object.entries(o).flatMap(([k, v]) =>
            typeof v === 'function' ? [] : v && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
          );
        })(w['api'] as object, ''),
        apiNames: JSON.stringify(Object.keys(w['api'] as object)),
        apiFrozen: Object.isFrozen(w['api']),
      };
    });
    expect(reach).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      invokeBinding: 'undefined',
      apiLeaves: [],
      apiNames: expect.not.stringMatching(/ipcRenderer|invoke|send|require/),
      apiFrozen: true,
    });
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
