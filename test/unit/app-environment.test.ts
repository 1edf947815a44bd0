import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appEnvironment, electronSqliteBinding } from '../../src/main/app-environment';
import { isPermissionAllowed } from '../../src/main/security';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { electronSqliteBindingPath } from '../../scripts/electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const app = { userDataDir: '/home/u/.config/LeNet5 Studio', appPath: ROOT, isPackaged: false };

describe('what the desktop app takes from its environment', () => {
  it('loads the Electron-ABI better-sqlite3 that npm start and npm run dev build', () => {
    expect(electronSqliteBinding(ROOT, '45.5.0')).toBe(electronSqliteBindingPath('45.5.0'));
    expect(appEnvironment({ ...app, electronVersion: '45.5.0' }, {}).sqliteBinding).toBe(
      electronSqliteBindingPath('45.5.0'),
    );
  });

  it("a packaged app and plain Node load node_modules' own build; the env override wins", () => {
    expect(appEnvironment({ ...app, isPackaged: true, electronVersion: '45.5.0' }, {}).sqliteBinding).toBeUndefined();
    expect(appEnvironment({ ...app, electronVersion: undefined }, {}).sqliteBinding).toBeUndefined();
    const env = { LENET_SQLITE_BINDING: '/opt/b.node' };
    expect(appEnvironment({ ...app, isPackaged: true, electronVersion: '45.5.0' }, env).sqliteBinding).toBe(
      '/opt/b.node',
    );
  });

  it('keeps the database in userData unless LENET_STUDIO_DB names one', () => {
    expect(appEnvironment({ ...app, electronVersion: undefined }, {}).dbPath).toBe(join(app.userDataDir, 'studio.db'));
    expect(appEnvironment({ ...app, electronVersion: undefined }, { LENET_STUDIO_DB: 'x/y.db' }).dbPath).toBe(
      resolve('x/y.db'),
    );
  });

  it('takes a dataset mirror and system folder, ignoring blank values', () => {
    const env = { LENET_STUDIO_DATASET_URL: 'http://mirror/fm/', LENET_STUDIO_SYSTEM_DATASET_DIR: ' ' };
    const e = appEnvironment({ ...app, electronVersion: undefined }, env);
    expect(e.datasetBaseUrl).toBe('http://mirror/fm/');
    expect(e.systemDir).toBeUndefined();
  });
});

describe('permissions the window may have', () => {
  const APP = 'file:///opt/studio/out/renderer/index.html';
  it('allows the clipboard write to the app page only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', `${APP}#/model`, APP)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/', APP)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, APP)).toBe(false);
  });
  it('refuses everything else, even to the app page', () => {
    for (const p of ['clipboard-read', 'media', 'notifications', 'openExternal', 'fullscreen']) {
      expect(isPermissionAllowed(p, APP, APP), p).toBe(false);
    }
  });
});
