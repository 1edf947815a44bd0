/**
 * Migrations are applied by which versions are recorded: a database that got 001 and 003 (from a
 * branch without 002) gets 002 when a build that has it opens it, and keeps user_version at 3.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migration001 } from '../../src/core/store/migrations/001_initial';
import { migration003 } from '../../src/core/store/migrations/003_sweeps';
import { applyMigrations } from '../../src/core/store/migrations/apply';

const dir = mkdtempSync(join(tmpdir(), 'lenet-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const later002 = { version: 2, name: 'later', sql: 'CREATE TABLE later_table (id INTEGER PRIMARY KEY);' };

describe('applyMigrations', () => {
  it('fills a gap below the highest applied version', () => {
    const db = new Database(join(dir, 'gap.db'));
    expect(applyMigrations(db, 'gap.db', [migration001, migration003])).toEqual([1, 3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(applyMigrations(db, 'gap.db', [migration001, later002, migration003])).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual([1, 2, 3]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'later_table'`).pluck().get()).toBe('later_table');
    expect(applyMigrations(db, 'gap.db', [migration001, later002, migration003])).toEqual([]);
    db.close();
  });

  it('adds the sweeps table and links runs to a sweep', () => {
    const db = new Database(join(dir, 'sweeps.db'));
    applyMigrations(db, 'sweeps.db', [migration001, migration003]);
    const columns = db.prepare(`SELECT name FROM pragma_table_info('runs')`).pluck().all();
    expect(columns).toContain('sweep_id');
    const sweepColumns = db.prepare(`SELECT name FROM pragma_table_info('sweeps')`).pluck().all();
    expect(sweepColumns).toEqual([
      'id',
      'name',
      'created_at',
      'definition_json',
      'run_count',
      'parallel',
      'stopped_at',
    ]);
    db.close();
  });
});
