/**
 * The run store's public surface. Electron-free: the app passes the database path it computed
 * from `app.getPath('userData')` (or uses `dbPathInUserData`), the CLI and tests use
 * `defaultDbPath` / `resolveDbPath`.
 */
export { openStore, Store } from './store';
export type { OpenStoreOptions } from './store';
export { readOnlyError, StoreError } from './errors';
export { DEFAULT_BUSY_TIMEOUT_MS } from './db';
export { LATEST_SCHEMA_VERSION } from './migrations/index';
export { MAX_BATCH_POINTS } from './metrics';
export { PREDICTION_ENCODING } from './predictions';
export { flattenConfig } from './queries/compare';
export { EXPORT_FORMAT, EXPORT_VERSION } from './queries/export';
export type { RunsExport } from './queries/export';
export { currentProcess, ownerLiveness, processStartToken } from './owner';
export {
  DB_FILE_NAME,
  DB_PATH_ENV,
  PRODUCT_NAME,
  dbPathInUserData,
  defaultCheckpointRoot,
  defaultDbPath,
  defaultUserDataDir,
  resolveDbPath,
  runCheckpointDir,
  studioLayout,
} from './paths';
export type { StudioLayout } from './paths';
