/**
 * Window hardening, kept apart from index.ts so the guards are unit-tested without Electron.
 * The renderer is untrusted: it may only show our own bundle and may not open or navigate to
 * anything else (a navigated window would keep the preload's API).
 */

/** webPreferences every studio window gets. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
} as const;

/** True when `url` is the app's own page (same file, or the dev server's origin). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
    return target.origin === app.origin;
  } catch {
    return false;
  }
}

/**
 * Permissions the app page may have: only the sanitized clipboard write behind its Copy buttons.
 * Everything else (camera, notifications, clipboard read, ...) is refused, and so is any request
 * from a page that is not the app's own.
 */
const PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, appUrl: string): boolean {
  return PAGE_PERMISSIONS.has(permission) && !!requestingUrl && isAppUrl(requestingUrl, appUrl);
}

interface NavigationEvent {
  preventDefault(): void;
}

/** The slice of Electron's WebContents the guards attach to. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Deny window.open and every navigation away from the app page. `onBlocked` lets main log what was
 * refused (and tests observe it).
 */
export function lockDownContents(contents: GuardedContents, appUrl: string, onBlocked?: (url: string) => void): void {
  const refuse = (event: NavigationEvent, url: string): void => {
    if (isAppUrl(url, appUrl)) return;
    event.preventDefault();
    onBlocked?.(url);
  };
  contents.on('will-navigate', refuse);
  contents.on('will-redirect', refuse);
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked?.(url);
    return { action: 'deny' };
  });
}
