/**
 * `npm run train -- --preset lecun1998` as a user runs it: the 1998 network (custom layers, RBF
 * output, eq. 9 loss) trains on the wasm backend, is evaluated (the nearest code is the
 * prediction) and is recorded like any run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-lecun1998-'));

describe('npm run train -- --preset lecun1998', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // cpu is checked at unit level (test/unit/lecun1998.test.ts: forward, gradients, an Adam step):
  // a whole cpu epoch with the 10,000-image test pass takes minutes on a loaded 2-core machine.
  for (const [backend, subset] of [['wasm', '2000']] as const) {
    it(`trains one epoch on ${backend} and records a 60,000-parameter run that beats chance`, () => {
      const db = join(dir, `${backend}.db`);
      const r = runCli(
        ['train', '--preset', 'lecun1998', '--epochs', '1', '--train-subset', subset, '--backend', backend, '--db', db],
        { timeout: 400_000 },
      );
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('60,000 parameters');
      expect(r.stdout).toMatch(/Run #1 completed \(1 epoch\)/);
      const store = openStore(db);
      try {
        const [row] = store.listRuns({}).rows;
        expect(row).toMatchObject({ status: 'completed', preset: 'lecun1998', epochsDone: 1 });
        // 10 classes: chance is 10%; one epoch on a few thousand images is well above it.
        expect(row!.finalTestAccuracy).toBeGreaterThan(0.3);
        const run = store.getRun(row!.id);
        expect(run.config.model).toMatchObject({ architecture: 'lecun1998', output: 'rbf' });
        expect(store.predictions({ runId: run.id, role: 'final', limit: 5 }).total).toBe(10_000);
      } finally {
        store.close();
      }
    });
  }
});
