/**
 * `npm run train -- --exclude-marked wrong` on the real data (issue 26): a run leaves out the
 * training images marked "label is wrong" in the label audit, says how many, and records which;
 * when the marks change afterwards, extending it (`--resume ID --epochs N`) leaves out the same
 * images, so the run goes on with the training set it started with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-exclude-'));
const db = join(dir, 'studio.db');
const SHORT = ['--preset', 'quick', '--epochs', '1', '--train-subset', '1000', '--db', db];

function withStore<T>(fn: (store: Store) => T): T {
  const store = openStore(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('npm run train -- --exclude-marked wrong', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves out the marked images, says how many, and an extended run leaves out the same after the marks change', () => {
    const audited = runCli(['train', ...SHORT]);
    expect(audited.status, audited.stderr).toBe(0);
    const [first, second, third] = withStore((store) => {
      const top = store.audit({ runId: 1, top: 3 }).entries.map((e) => e.index);
      store.markImage({ runId: 1, imageIndex: top[0], mark: 'wrong' });
      store.markImage({ runId: 1, imageIndex: top[1], mark: 'wrong' });
      store.markImage({ runId: 1, imageIndex: top[2], mark: 'ambiguous' });
      return top;
    });

    const without = runCli(['train', ...SHORT, '--exclude-marked', 'wrong']);
    expect(without.status, without.stderr).toBe(0);
    expect(without.stdout).toContain('leaving out the 2 training images marked wrong in the label audit');
    expect(without.stdout).toMatch(/998 training \/ /);
    const recorded = withStore((store) => store.getRun(2));
    expect(recorded.leftOut).toEqual({ count: 2, indices: [first, second].sort((a, b) => a - b) });
    expect(recorded.trainSize).toBe(998);

    // The user changes their mind: one mark cleared, another image marked wrong.
    withStore((store) => {
      store.markImage({ runId: 1, imageIndex: first, mark: null });
      store.markImage({ runId: 1, imageIndex: third, mark: 'wrong' });
    });
    const extended = runCli(['train', '--resume', '2', '--epochs', '2', '--db', db]);
    expect(extended.status, extended.stderr).toBe(0);
    expect(extended.stdout).toContain('leaving out the 2 training images marked wrong in the label audit');
    const after = withStore((store) => store.getRun(2));
    expect(after.leftOut).toEqual(recorded.leftOut);
    expect(after.trainSize).toBe(998);
    expect(after.epochMetrics.map((e) => e.epoch)).toEqual([1, 2]);

    // A new run with the option takes the marks as they are now.
    const again = runCli(['train', ...SHORT, '--exclude-marked', 'wrong']);
    expect(again.status, again.stderr).toBe(0);
    expect(withStore((store) => store.getRun(3).leftOut)).toEqual({
      count: 2,
      indices: [second, third].sort((a, b) => a - b),
    });
  }, 600_000);
});
