/**
 * Opening the run database: one connection, WAL, foreign keys, a busy timeout, migrations.
 *
 * The order matters for the fault cases. The file's header is checked before SQLite sees it and
 * the schema version is read before any pragma that writes, so a foreign, damaged or newer file is
 * refused without a byte changing. A file we may not write is opened read-only (reads keep
 * working; writes fail with 'read-only'), and when even that is impossible because the folder is
 * read-only too (a WAL reader must create the -shm file), a temporary copy is opened instead.
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, toStoreError } from './errors';
import { isDiskFull } from './reserve';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { applyMigrations, assertUsableSchema, readableWithoutMigrating, readSchemaState } from './migrations/apply';

export interface OpenDatabaseOptions {
  /** Never write: no migrations, no recovery. */
  readonly?: boolean;
  /** Refuse to create a new file (CLI export, inspection tools). */
  mustExist?: boolean;
  /** How long a write waits for another process's write lock before failing with 'locked'. */
  busyTimeoutMs?: number;
  /**
   * The better-sqlite3 binary to load instead of node_modules' own (built for Node's ABI): the
   * desktop app passes its Electron-ABI build (see main/native-binding.ts).
   */
  nativeBinding?: string;
}

interface ConnectOptions {
  busyTimeoutMs: number;
  nativeBinding?: string;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Absolute path of the database the user named. */
  file: string;
  readonly: boolean;
  /** Why it is read-only, in words naming the file that stops writing (null when writable). */
  readonlyReason: string | null;
  /** Set when reading a temporary copy because the original's folder is not writable. */
  snapshotDir: string | null;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Refuse a file that is not SQLite by its first 16 bytes, before SQLite can touch it. */
function checkHeader(file: string): void {
  const stats = statSync(file);
  if (!stats.isFile()) throw new StoreError('io', `The run database path ${file} is not a regular file.`);
  if (stats.size === 0) return; // SQLite treats an empty file as a new database.
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < head.length || !head.equals(SQLITE_HEADER)) {
    throw new StoreError(
      'corrupt',
      `${file} is not a SQLite database (its header is wrong), so it cannot be the run database. It was left untouched; move it aside or choose another file.`,
    );
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the database cannot be written, or null when it can. SQLite creates -wal and -shm with the
 * database's own mode, so a read-only episode leaves them read-only after the user has made the
 * database writable again: one of ours gets the database's mode back, and one we may not change
 * is named with what to do.
 */
function whyNotWritable(file: string, exists: boolean): string | null {
  if (exists && !writable(file)) return 'the file is not writable';
  // WAL needs to create the -wal and -shm files next to the database.
  if (!writable(dirname(file))) return 'its folder is not writable';
  if (!exists) return null;
  for (const suffix of ['-wal', '-shm'] as const) {
    const companion = `${file}${suffix}`;
    if (!existsSync(companion) || writable(companion)) continue;
    try {
      chmodSync(companion, statSync(file).mode & 0o666);
    } catch {
      // Not ours to change: named below.
    }
    if (!writable(companion)) {
      const remedy = suffix === '-shm' ? 'make it writable, or remove it while no studio is open' : 'make it writable';
      return `its ${suffix} file ${companion} is not writable; ${remedy}`;
    }
  }
  return null;
}

function isReadOnlyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM')
  );
}

/** A full disk, or the I/O error SQLite reports when it cannot size its -shm file on one. */
function isDiskFullOrIo(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isDiskFull(error) || (typeof code === 'string' && code.startsWith('SQLITE_IOERR'));
}

