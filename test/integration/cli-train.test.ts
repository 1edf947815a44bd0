/**
 * `npm run train` as a user runs it: a real process, real data, the studio database. Its run must
 * be in the same store the app lists.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_DATASET_DIR } from '../../src/core/dataset';
import { openStore } from '../../src/core/store';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-'));
const db = join(dir, 'studio.db');

function cli(...args: string[]) {
  return runCli(args);
}

describe('npm run train', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains, prints a per-epoch line and a summary, and records the run in the studio database', () => {
    const r = cli('train', '--preset', 'quick', '--epochs', '1', '--db', db, '--name', 'from the cli', '--tags', 'cli');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/epoch 1\/1 +train loss \d\.\d{4} acc [\d.]+% \| val [\d.]+% \| test loss/);
    expect(r.stdout).toMatch(/Run #1 completed \(1 epoch\)/);
    expect(r.stdout).toMatch(/final \d+\.\d+%, 1 epoch on wasm/);
    const store = openStore(db);
    try {
      const { rows } = store.listRuns({});
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        name: 'from the cli',
        status: 'completed',
        epochsDone: 1,
        tags: ['cli'],
        preset: 'quick',
      });
      expect(rows[0]!.finalTestAccuracy).toBeGreaterThan(0.3);
      const run = store.getRun(rows[0]!.id);
      expect(run.evaluations.map((e) => e.role).sort()).toEqual(['best', 'final']);
      expect(store.predictions({ runId: run.id, role: 'final', limit: 5 }).total).toBe(10_000);
    } finally {
      store.close();
    }
  });

  it('prints the seed summary with --summary', () => {
    const r = cli('train', '--summary');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Total params                        61,706');
    expect(r.stdout).toContain('Estimated Total Size (MB)           0.35');
  });

  it('refuses an out-of-range option, naming the flag, the field and the range, and records nothing', () => {
    const r = cli('train', '--lr', '11', '--db', join(dir, 'refused.db'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--lr (learningRate: must be > 0 and ≤ 10)');
    expect(r.stdout).toBe('');
  });

  it('refuses a --data folder that lacks a file, naming it, and records no run (no other copy is used)', () => {
    const partial = join(dir, 'three-of-four');
    mkdirSync(partial);
    for (const name of readdirSync(SYSTEM_DATASET_DIR).filter((f) => !f.startsWith('t10k-labels'))) {
      copyFileSync(join(SYSTEM_DATASET_DIR, name), join(partial, name));
    }
    const refusedDb = join(dir, 'partial.db');
    const r = cli('train', '--preset', 'quick', '--data', partial, '--db', refusedDb);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`train: ${partial}: the chosen dataset folder lacks t10k-labels-idx1-ubyte`);
    expect(r.stdout).not.toContain('Training on');
    const store = openStore(refusedDb);
    try {
      expect(store.listRuns({}).rows).toHaveLength(0);
    } finally {
      store.close();
    }
  });

  it('refuses a --data folder whose file is not valid IDX, naming the file and the problem', () => {
    const broken = join(dir, 'broken-file');
    mkdirSync(broken);
    for (const name of readdirSync(SYSTEM_DATASET_DIR))
      copyFileSync(join(SYSTEM_DATASET_DIR, name), join(broken, name));
    const labels = readdirSync(broken).find((f) => f.startsWith('t10k-labels'))!;
    rmSync(join(broken, labels));
    writeFileSync(join(broken, 't10k-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]));
    const r = cli('train', '--preset', 'quick', '--data', broken, '--db', join(dir, 'broken.db'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('train: t10k-labels-idx1-ubyte: ');
  });
});
