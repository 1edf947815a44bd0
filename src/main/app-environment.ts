/**
 * What the desktop app takes from its surroundings, read in this one place: the database
 * (`LENET_STUDIO_DB`, the same override the CLI honours), where FashionMNIST is looked for and
 * fetched from (a mirror, or a test's local server), and which better-sqlite3 binary to load.
 */
import { join } from 'node:path';
import { dbPathInUserData } from '../core/paths';

type Env = Record<string, string | undefined>;

export const SYSTEM_DATASET_DIR_ENV = 'LENET_STUDIO_SYSTEM_DATASET_DIR';
export const DATASET_URL_ENV = 'LENET_STUDIO_DATASET_URL';
export const SQLITE_BINDING_ENV = 'LENET_SQLITE_BINDING';

export interface AppSurroundings {
  userDataDir: string;
  /** Electron's `app.getAppPath()`: the repository root under `npm start`/`npm run dev`. */
  appPath: string;
  isPackaged: boolean;
  /** `process.versions.electron`; undefined when main runs in plain Node (the UI tests). */
  electronVersion: string | undefined;
}

export interface AppEnvironment {
  dbPath: string;
  systemDir?: string;
  datasetBaseUrl?: string;
  sqliteBinding?: string;
}

/**
 * Where `npm start` and `npm run dev` build better-sqlite3 for Electron's ABI (node_modules keeps
 * the Node build that the CLI and tests load). scripts/electron-binary.mjs builds to this path; a
 * unit test keeps the two equal.
 */
export function electronSqliteBinding(appPath: string, electronVersion: string): string {
  return join(
    appPath,
    '.electron-native',
    electronVersion,
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

export function appEnvironment(app: AppSurroundings, env: Env = process.env): AppEnvironment {
  const nonEmpty = (name: string): string | undefined => env[name]?.trim() || undefined;
  // A packaged app's own node_modules holds electron-builder's Electron build; plain Node (the
  // UI tests' stand-in) loads node_modules' Node build.
  const sqliteBinding =
    nonEmpty(SQLITE_BINDING_ENV) ??
    (app.isPackaged || !app.electronVersion ? undefined : electronSqliteBinding(app.appPath, app.electronVersion));
  return {
    dbPath: dbPathInUserData(app.userDataDir, env),
    systemDir: nonEmpty(SYSTEM_DATASET_DIR_ENV),
    datasetBaseUrl: nonEmpty(DATASET_URL_ENV),
    sqliteBinding,
  };
}