function connect(file: string, readonly: boolean, { busyTimeoutMs, nativeBinding }: ConnectOptions): Database.Database {
  if (nativeBinding && !existsSync(nativeBinding)) {
    throw new StoreError(
      'io',
      `The run database cannot be opened: the Electron build of better-sqlite3 is missing (${nativeBinding}). Start the app with \`npm start\` once to build it.`,
    );
  }
  const db = new Database(file, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs, nativeBinding });
  try {
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Read-write setup: refuse unusable files first, then WAL and migrations. */
function initWritable(db: Database.Database, file: string): void {
  assertUsableSchema(readSchemaState(db), file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable against a crashed or killed process (commits are in the WAL in the OS
  // cache); only a power cut can lose the last commits, never corrupt the file. FULL would
  // fsync every per-event transaction.
  db.pragma('synchronous = NORMAL');
  // After a checkpoint, shrink a WAL that a big transaction (bulk delete, import) blew up.
  db.pragma('journal_size_limit = 67108864');
  applyMigrations(db, file);
}

function initReadOnly(db: Database.Database, file: string): void {
  const state = readSchemaState(db);
  assertUsableSchema(state, file);
  if (state.version !== LATEST_SCHEMA_VERSION && !(state.version !== 0 && readableWithoutMigrating(db))) {
    throw new StoreError(
      'read-only',
      state.version === 0
        ? `The run database ${file} is empty and read-only, so it cannot be created there.`
        : `The run database ${file} needs upgrading (schema ${state.version} → ${LATEST_SCHEMA_VERSION}) but is read-only.`,
    );
  }
}

function openReadOnly(file: string, reason: string, connectOptions: ConnectOptions): OpenedDatabase {
  let db: Database.Database | null = null;
  try {
    db = connect(file, true, connectOptions);
    initReadOnly(db, file);
    return { db, file, readonly: true, readonlyReason: reason, snapshotDir: null };
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown } | null)?.code;
    // A WAL database in a read-only folder (or on a full disk) cannot be read in place: SQLite
    // must create -shm.
    if (
      code !== 'SQLITE_READONLY_DIRECTORY' &&
      code !== 'SQLITE_CANTOPEN' &&
      code !== 'SQLITE_READONLY_CANTINIT' &&
      !isDiskFullOrIo(error)
    )
      throw error;
  }
  return openSnapshot(file, reason, connectOptions);
}

/** Copy the database (and its WAL, which holds the newest commits) to a temp folder and read that. */
function openSnapshot(file: string, reason: string, connectOptions: ConnectOptions): OpenedDatabase {
  const snapshotDir = mkdtempSync(join(tmpdir(), 'lenet5-studio-readonly-'));
  try {
    const copy = join(snapshotDir, 'studio.db');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = connect(copy, true, connectOptions);
    try {
      initReadOnly(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
    return { db, file, readonly: true, readonlyReason: reason, snapshotDir };
  } catch (error) {
    rmSync(snapshotDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Open (creating if allowed) the run database at `path`. Throws a StoreError whose message names
 * the file: 'corrupt', 'newer-schema', 'locked', 'read-only', 'not-found' or 'io'.
 */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): OpenedDatabase {
  const file = resolve(path);
  const connectOptions = {
    busyTimeoutMs: opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    nativeBinding: opts.nativeBinding,
  };
  try {
    const exists = existsSync(file);
    if (exists) checkHeader(file);
    else if (opts.readonly || opts.mustExist) throw new StoreError('not-found', `There is no run database at ${file}.`);
    else mkdirSync(dirname(file), { recursive: true });

    const why = opts.readonly ? 'opened for reading only' : whyNotWritable(file, exists);
    if (why) {
      if (!exists)
        throw new StoreError('read-only', `The run database ${file} cannot be created: its folder is not writable.`);
      return openReadOnly(file, why, connectOptions);
    }
    let db: Database.Database | null = null;
    try {
      db = connect(file, false, connectOptions);
      initWritable(db, file);
      return { db, file, readonly: false, readonlyReason: null, snapshotDir: null };
    } catch (error) {
      db?.close();
      // Permissions can say yes while the file system says no (read-only mount, ACLs); a full
      // disk cannot take the -shm file or a recovery write. Reading needs neither.
      if (exists && (isReadOnlyError(error) || isDiskFullOrIo(error)))
        return openReadOnly(file, (error as Error).message, connectOptions);
      throw error;
    }
  } catch (error) {
    throw toStoreError(error, file);
  }
}

/** Close the connection and drop a read-only snapshot copy. */
export function closeDatabase(opened: OpenedDatabase): void {
  if (opened.db.open) opened.db.close();
  if (opened.snapshotDir) rmSync(opened.snapshotDir, { recursive: true, force: true });
}
