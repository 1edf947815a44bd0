/**
 * Migration 009: configurations of the configurable LeNet-5 stored with `output: 'rbf'` (the
 * field's old default, which that network never read) say `softmax` after it, in runs and in
 * sweeps' base configurations; the 1998 network's output, configurations from before the field,
 * and a damaged configuration are kept as they were. Rows are written as a schema-7 build wrote
 * them (raw SQL), then opened by this build.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { applyMigrations } from '../../src/core/store/migrations/apply';
import { PRESETS } from '../../src/shared/hyperparams';

const dir = mkdtempSync(join(tmpdir(), 'lenet-softmax-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The seed preset as a schema-7 build stored it: output rbf, no batch norm or dropout fields. */
const { batchNorm: _b, dropout: _d, ...seedModel } = PRESETS.seed.model;
const OLD_SEED = { ...PRESETS.seed, model: { ...seedModel, output: 'rbf' } };
const { output: _o, ...beforeOutput } = seedModel;
const { batchNorm: _lb, dropout: _ld, ...lecunModel } = PRESETS.lecun1998.model;
const STORED: Record<string, string> = {
  'seed rbf': JSON.stringify(OLD_SEED),
  'seed before the field': JSON.stringify({ ...PRESETS.seed, model: beforeOutput }),
  'lecun1998 rbf': JSON.stringify({ ...PRESETS.lecun1998, model: lecunModel }),
  'lecun1998 softmax': JSON.stringify({ ...PRESETS.lecun1998, model: { ...lecunModel, output: 'softmax' } }),
  damaged: '{"model": {"architecture": "lenet5", "output": "rbf"',
};

function databaseAtV7(): string {
  const file = join(dir, 'v7.db');
  const db = new Database(file);
  applyMigrations(
    db,
    file,
    MIGRATIONS.filter((m) => m.version <= 7),
  );
  const insert = db.prepare(
    `INSERT INTO runs (name, status, created_at, config_json, preset, optimizer, learning_rate, batch_size, epochs,
       seed, conv_activation, pooling) VALUES (?, 'completed', 1000, ?, 'seed', 'adam', 0.006, 32, 10, 42, 'sigmoid', 'avg')`,
  );
  const epoch = db.prepare(
    `INSERT INTO epoch_metrics (run_id, epoch, train_loss, train_accuracy, test_loss, test_accuracy,
       learning_rate, seconds, images_per_sec) VALUES (?, 1, 0.9, 0.6, 0.95, 0.62, 0.006, 1.5, 900)`,
  );
  for (const [name, config] of Object.entries(STORED)) epoch.run(insert.run(name, config).lastInsertRowid);
  db.prepare(`INSERT INTO sweeps (name, created_at, definition_json, run_count, parallel) VALUES (?, 5, ?, 1, 1)`).run(
    'seed sweep',
    JSON.stringify({ base: OLD_SEED, vary: [{ flag: 'lr', values: [0.01] }] }),
  );
  db.close();
  return file;
}

describe('migration 009: the configurable network’s output is softmax', () => {
  it('rewrites the seed network’s rbf output in runs and sweeps, and nothing else', () => {
    const file = databaseAtV7();
    openStore(file).close();
    const db = new Database(file, { readonly: true });
    const stored = new Map(
      (db.prepare('SELECT name, config_json FROM runs').all() as { name: string; config_json: string }[]).map((r) => [
        r.name,
        r.config_json,
      ]),
    );
    const outputOf = (name: string) => (JSON.parse(stored.get(name)!) as { model: { output?: string } }).model.output;
    expect(outputOf('seed rbf')).toBe('softmax');
    expect(outputOf('seed before the field')).toBe('softmax');
    expect(outputOf('lecun1998 rbf')).toBe('rbf');
    expect(outputOf('lecun1998 softmax')).toBe('softmax');
    // Every other field as stored.
    expect(JSON.parse(stored.get('seed rbf')!)).toEqual({
      ...OLD_SEED,
      model: { ...OLD_SEED.model, output: 'softmax' },
    });
    expect(stored.get('lecun1998 rbf')).toBe(STORED['lecun1998 rbf']);
    expect(stored.get('damaged')).toBe(STORED.damaged);
    const sweep = JSON.parse(db.prepare('SELECT definition_json FROM sweeps').pluck().get() as string);
    expect(sweep.base.model.output).toBe('softmax');
    expect(sweep.vary).toEqual([{ flag: 'lr', values: [0.01] }]);
    db.close();
  });

  it('exports the old runs with what they trained: softmax, no batch norm, no dropout', () => {
    const store = openStore(databaseAtV7());
    try {
      const id = store.listRuns({}).rows.find((r) => r.name === 'seed rbf')!.id;
      const [header, row] = store
        .exportRuns([id], 'csv')
        .text.trimEnd()
        .split('\r\n')
        .map((line) => line.split(','));
      const cell = (column: string) => row![header!.indexOf(column)];
      expect([cell('architecture'), cell('output'), cell('batch_norm'), cell('dropout')]).toEqual([
        'lenet5',
        'softmax',
        'none',
        '0',
      ]);
    } finally {
      store.close();
    }
  });
});
