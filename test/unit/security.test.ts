import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isAppUrl, lockDownContents, SECURE_WEB_PREFERENCES } from '../../src/main/security';

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  /** Emits like Electron: returns whether a listener called preventDefault. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    this.emit(kind, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

const APP = 'file:///opt/studio/out/renderer/index.html';

describe('window lock-down', () => {
  it('uses isolation, sandbox and no node integration', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('refuses navigation away from the app page and allows the page itself', () => {
    const contents = new FakeContents();
    const blocked: string[] = [];
    lockDownContents(contents, APP, (u) => blocked.push(u));
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-navigate', `${APP}#/runs`)).toBe(false);
    expect(blocked).toEqual(['https://evil.example/', 'file:///etc/passwd']);
  });

  it('denies window.open', () => {
    const contents = new FakeContents();
    lockDownContents(contents, APP);
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: APP })).toEqual({ action: 'deny' });
  });

  it('compares dev-server URLs by origin', () => {
    expect(isAppUrl('http://localhost:5173/#/model', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
  });
});
