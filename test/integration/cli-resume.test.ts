/**
 * `npm run train -- --resume ID --db PATH` on the real data: a completed run is refused (with the
 * way out), extended with --epochs it continues on the same run, and a checkpoint without
 * optimizer state is refused with the reason and the run left as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { TRAINING_STATE_JSON } from '../../src/shared/resume';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-resume-'));
const db = join(dir, 'studio.db');

function cli(...args: string[]) {
  return runCli(args);
}

function epochsOf(id: number): number[] {
  const store = openStore(db);
  try {
    return store.getRun(id).epochMetrics.map((e) => e.epoch);
  } finally {
    store.close();
  }
}

describe('npm run train -- --resume', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a completed run, extends it with --epochs, and refuses a checkpoint without optimizer state', () => {
    const first = cli('train', '--preset', 'quick', '--epochs', '1', '--train-subset', '1000', '--db', db);
    expect(first.status, first.stderr).toBe(0);

    const refused = cli('train', '--resume', '1', '--db', db);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'Run #1 cannot be resumed: it completed all 1 epochs (extend it with more epochs instead)',
    );

    const extended = cli('train', '--resume', '1', '--epochs', '2', '--db', db);
    expect(extended.status, extended.stderr).toBe(0);
    expect(extended.stdout).toContain('continues after epoch 1 of 2');
    expect(extended.stdout).toMatch(/epoch 2\/2 +train loss/);
    expect(extended.stdout).not.toMatch(/epoch 1\/2 +train loss/);
    expect(extended.stdout).toMatch(/Run #1 completed \(2 epochs\)/);
    expect(epochsOf(1)).toEqual([1, 2]);

    const store = openStore(db);
    const last = store.getRun(1).checkpoints.find((c) => c.role === 'last')!;
    store.close();
    rmSync(join(last.path, TRAINING_STATE_JSON));
    const noState = cli('train', '--resume', '1', '--epochs', '3', '--db', db);
    expect(noState.status).toBe(1);
    expect(noState.stderr).toMatch(/Run #1 cannot be extended: its last checkpoint \(.*\) has no optimizer state/);
    expect(epochsOf(1)).toEqual([1, 2]);

    const bad = cli('train', '--resume', '1', '--lr', '0.1', '--db', db);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('a resumed run keeps its configuration; drop --lr');
  });
});
