/**
 * Electron lifecycle and wiring only: everything testable lives in procedures/, security.ts and
 * the services they use. This file is the one place that imports `electron` on the main side.
 */
import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEnvironment } from './app-environment';
import { createContext, registerProcedures, type SendFn } from '../core/procedures';
import { isAppUrl, isPermissionAllowed, lockDownContents, SECURE_WEB_PREFERENCES } from './security';
import { utilityProcessHandle } from '../core/child';
import type { TrainerHandle } from '../core/trainer';
import type { TrainerCommand, TrainerEvent } from '../shared/training';
import type { InspectorHandle, InspectorRequest, InspectorResponse } from '../core/inspector';

const here = fileURLToPath(new URL('.', import.meta.url));
let mainWindow: BrowserWindow | null = null;

const send: SendFn = (event, payload) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
};

const devUrl = process.env['ELECTRON_RENDERER_URL'];
const appUrl = devUrl ?? new URL('../renderer/index.html', import.meta.url).href;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'LeNet5 Studio',
    // The taskbar/dock icon when run unpackaged (a packaged app gets its icon from the installer).
    icon: join(here, '../../resources/icon.png'),
    backgroundColor: '#111418',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  });
  lockDownContents(win.webContents, appUrl, (url) => console.warn(`[security] blocked navigation to ${url}`));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
}

/**
 * A trainer (or the inspector) in an Electron utility process: a Node child that Electron manages
 * (no window, killed with the app), so a crash in tfjs or the wasm runtime takes down only that
 * process. Core turns it into the handle the supervisor and the inspector client use.
 */
function forkUtility<Out, In>(file: string, serviceName: string, tag: string, consequence: string) {
  const child = utilityProcess.fork(join(here, file), [], { serviceName, stdio: 'inherit' });
  return utilityProcessHandle<Out, In>(child, { tag, consequence });
}

const forkUtilityTrainer = (): TrainerHandle =>
  forkUtility<TrainerCommand, TrainerEvent>('trainer.cjs', 'LeNet5 trainer', 'trainer', 'the run fails');
const forkUtilityInspector = (): InspectorHandle =>
  forkUtility<InspectorRequest, InspectorResponse>(
    'inspector.cjs',
    'LeNet5 inspector',
    'inspector',
    'its requests fail; the next one restarts it',
  );

app.enableSandbox();

void app.whenReady().then(async () => {
  // Refuse every permission request (camera, notifications, ...) but the clipboard write that the
  // app page's Copy buttons need (see security.ts).
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, appUrl)),
  );
  const userDataDir = app.getPath('userData');
  const environment = appEnvironment({
    userDataDir,
    appPath: app.getAppPath(),
    isPackaged: app.isPackaged,
    electronVersion: process.versions.electron,
  });
  const context = createContext({
    ...environment,
    userDataDir,
    appVersion: app.getVersion(),
    send,
    forkTrainer: forkUtilityTrainer,
    forkInspector: forkUtilityInspector,
    chooseFolder: async () => {
      const options = { title: 'Choose the FashionMNIST folder', properties: ['openDirectory' as const] };
      const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    chooseSavePath: async (suggestedName) => {
      const options = { title: 'Save runs', defaultPath: join(app.getPath('documents'), suggestedName) };
      const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return r.canceled ? null : (r.filePath ?? null);
    },
  });
  // Only our own page may call main: a frame that somehow navigated elsewhere is refused.
  registerProcedures(ipcMain, context, (senderUrl) => isAppUrl(senderUrl, appUrl));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  // Let running trainers finish their batch and record `stopped` before the app exits.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void context.dispose().finally(() => app.quit());
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
