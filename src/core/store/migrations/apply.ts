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

type Presence = 'all' | 'none' | 'some';

/** The tables and columns a step's SQL creates, read from the SQL itself. */
function createdBy(migration: Migration): { tables: string[]; columns: [string, string][] } {
  const tables = [...migration.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((m) => m[1]);
  const columns = [...migration.sql.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+)/gi)].map(
    (m) => [m[1], m[2]] as [string, string],
  );
  return { tables, columns };
}

/** How much of what `migration` creates the schema already holds (a data-only step: 'none'). */
function schemaPresence(db: Database.Database, migration: Migration): { presence: Presence; missing: string[] } {
  const { tables, columns } = createdBy(migration);
  const hasTable = (name: string) =>
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  const hasColumn = (table: string, column: string) =>
    hasTable(table) && (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);
  const found = [
    ...tables.map((t) => ({ what: `table ${t}`, there: hasTable(t) })),
    ...columns.map(([t, c]) => ({ what: `column ${t}.${c}`, there: hasColumn(t, c) })),
  ];
  const missing = found.filter((f) => !f.there).map((f) => f.what);
  if (found.length === 0 || missing.length === found.length) return { presence: 'none', missing };
  return { presence: missing.length === 0 ? 'all' : 'some', missing };
}

/** Refuse a file holding part of a step: neither running it again nor skipping it is safe. */
function refusePartial(file: string, migration: Migration, missing: string[]): never {
  throw new StoreError(
    'corrupt',
    `The run database ${file} holds part of schema step ${migration.version} (${migration.name}) but not ${missing.join(', ')}, and does not record that step. It was left untouched: restore it from a backup, or move it aside so the studio starts a new one.`,
  );
}

/**
 * Whether a read-only open can read this file: every step recorded, recognised by its schema, or
 * data-only (its rewrite has not run; what it rewrites is still read correctly). A file that
 * needs a schema step it lacks cannot be read by this build's queries.
 */
export function readableWithoutMigrating(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): boolean {
  const done = appliedVersions(db);
  return migrations.every((m) => {
    if (done.has(m.version)) return true;
    const { tables, columns } = createdBy(m);
    return (tables.length === 0 && columns.length === 0) || schemaPresence(db, m).presence === 'all';
  });
}

/**
 * Apply every migration not yet recorded (a gap below the highest is filled, see index.ts);
 * returns the versions applied now. A step whose schema is already there (its row was lost) is
 * recorded without running; one that is half there is refused.
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
      const { presence, missing } = schemaPresence(db, migration);
      if (presence === 'some') refusePartial(file, migration, missing);
      db.exec(SCHEMA_MIGRATIONS_TABLE);
      if (presence === 'none') {
        db.exec(migration.sql);
        migration.rewrite?.(db, file);
      }
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
