/**
 * Migrations are applied by which versions are recorded: a database that got 001 and 003 (from a
 * branch without 002) gets 002 when a build that has it opens it, and keeps user_version at 3.
 * And step by step with data: a database written at each schema version, with a run in it (and
 * what that version could hold), upgraded to the latest by openStore, every row still readable.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migration001 } from '../../src/core/store/migrations/001_initial';
import { migration003 } from '../../src/core/store/migrations/003_sweeps';
import { applyMigrations } from '../../src/core/store/migrations/apply';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/core/store/migrations';
import { openStore } from '../../src/core/store';
import { PRESETS } from '../../src/shared/hyperparams';

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

/**
 * A database as a build at schema `version` left it: its migrations only, and rows written with
 * that version's columns (raw SQL, as that build's store wrote them, not today's store).
 */
function databaseAt(version: number): string {
  const file = join(dir, `at-v${version}.db`);
  const db = new Database(file);
  applyMigrations(
    db,
    file,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  const config = { ...PRESETS.quick, epochs: 2 };
  const run = db
    .prepare(
      `INSERT INTO runs (name, status, created_at, started_at, finished_at, config_json, preset, optimizer,
         learning_rate, batch_size, epochs, seed, conv_activation, pooling, backend, tfjs_version,
         notes, end_reason, best_test_accuracy, final_test_accuracy, best_epoch, epochs_done)
       VALUES (?, 'completed', 1000, 1001, 2000, ?, 'quick', ?, ?, ?, 2, ?, ?, ?, 'wasm', '4.22.0',
         'written at schema v' || ?, 'epochs', 0.71, 0.71, 2, 2)`,
    )
    .run(
      `run at v${version}`,
      JSON.stringify(config),
      config.optimizer,
      config.learningRate,
      config.batchSize,
      config.seed,
      config.model.convActivation,
      config.model.pooling,
      String(version),
    );
  const id = Number(run.lastInsertRowid);
  const epoch = db.prepare(
    `INSERT INTO epoch_metrics (run_id, epoch, train_loss, train_accuracy, test_loss, test_accuracy,
       learning_rate, seconds, images_per_sec) VALUES (?, ?, ?, ?, ?, ?, ?, 1.5, 900)`,
  );
  epoch.run(id, 1, 0.9, 0.6, 0.95, 0.62, config.learningRate);
  epoch.run(id, 2, 0.7, 0.7, 0.75, 0.71, config.learningRate);
  db.prepare('INSERT INTO run_tags (run_id, tag, position) VALUES (?, ?, 0)').run(id, `v${version}`);
  if (version >= 3) {
    const definition = { base: config, vary: [{ flag: 'learning-rate', values: [0.01] }] };
    const sweep = db
      .prepare(`INSERT INTO sweeps (name, created_at, definition_json, run_count, parallel) VALUES (?, 5, ?, 1, 1)`)
      .run(`sweep at v${version}`, JSON.stringify(definition));
    db.prepare('UPDATE runs SET sweep_id = ? WHERE id = ?').run(sweep.lastInsertRowid, id);
  }
  if (version >= 4) db.prepare(`UPDATE runs SET backend_choice = 'wasm ×1 thread, forced' WHERE id = ?`).run(id);
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  db.close();
  return file;
}

describe('a database from each schema version, with data, opened by this build', () => {
  const versions = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);

  it('knows every version from 1 to the latest', () => {
    expect(versions).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  for (const version of versions) {
    it(`v${version}: upgraded to v${LATEST_SCHEMA_VERSION}, its run, epochs, tags${version >= 3 ? ', sweep' : ''}${version >= 4 ? ', backend choice' : ''} intact`, () => {
      const file = databaseAt(version);
      const store = openStore(file);
      try {
        expect(store.integrityCheck()).toBe('ok');
        const { rows, total } = store.listRuns({});
        expect(total).toBe(1);
        const run = store.getRun(rows[0].id);
        expect(run).toMatchObject({
          name: `run at v${version}`,
          status: 'completed',
          preset: 'quick',
          notes: `written at schema v${version}`,
          tags: [`v${version}`],
          backend: 'wasm',
          bestTestAccuracy: 0.71,
          finalTestAccuracy: 0.71,
          bestEpoch: 2,
          epochsDone: 2,
          // Written before 004 there is no record of how the backend was chosen.
          backendChoice: version >= 4 ? 'wasm ×1 thread, forced' : null,
        });
        expect(run.config.learningRate).toBe(PRESETS.quick.learningRate);
        expect(run.epochMetrics.map((e) => [e.epoch, e.testAccuracy, e.trainLoss])).toEqual([
          [1, 0.62, 0.9],
          [2, 0.71, 0.7],
        ]);
        // Before 002 there were no snapshots: the run has none, and the query works.
        expect(store.snapshotEpochs(run.id)).toEqual([]);
        const sweeps = store.listSweeps();
        if (version >= 3) {
          expect(sweeps).toHaveLength(1);
          expect(store.getSweep(sweeps[0].id).runIds).toEqual([run.id]);
        } else expect(sweeps).toEqual([]);
        // New rows go in beside the old ones.
        const added = store.createRun(PRESETS.quick, { name: 'after the upgrade' });
        expect(store.getRun(added).name).toBe('after the upgrade');
      } finally {
        store.close();
      }
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(versions);
      db.close();
    });
  }
});
