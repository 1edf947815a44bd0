/**
 * Electron lifecycle and wiring only: everything testable lives in ipc.ts, security.ts and the
 * services. This file is the one place that imports `electron` on the main side.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerHandlers, type SendFn } from './ipc';
import { lockDownContents, SECURE_WEB_PREFERENCES } from './security';
import { createServices } from './services';

const here = fileURLToPath(new URL('.', import.meta.url));
let mainWindow: BrowserWindow | null = null;

const send: SendFn = (channel, payload) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
};

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'LeNet5 Studio',
    backgroundColor: '#111418',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  });
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  const appUrl = devUrl ?? new URL('../renderer/index.html', import.meta.url).href;
  lockDownContents(win.webContents, appUrl, (url) => console.warn(`[security] blocked navigation to ${url}`));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
}

app.enableSandbox();

void app.whenReady().then(async () => {
  // Refuse every permission request (camera, notifications, ...): the studio needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const services = await createServices({ userDataDir: app.getPath('userData'), appVersion: app.getVersion(), send });
  registerHandlers(ipcMain, send, services);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => services.dispose());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
