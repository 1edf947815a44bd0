/**
 * Reading and advancing the schema version. Each migration runs in its own IMMEDIATE transaction
 * together with its schema_migrations row, so a crash leaves either the old or the new schema,
 * never half of one; two processes opening a fresh file at once serialise on the write lock and
 * the second finds the work done.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './index';

/** 'L5NS': marks the file as ours for tools like `file(1)` and for our own foreign-file check. */
export const APPLICATION_ID = 0x4c354e53;

const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

export interface SchemaState {
  /** Highest applied migration, 0 for an empty file, null when the file has tables but no record. */
  version: number | null;
  /** Tables in a file we did not create (reported when `version` is null). */
  foreignTables: string[];
}

export function readSchemaState(db: Database.Database): SchemaState {
  const tables = (
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)
      .all() as { name: string }[]
  ).map((r) => r.name);
  if (tables.includes('schema_migrations')) {
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
    return { version: row.version ?? 0, foreignTables: [] };
  }
  return tables.length === 0 ? { version: 0, foreignTables: [] } : { version: null, foreignTables: tables };
}

/** Refuse files this build must not touch: a newer schema, or somebody else's database. */
export function assertUsableSchema(state: SchemaState, file: string): void {
  if (state.version === null) {
    throw new StoreError(
      'corrupt',
      `${file} is a SQLite database but not a LeNet5 Studio run database (it has tables ${state.foreignTables.slice(0, 5).join(', ')}); it was left untouched.`,
    );
  }
  if (state.version > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      'newer-schema',
      `The run database ${file} was written by a newer version of LeNet5 Studio (schema ${state.version}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update the app; the file was left untouched.`,
    );
  }
}

/** The versions recorded in schema_migrations (none for a fresh file). */
function appliedVersions(db: Database.Database): Set<number> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
  if (!exists) return new Set();
  return new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
}

/**
 * Apply every migration not yet recorded (a gap below the highest is filled, see index.ts);
 * returns the versions applied now.
 */
export function applyMigrations(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  const applied: number[] = [];
  // Up to date: take no write lock, so opening works while another process is writing.
  const current = readSchemaState(db);
  assertUsableSchema(current, file);
  const done = appliedVersions(db);
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it while we waited.
      const state = readSchemaState(db);
      assertUsableSchema(state, file);
      if (appliedVersions(db).has(migration.version)) return;
      db.exec(SCHEMA_MIGRATIONS_TABLE);
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      // Mirrors schema_migrations (its highest version) for tools that only look at the header.
      db.pragma(`user_version = ${Math.max(migration.version, state.version ?? 0)}`);
      if (migration.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      applied.push(migration.version);
    });
    step.immediate();
  }
  return applied;
}
