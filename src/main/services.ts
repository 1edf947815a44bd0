/**
 * Builds the services the IPC handlers call. Electron-free: the app passes its user-data folder, a
 * `send`, dialogs and a trainer launcher; the UI tests pass a temp folder, the browser bridge and a
 * forked trainer, and both get the same code.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AppInfo, ExportResult } from '../shared/api';
import type { BackendName } from '../shared/training';
import { HandlerError, type SendFn, type Services } from './ipc';
import { probeBackend } from './engine/backend/probe';
import { DatasetService } from './dataset-service';
import { RunService } from './run-service';
import { SettingsFile } from './settings';
import { openStore, StoreError, type Store } from './store';
import { DB_FILE_NAME } from './store/paths';
import { TrainerSupervisor, type ForkTrainer } from './trainer/supervisor';

// Not named `require`: electron-vite's ESM output declares its own `require` shim in any chunk
// that calls one, and a second declaration is a SyntaxError that stops main before a window opens.
const resolveFromMain = createRequire(import.meta.url);

export interface ServiceOptions {
  /** App data folder: database, settings, dataset cache and checkpoints live here. */
  userDataDir: string;
  appVersion: string;
  send: SendFn;
  /** Default `<userData>/studio.db`. */
  dbPath?: string;
  /** The better-sqlite3 binary to load (the app's Electron-ABI build); default node_modules'. */
  sqliteBinding?: string;
  /** A dataset folder, overriding the one saved in settings. */
  dataDir?: string;
  /** Asks the user for a folder (Electron's dialog in the app); null when cancelled. */
  chooseFolder?: () => Promise<string | null>;
  /** Asks where to save a file (Electron's save dialog in the app); null when cancelled. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Dataset download source (tests serve the files locally). */
  datasetBaseUrl?: string;
  /** The system-wide dataset folder (default /usr/share/datasets/fashion-mnist). */
  systemDir?: string;
  /** How to start a trainer process (utilityProcess in the app; child_process.fork elsewhere). */
  forkTrainer?: ForkTrainer;
  /** Force a backend for new runs (tests). */
  backend?: BackendName;
  /** Batch events every N batches. */
  batchEvery?: number;
  log?: (message: string) => void;
}

export interface StudioServices extends Services {
  /** Null when the database could not be opened (see `appInfo().dbError`). */
  readonly store: Store | null;
  readonly runService: RunService | null;
  dispose(): Promise<void>;
}

/** The tfjs version from its package.json: main never loads tfjs itself (the trainer does). */
function tfjsVersion(): string {
  return (resolveFromMain('@tensorflow/tfjs/package.json') as { version: string }).version;
}

export async function createServices(options: ServiceOptions): Promise<StudioServices> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const dbPath = options.dbPath ?? join(options.userDataDir, DB_FILE_NAME);
  const settings = new SettingsFile(join(options.userDataDir, 'settings.json'));
  const cacheDir = join(options.userDataDir, 'datasets', 'fashion-mnist');
  const dataDir = (): string | undefined => options.dataDir ?? settings.get().dataDir;
  const dataset = new DatasetService({
    cacheDir,
    dataDir,
    onProgress: (progress) => options.send('dataset:progress', progress),
    baseUrl: options.datasetBaseUrl,
    systemDir: options.systemDir,
  });

  // A database that cannot be opened must not keep the app from starting: the status bar and
  // every runs request then say why, naming the file, and the file is left as it was.
  let store: Store | null = null;
  let dbError: string | null = null;
  try {
    store = openStore(dbPath, {
      checkpointRoot: join(options.userDataDir, 'checkpoints'),
      nativeBinding: options.sqliteBinding,
    });
    if (store.recoveredRunIds.length) {
      log(`marked ${store.recoveredRunIds.length} run(s) interrupted: their trainer is gone`);
    }
  } catch (err) {
    dbError = err instanceof Error ? err.message : String(err);
    log(`run database unavailable: ${dbError}`);
  }

  // On quit, a trainer gets 10 s to finish its batch and report `stopped` before it is killed.
  const supervisor = new TrainerSupervisor({ forkTrainer: options.forkTrainer, stopTimeoutMs: 10_000 });
  const runService =
    store &&
    new RunService({
      store,
      supervisor,
      checkpointRoot: join(options.userDataDir, 'checkpoints'),
      dataDir,
      cacheDir,
      backend: options.backend,
      batchEvery: options.batchEvery,
      publish: (event) => options.send('run:event', event),
      onError: log,
    });

  const requireStore = (): Store => {
    if (!store) throw new StoreError('corrupt', dbError ?? `The run database ${dbPath} is not open.`);
    return store;
  };
  const requireWritable = (): RunService => {
    const s = requireStore();
    if (s.readonly || !runService) {
      throw new StoreError(
        'read-only',
        `The run database ${dbPath} is read-only: runs can be viewed but not started or changed.`,
      );
    }
    return runService;
  };

  async function exportRuns(ids: number[], format: 'json' | 'csv'): Promise<ExportResult> {
    const s = requireStore();
    if (!options.chooseSavePath) throw new HandlerError('unavailable', 'Saving files is not available here.');
    // Ask first: a cancelled dialog should not have serialised up to 1,000 runs for nothing.
    const path = await options.chooseSavePath(`lenet5-runs-${ids.join('-').slice(0, 60)}.${format}`);
    if (!path) return null;
    const text = format === 'json' ? s.exportRuns(ids) : s.metricsCsv(ids);
    writeFileSync(path, text);
    return { path, bytes: Buffer.byteLength(text) };
  }

  return {
    store,
    runService,
    async appInfo(): Promise<AppInfo> {
      const [backend, location] = await Promise.all([probeBackend(), dataset.location()]);
      return {
        appVersion: options.appVersion,
        backend,
        tfjsVersion: tfjsVersion(),
        dataset: location,
        dbPath,
        dbError,
        dbReadOnly: store?.readonly ?? false,
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
    runs: {
      list: async (query) => requireStore().listRuns(query),
      get: async (id) => requireStore().getRun(id),
      start: async (request) => requireWritable().start(request),
      stop: async (id) => requireWritable().stop(id),
      // The store itself refuses edits to a read-only database, naming the file.
      update: async (id, patch) => requireStore().updateRun(id, patch),
      remove: async (id) => {
        const service = requireWritable();
        if (service.isActive(id)) throw new HandlerError('conflict', `Run #${id} is still training: stop it first.`);
        return requireStore().deleteRun(id);
      },
      compare: async (ids) => requireStore().compareRuns(ids),
      confusion: async (runId, role) => requireStore().confusion(runId, role),
      confusionDiff: async ({ a, b, role }) => requireStore().confusionDiff(a, b, role),
      predictions: async (query) => requireStore().predictions(query),
      disagreements: async ({ a, b, role }) => requireStore().disagreements(a, b, role),
      exportRuns: async ({ ids, format }) => exportRuns(ids, format),
    },
    async dispose() {
      await runService?.shutdown();
      store?.close();
    },
  };
}
