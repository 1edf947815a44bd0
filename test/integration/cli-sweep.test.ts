/**
 * `npm run sweep` on the real data: a 2 × 2 grid... kept to 2 values × 2 seeds of 1-epoch runs on
 * 500 images, two trainers at once; the runs are stored as one sweep. More than 1,000 runs are
 * refused without --yes (nothing recorded), and a bad --vary range is refused naming flag and range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-sweep-'));
const db = join(dir, 'studio.db');

function cli(...args: string[]) {
  return runCli(args, { timeout: 280_000 });
}

describe('npm run sweep', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a bad --vary naming the flag and the range, and more than 1,000 runs without --yes', () => {
    const bad = cli('sweep', '--vary', 'lr=0..1', '--db', db);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--vary lr=0..1: 0 is outside the range of Learning rate, which must be > 0 and ≤ 10');
    const big = cli('sweep', '--vary', 'lr=0.0001..0.1:log:501', '--seeds', '2', '--db', db);
    expect(big.status).toBe(2);
    expect(big.stderr).toContain(
      'This sweep makes 1,002 runs, more than 1,000: confirm to start it. Add --yes to start it.',
    );
    const store = openStore(db);
    expect(store.listRuns({}).total).toBe(0);
    store.close();
  });

  it('runs every combination over the seeds, two at a time, and prints the grouped table', () => {
    const r = cli(
      'sweep',
      '--preset',
      'quick',
      '--epochs',
      '1',
      '--train-subset',
      '500',
      '--validation-fraction',
      '0',
      '--vary',
      'conv-activation=sigmoid,relu',
      '--seeds',
      '2',
      '--parallel',
      '2',
      '--db',
      db,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 runs, 2 at a time');
    expect(r.stdout.match(/^\[\d\/4\] run #\d+ conv-activation=\w+ seed=\d+ +completed/gm)).toHaveLength(4);
    expect(r.stdout).toMatch(/n {2}best \(mean ± std\)/);
    expect(r.stdout).toMatch(/^ {2}2 +\d+\.\d\d% ± \d+\.\d\d .*conv-activation=relu$/m);
    const store = openStore(db);
    try {
      const [sweep] = store.listSweeps();
      const detail = store.getSweep(sweep.id);
      expect(detail.runs).toHaveLength(4);
      expect(detail.runs.every((run) => run.status === 'completed')).toBe(true);
      expect(new Set(detail.runs.map((run) => run.seed))).toEqual(new Set([42, 43]));
      // Two at a time: the second run started before the first finished.
      const [a, b] = [...detail.runs].sort((x, y) => x.startedAt! - y.startedAt!);
      expect(b.startedAt!).toBeLessThan(a.finishedAt!);
    } finally {
      store.close();
    }
  });
});
