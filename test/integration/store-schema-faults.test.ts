/**
 * Schema faults as the window meets them (main's procedure context over a real file): a lost row
 * in schema_migrations is recognised from the schema itself, a half-present step is refused with
 * what to do, and a newer database is answered with `newer-schema`, never `corrupt`. Each refusal
 * leaves the file's bytes as they were; each recovery keeps every run and epoch.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { callProcedure, createContext } from '../../src/core/procedures';
import { openStore } from '../../src/core/store/index';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { tempDir } from '../unit/store-fixtures';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A cleanly closed studio database with two runs, then `damage` applied to it directly. */
function damagedStudio(damage: string): { dir: string; db: string } {
  const dir = tempDir('schema-faults-');
  const db = join(dir, 'studio.db');
  const store = openStore(db);
  seedRun(store, { name: 'one', epochs: 2 });
  seedRun(store, { name: 'two', epochs: 3 });
  store.close();
  const raw = new Database(db);
  raw.pragma('foreign_keys = OFF');
  raw.exec(damage);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return { dir, db };
}

async function openAsTheWindow(dir: string, db: string) {
  const ctx = createContext({ userDataDir: dir, dbPath: db, appVersion: 'test', send: () => {} });
  const list = await callProcedure(ctx, 'runs:list', [{}]);
  await ctx.dispose();
  return { dbError: ctx.dbError, list };
}

describe('the migrations table against the schema', () => {
  it('recognises a step whose row was lost, records it, and keeps every run', async () => {
    const { dir, db } = damagedStudio('DELETE FROM schema_migrations WHERE version = 3;');
    const { dbError, list } = await openAsTheWindow(dir, db);
    expect(dbError).toBeNull();
    expect(list.ok && list.data.rows.map((r) => r.name).sort()).toEqual(['one', 'two']);
    const raw = new Database(db, { readonly: true });
    // Every step is recorded again, the lost one (3) included.
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
    );
    expect(raw.prepare('SELECT COUNT(*) FROM epoch_metrics').pluck().get()).toBe(5);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('refuses a half-present step, saying what is missing and what to do, and leaves the file untouched', async () => {
    const { dir, db } = damagedStudio('DROP TABLE sweeps; DELETE FROM schema_migrations WHERE version = 3;');
    const before = sha(db);
    const { dbError, list } = await openAsTheWindow(dir, db);
    expect(dbError).toContain('holds part of schema step 3 (sweeps) but not table sweeps');
    expect(dbError).toContain('It was left untouched: restore it from a backup, or move it aside');
    expect(list.ok).toBe(false);
    expect(!list.ok && list.error.code).toBe('corrupt');
    expect(sha(db)).toBe(before);
  });
});

describe('a database from a newer version', () => {
  it("is answered with 'newer-schema' (not 'corrupt') and left untouched", async () => {
    const { dir, db } = damagedStudio(
      `INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0);`,
    );
    const before = sha(db);
    const { dbError, list } = await openAsTheWindow(dir, db);
    expect(dbError).toContain('written by a newer version of LeNet5 Studio');
    expect(!list.ok && list.error.code).toBe('newer-schema');
    expect(sha(db)).toBe(before);
  });
});
