/**
 * The studio's folder layout, in this one module for the app, the CLI and the tests: where the run
 * database lives (computed without Electron: the folder matches Electron's `app.getPath('userData')`
 * for productName "LeNet5 Studio"), and what lives beside it.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PRODUCT_NAME = 'LeNet5 Studio';
export const DB_FILE_NAME = 'studio.db';
export const DB_PATH_ENV = 'LENET_STUDIO_DB';

type Env = Record<string, string | undefined>;

/** Electron's userData folder for this app on `platform`. */
export function defaultUserDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}

/** The database path: `$LENET_STUDIO_DB` when set, else `<userData>/studio.db`. */
export function defaultDbPath(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[DB_PATH_ENV];
  if (override && override.trim()) return resolve(override);
  return join(defaultUserDataDir(env, platform), DB_FILE_NAME);
}

/**
 * The app's database path given Electron's real userData folder: the env override still wins,
 * so tests can point a packaged app at a scratch database.
 */
export function dbPathInUserData(userDataDir: string, env: Env = process.env): string {
  const override = env[DB_PATH_ENV];
  if (override && override.trim()) return resolve(override);
  return join(userDataDir, DB_FILE_NAME);
}

/** Default checkpoint root: a `checkpoints` folder next to the database. */
export function defaultCheckpointRoot(dbPath: string): string {
  return join(resolve(dbPath, '..'), 'checkpoints');
}

/** One run's checkpoint folder: `run-<id>` in the checkpoint root. */
export function runCheckpointDir(checkpointRoot: string, runId: number): string {
  return join(checkpointRoot, `run-${runId}`);
}

/** What a database owns lives beside it: its runs' checkpoints and the downloaded dataset. */
export interface StudioLayout {
  dbPath: string;
  checkpointRoot: string;
  datasetCacheDir: string;
}

/** The space a database keeps back for a run's last event on a full disk (store/reserve.ts). */
export const DB_RESERVE_SUFFIX = '-reserve';

/**
 * The files beside a database that belong to it: SQLite's write-ahead log, shared-memory index and
 * rollback journal, and the studio's reserve.
 */
export const DB_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal', DB_RESERVE_SUFFIX] as const;

/** A file or folder the studio owns, named in words for refusals ("the run database's -wal file"). */
export interface OwnedPlace {
  path: string;
  what: string;
  /** Everything inside is owned too. */
  folder: boolean;
}

/**
 * Everything the studio writes and must never see written over by a user-chosen path: the
 * database and its SQLite companions, the checkpoint and dataset cache folders, and (given the
 * data folder) the settings and backend-choice files.
 */
export function studioOwnedPlaces(layout: StudioLayout, userData?: UserDataFiles): OwnedPlace[] {
  return [
    { path: layout.dbPath, what: 'the run database', folder: false },
    ...DB_COMPANION_SUFFIXES.map((suffix) => ({
      path: `${layout.dbPath}${suffix}`,
      what: `the run database's ${suffix} file`,
      folder: false,
    })),
    { path: layout.checkpointRoot, what: "the studio's checkpoint folder", folder: true },
    { path: layout.datasetCacheDir, what: "the studio's dataset folder", folder: true },
    ...(userData
      ? [
          { path: userData.settings, what: "the studio's settings file", folder: false },
          { path: userData.backendChoice, what: "the studio's backend-choice file", folder: false },
        ]
      : []),
  ];
}

export function studioLayout(dbPath: string): StudioLayout {
  const file = resolve(dbPath);
  return {
    dbPath: file,
    checkpointRoot: defaultCheckpointRoot(file),
    datasetCacheDir: join(resolve(file, '..'), 'datasets', 'fashion-mnist'),
  };
}

/**
 * What the app keeps in its data folder (the CLI: in its database's folder): the settings the user
 * chose, and which backend trained fastest on this machine for each configuration
 * (engine/backend/choice.ts).
 */
export interface UserDataFiles {
  settings: string;
  backendChoice: string;
}

export const SETTINGS_FILE_NAME = 'settings.json';
export const CHOICE_FILE_NAME = 'backend-choice.json';

export function userDataFiles(userDataDir: string): UserDataFiles {
  return { settings: join(userDataDir, SETTINGS_FILE_NAME), backendChoice: join(userDataDir, CHOICE_FILE_NAME) };
}

/** CLI: `--db PATH` or `--db=PATH`, else the env override, else the default. */
export function resolveDbPath(argv: readonly string[], env: Env = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--db' && argv[i + 1]) return resolve(argv[i + 1]);
    if (arg.startsWith('--db=') && arg.length > 5) return resolve(arg.slice(5));
  }
  return defaultDbPath(env);
}
