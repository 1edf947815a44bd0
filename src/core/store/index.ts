/**
 * The run store's front door: everything outside store/ reaches the database through what this
 * file exports. The API is named methods on one `Store` object per open database (store.ts), not
 * one module per aggregate: every call then passes the same guard (a closed database refused,
 * SQLite's errors turned into StoreErrors that name the file), and a caller holds one thing whose
 * methods say what it can ask. Electron-free: the app, the CLI, the tools and the tests all use it.
 */
export { openStore, Store } from './store';
export type { OpenStoreOptions } from './store';
export { openBulkWriter, type BulkWriter, type RunWriter } from './bulk-writer';
export { readOnlyError, StoreError } from './errors';
export { LATEST_SCHEMA_VERSION } from './migrations/index';
export { MAX_BATCH_POINTS } from './metrics';
export { currentProcess, ownerLiveness, processStartToken } from './owner';
export { flattenConfig } from './queries/compare';
