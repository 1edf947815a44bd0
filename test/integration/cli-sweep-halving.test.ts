/**
 * `npm run sweep -- … --halve-at E1,E2`: bad values are refused naming the flag (exit 2, nothing
 * recorded); a real two-run sweep on 1,000 images, one trainer, halving at epoch 1: the second run
 * (a learning rate too small to learn) meets the first one's better epoch 1 and is pruned; its
 * progress line and the final table say so, and the sweep exits 0 (pruning is no failure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-halving-'));
const db = join(dir, 'studio.db');
const base = ['--preset', 'quick', '--train-subset', '1000', '--validation-fraction', '0', '--db', db];

describe('npm run sweep --halve-at', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses bad values naming the flag, and records nothing', () => {
    for (const [value, words] of [
      ['x', '--halve-at x: "x" is not an epoch number (whole numbers from 1)'],
      ['2', "--halve-at 2: epoch 2 is not before the sweep's last epoch (2); halve at epochs 1 to 1"],
      ['0', '--halve-at 0: 0 is not an epoch number'],
      ['1,,1', '--halve-at 1,,1: an empty item'],
    ]) {
      const r = runCli(['sweep', ...base, '--epochs', '2', '--vary', 'lr=0.001,0.003', '--halve-at', value]);
      expect(r.status, value).toBe(2);
      expect(r.stderr).toContain(words);
    }
    const r = runCli(['sweep', ...base, '--epochs', '4', '--vary', 'lr=0.001,0.003', '--halve-at', '3,2']);
    expect(r.stderr).toContain('--halve-at 3,2: must be strictly increasing (got 3, 2)');
    const store = openStore(db);
    expect(store.listRuns({}).total).toBe(0);
    store.close();
  });

  it('prunes the worse run at epoch 1 and marks it in the progress line and the table', () => {
    const r = runCli(
      ['sweep', ...base, '--epochs', '2', '--vary', 'lr=0.003,0.00001', '--parallel', '1', '--halve-at', '1'],
      { timeout: 280_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/2\] run #\d+ lr=0.003 +completed/m);
    expect(r.stdout).toMatch(/^\[2\/2\] run #\d+ lr=0.00001 +pruned at epoch 1/m);
    expect(r.stdout).toMatch(/lr=0.00001 +\[pruned at epoch 1\]$/m);
    expect(r.stdout).not.toMatch(/lr=0.003 +\[pruned/);

    const store = openStore(db);
    const [sweep] = store.listSweeps();
    expect(sweep.definition.halving).toEqual({ epochs: [1] });
    const runs = store.getSweep(sweep.id).runs;
    expect(runs.map((run) => [run.status, run.epochsDone, run.endReason])).toEqual([
      ['completed', 2, 'epochs'],
      ['stopped', 1, 'pruned by successive halving at epoch 1'],
    ]);
    store.close();
  });
});
