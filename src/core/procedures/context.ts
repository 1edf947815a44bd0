/**
 * What the procedures work on: the store, the run service, the dataset, the settings and the few
 * things only the app can do (dialogs). Electron-free: the app passes its user-data folder, a
 * `send`, dialogs and a trainer launcher; the CLI passes its database and a progress printer;
 * both get the same code.
 */
import { join } from 'node:path';
import type { EventName, Events } from '../../shared/procedures';
import type { BackendName } from '../../shared/training';
import { DatasetService } from '../dataset';
import { RunService } from '../runs';
import { defaultParallelTrainers, SettingsFile } from '../settings';
import { DB_FILE_NAME, studioLayout, userDataFiles, type StudioLayout } from '../paths';
import { openStore, readOnlyError, StoreError, type Store } from '../store';
import { InspectorClient, type ForkInspector } from '../inspector';
import { TrainerSupervisor, type ForkTrainer } from '../trainer';

/** Sends a main → renderer event to the window (no-op when there is none). */
export type SendFn = <E extends EventName>(event: E, payload: Events[E]) => void;

export interface ContextOptions {
  /** App data folder: settings live here, and by default the database and what it owns. */
  userDataDir: string;
  appVersion: string;
  send: SendFn;
  /** Default `<userData>/studio.db`; checkpoints and the dataset cache live beside it. */
  dbPath?: string;
  /** The better-sqlite3 binary to load (the app's Electron-ABI build); default node_modules'. */
  sqliteBinding?: string;
  /** Refuse a missing database instead of creating it (`npm run export` reads an existing one). */
  dbMustExist?: boolean;
  /** Only read the database, never write it (`npm run export`: works on a full disk too). */
  dbReadOnly?: boolean;
  /** A dataset folder, overriding the one saved in settings. */
  dataDir?: string;
  /** Asks the user for a folder (Electron's dialog in the app); null when cancelled. */
  chooseFolder?: () => Promise<string | null>;
  /** Asks where to save a file (Electron's save dialog in the app); null when cancelled. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Dataset download source (a mirror; tests serve the files locally). */
  datasetBaseUrl?: string;
  /** The system-wide dataset folder (default /usr/share/datasets/fashion-mnist). */
  systemDir?: string;
  /** How to start a trainer process (utilityProcess in the app; child_process.fork elsewhere). */
  forkTrainer?: ForkTrainer;
  /** How to start the inspector process (utilityProcess in the app; child_process.fork elsewhere). */
  forkInspector?: ForkInspector;
  /** Force a backend for new runs (tests, CLI). */
  backend?: BackendName;
  /** Batch events every N batches. */
  batchEvery?: number;
  log?: (message: string) => void;
}

export interface ProcedureContext {
  readonly options: ContextOptions;
  readonly layout: StudioLayout;
  readonly dataset: DatasetService;
  readonly settings: SettingsFile;
  /** Why the database could not be opened; null when it is open. */
  readonly dbError: string | null;
  /** The open store, or a StoreError naming the file when there is none. */
  store(): Store;
  /** The run service, or a 'read-only' StoreError when runs cannot be started or changed. */
  runService(): RunService;
  /** The inspector process's client (the process starts on the first request). */
  inspector(): InspectorClient;
  /** Stops trainers (letting them record `stopped`) and closes the database. */
  dispose(): Promise<void>;
}

export function createContext(options: ContextOptions): ProcedureContext {
  const log = options.log ?? ((m: string) => console.warn(m));
  const layout = studioLayout(options.dbPath ?? join(options.userDataDir, DB_FILE_NAME));
  const files = userDataFiles(options.userDataDir);
  const settings = new SettingsFile(files.settings);
  const dataDir = (): string | undefined => options.dataDir ?? settings.get().dataDir;
  const dataset = new DatasetService({
    cacheDir: layout.datasetCacheDir,
    dataDir,
    onProgress: (progress) => options.send('dataset:progress', progress),
    baseUrl: options.datasetBaseUrl,
    systemDir: options.systemDir,
  });

  // A database that cannot be opened must not keep the app from starting: the status bar and
  // every runs request then say why, naming the file, and the file is left as it was.
  let store: Store | null = null;
  let dbError: string | null = null;
  // Kept whole so every later request answers with the cause's own code (newer-schema, read-only…).
  let dbFailure: unknown = null;
  try {
    store = openStore(layout.dbPath, {
      checkpointRoot: layout.checkpointRoot,
      nativeBinding: options.sqliteBinding,
      mustExist: options.dbMustExist,
      readonly: options.dbReadOnly,
    });
    if (store.recoveredRunIds.length) {
      log(`marked ${store.recoveredRunIds.length} run(s) interrupted: their trainer is gone`);
    }
  } catch (err) {
    dbFailure = err;
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
      checkpointRoot: layout.checkpointRoot,
      dataDir,
      cacheDir: layout.datasetCacheDir,
      backend: options.backend,
      batchEvery: options.batchEvery,
      concurrency: () => settings.get().parallelTrainers ?? defaultParallelTrainers(),
      maxThreads: () => settings.get().maxThreads,
      backendChoiceFile: files.backendChoice,
      publish: (event) => options.send('run:event', event),
      onError: log,
    });

  let inspector: InspectorClient | null = null;
  const openedStore = (): Store => {
    if (!store)
      throw dbFailure instanceof StoreError
        ? dbFailure
        : new StoreError('io', dbError ?? `The run database ${layout.dbPath} is not open.`);
    return store;
  };
  return {
    options,
    layout,
    dataset,
    settings,
    dbError,
    store: openedStore,
    runService() {
      const s = openedStore();
      if (s.readonly || !runService) throw readOnlyError(layout.dbPath, s.readonlyReason ?? undefined);
      return runService;
    },
    inspector() {
      inspector ??= new InspectorClient(options.forkInspector);
      return inspector;
    },
    async dispose() {
      inspector?.dispose();
      await runService?.shutdown();
      store?.close();
    },
  };
}
