import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openStore, StoreError } from '../../src/core/store/index';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { config, tempDir } from './store-fixtures';

function expectStoreError(fn: () => unknown, code: string, ...fragments: string[]): StoreError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    const e = error as StoreError;
    expect(e.code).toBe(code);
    for (const f of fragments) expect(e.message).toContain(f);
    return e;
  }
  throw new Error(`expected a StoreError '${code}'`);
}

describe('opening the run database', () => {
  it('creates the file and folder, applies numbered migrations once, and uses WAL + foreign keys', () => {
    const file = join(tempDir(), 'nested', 'folder', 'studio.db');
    const store = openStore(file);
    expect(store.path).toBe(file);
    expect(store.readonly).toBe(false);
    store.createRun(config());
    store.close();

    const again = openStore(file); // second open: nothing to apply
    again.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'runs',
        'run_tags',
        'epoch_metrics',
        'batch_points',
        'evaluations',
        'predictions',
        'test_labels',
        'checkpoints',
      ]),
    );
    db.close();
  });

  it('turns foreign keys on for its connection (a metric row cannot point at a missing run)', () => {
    const file = join(tempDir(), 'fk.db');
    openStore(file).close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare('INSERT INTO epoch_metrics (run_id, epoch) VALUES (999, 1)').run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a non-SQLite file with a message naming it, and leaves its bytes unchanged', () => {
    const file = join(tempDir(), 'studio.db');
    const bytes = Buffer.from('This is my shopping list, not a database.\n'.repeat(200));
    writeFileSync(file, bytes);
    expectStoreError(() => openStore(file), 'corrupt', file, 'not a SQLite database');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a SQLite file whose pages are garbage, and leaves its bytes unchanged', () => {
    const file = join(tempDir(), 'studio.db');
    const store = openStore(file);
    for (let i = 0; i < 50; i++) store.createRun(config(), { notes: 'x'.repeat(500) });
    store.close();
    const damaged = readFileSync(file);
    // Keep the 100-byte header, scribble over the rest of page 1 (the schema) and beyond.
    for (let i = 100; i < damaged.length; i++) damaged[i] = (i * 131) & 0xff;
    writeFileSync(file, damaged);
    expectStoreError(() => openStore(file), 'corrupt', file);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('refuses somebody else’s SQLite database without adding tables to it', () => {
    const file = join(tempDir(), 'other.db');
    const other = new Database(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)');
    other.close();
    const before = readFileSync(file);
    expectStoreError(() => openStore(file), 'corrupt', file, 'not a LeNet5 Studio run database', 'invoices');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database from a newer app version and does not touch it', () => {
    const file = join(tempDir(), 'newer.db');
    openStore(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      LATEST_SCHEMA_VERSION + 1,
      'from-the-future',
      Date.now(),
    );
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(file);
    const e = expectStoreError(
      () => openStore(file),
      'newer-schema',
      file,
      `schema ${LATEST_SCHEMA_VERSION + 1}`,
      'newer version',
    );
    expect(e.message).toContain('untouched');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses to create a database when told it must exist', () => {
    const file = join(tempDir(), 'missing.db');
    expectStoreError(() => openStore(file, { mustExist: true }), 'not-found', file);
  });

  it('opens read-only on request: reads work, writes fail naming the file', () => {
    const file = join(tempDir(), 'ro.db');
    const rw = openStore(file);
    const id = rw.createRun(config());
    rw.close();
    const ro = openStore(file, { readonly: true });
    expect(ro.readonly).toBe(true);
    expect(ro.listRuns().total).toBe(1);
    expect(ro.getRun(id).status).toBe('queued');
    expectStoreError(() => ro.createRun(config()), 'read-only', file);
    expectStoreError(() => ro.updateRun(id, { name: 'x' }), 'read-only', file);
    ro.close();
  });
});
