/**
 * Builds the services the IPC handlers call. Electron-free: the app passes its user-data folder, a
 * `send` and a folder picker; the UI tests pass a temp folder and the browser bridge, and both get
 * the same code.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AppInfo } from '../shared/api';
import type { SendFn, Services } from './ipc';
import { probeBackend } from './engine/backend/probe';
import { DatasetService } from './dataset-service';
import { SettingsFile } from './settings';

const require = createRequire(import.meta.url);

export interface ServiceOptions {
  /** App data folder: database, settings, dataset cache and checkpoints live here. */
  userDataDir: string;
  appVersion: string;
  send: SendFn;
  /** Overrides `LENET_STUDIO_DB` and the default `<userData>/studio.db`. */
  dbPath?: string;
  /** A dataset folder, overriding the one saved in settings. */
  dataDir?: string;
  /** Asks the user for a folder (Electron's dialog in the app); null when cancelled. */
  chooseFolder?: () => Promise<string | null>;
  /** Dataset download source (tests serve the files locally). */
  datasetBaseUrl?: string;
}

export interface StudioServices extends Services {
  dispose(): void;
}

/** The tfjs version from its package.json: main never loads tfjs itself (the trainer does). */
function tfjsVersion(): string {
  return (require('@tensorflow/tfjs/package.json') as { version: string }).version;
}

export async function createServices(options: ServiceOptions): Promise<StudioServices> {
  const dbPath = options.dbPath ?? process.env['LENET_STUDIO_DB'] ?? join(options.userDataDir, 'studio.db');
  const settings = new SettingsFile(join(options.userDataDir, 'settings.json'));
  const dataset = new DatasetService({
    cacheDir: join(options.userDataDir, 'datasets', 'fashion-mnist'),
    dataDir: () => options.dataDir ?? settings.get().dataDir,
    onProgress: (progress) => options.send('dataset:progress', progress),
    baseUrl: options.datasetBaseUrl,
  });

  return {
    async appInfo(): Promise<AppInfo> {
      const [backend, location] = await Promise.all([probeBackend(), dataset.location()]);
      return {
        appVersion: options.appVersion,
        backend,
        tfjsVersion: tfjsVersion(),
        dataset: location,
        dbPath,
        platform: `${process.platform}-${process.arch}`,
      };
    },
    dataset: {
      info: () => dataset.info(),
      samples: (perClass) => dataset.samples(perClass),
      images: (indices) => dataset.testImages(indices),
      download: () => dataset.download(),
      async chooseFolder() {
        const dir = await options.chooseFolder?.();
        if (!dir) return null;
        settings.update({ dataDir: dir });
        return dataset.info();
      },
    },
    dispose() {},
  };
}
