/**
 * `npm run sweep -- --method tpe` on the real data: three 1-epoch combinations on 300 images, one
 * trainer, proposed one after another (the first two at random, the third from them); the runs are
 * stored as one sweep, and the same command proposes the same values again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-tpe-'));

function tpeSweep(db: string) {
  return runCli(
    [
      'sweep',
      '--preset',
      'quick',
      '--epochs',
      '1',
      '--train-subset',
      '300',
      '--validation-fraction',
      '0.1',
      '--vary',
      'lr=0.0003..0.03:log',
      '--vary',
      'conv-activation=relu,tanh',
      '--method',
      'tpe',
      '--samples',
      '3',
      '--sampling-seed',
      '5',
      '--parallel',
      '1',
      '--db',
      db,
    ],
    { timeout: 280_000 },
  );
}

/** The sweep's runs' varied values, in the order they were created. */
function proposals(db: string): string[] {
  const store = openStore(db);
  try {
    const [sweep] = store.listSweeps();
    const detail = store.getSweep(sweep.id);
    expect(detail.definition.method).toBe('tpe');
    expect(detail.runCount).toBe(3);
    expect(detail.runs.every((run) => run.status === 'completed')).toBe(true);
    return [...detail.runs].sort((a, b) => a.id - b.id).map((run) => run.name.split(' · ')[1]);
  } finally {
    store.close();
  }
}

describe('npm run sweep -- --method tpe', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('proposes each run from the finished ones, records them, and repeats for the same seed', () => {
    const first = join(dir, 'a.db');
    const second = join(dir, 'b.db');
    const a = tpeSweep(first);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain('3 runs, 1 at a time');
    expect(a.stdout.match(/^\[\d\/3\] run #\d+ lr=[\d.e-]+ conv-activation=(relu|tanh) +completed/gm)).toHaveLength(3);
    const b = tpeSweep(second);
    expect(b.status, b.stderr).toBe(0);
    const [pa, pb] = [proposals(first), proposals(second)];
    expect(pa).toHaveLength(3);
    expect(pb).toEqual(pa);
  });
});
