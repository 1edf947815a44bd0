/**
 * The sweep's closing table with `--value`: beside the best, each run's last, highest or epoch-N
 * test accuracy with its epoch, and for seed groups their mean ± std and median. Runs recorded
 * through the real store; the expected figures are the recorded accuracies, worked by hand.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/core/store/index';
import { sweepTable } from '../../src/cli/sweep-table';
import { parseValueChoice } from '../../src/shared/metric-value';
import { config, epochEvent, tempDir } from './store-fixtures';

let store: Store;
afterEach(() => store?.close());

/** Two runs of one setting (seeds 1, 2) and one of another; accuracies per epoch as given. */
function runs() {
  store = openStore(join(tempDir(), 'studio.db'));
  const record = (name: string, accuracies: number[]) => {
    const id = store.createRun(config(), { name });
    accuracies.forEach((acc, i) => store.recordEvent(id, epochEvent(i + 1, acc)));
    store.recordEvent(id, { type: 'completed', epochs: accuracies.length, reason: 'epochs' });
    return store.getRun(id);
  };
  return [
    record('sweep · lr=0.01 seed=1', [0.6, 0.9, 0.8]),
    record('sweep · lr=0.01 seed=2', [0.7, 0.8, 0.85]),
    record('sweep · lr=0.1 seed=1', [0.5, 0.55]),
  ];
}

describe('the sweep table', () => {
  it('gives each run its last value (default) or the one --value picks, with the epoch', () => {
    const table = runs();
    const last = sweepTable(table, false, parseValueChoice('last')).split('\n');
    expect(last[1]).toMatch(/^ {2}run {3}best {5}final/);
    // Best test accuracy here is picked by validation accuracy (the fixture's equals test): 90% at epoch 2.
    expect(last).toContain(`  #${table[0].id}    90.00%  80.00%@3   lr=0.01`);
    const at3 = sweepTable(table, false, parseValueChoice('epoch:3')).split('\n');
    expect(at3[1]).toContain('epoch 3');
    expect(at3).toContain(`  #${table[2].id}    55.00%  —          lr=0.1`);
    const best = sweepTable(table, false, parseValueChoice('best')).split('\n');
    expect(best).toContain(`  #${table[1].id}    85.00%  85.00%@3   lr=0.01`);
  });

  it('groups seeds with mean ± std of the chosen value and its median', () => {
    const table = runs();
    const lines = sweepTable(table, true, parseValueChoice('epoch:2')).split('\n');
    expect(lines[1]).toMatch(/^ {2}n {2}best \(mean ± std\) {3}epoch 2 \(mean ± std\) +epoch 2 median +values$/);
    // lr=0.01: epoch-2 values 0.9 and 0.8 → mean 85.00%, sample std 0.0707 → 7.07, median 85.00%.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}2 +87\.50% ± 3\.54 +85\.00% ± 7\.07 +85\.00% +lr=0\.01$/));
  });
});

describe('npm run sweep -- --value', () => {
  it('refuses a value it cannot read before any run starts, naming the accepted forms', async () => {
    const { runSweepCommand } = await import('../../src/cli/sweep');
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    try {
      expect(await runSweepCommand(['--vary', 'lr=0.01,0.1', '--value', 'top', '--db', join(tempDir(), 'x.db')])).toBe(
        2,
      );
    } finally {
      spy.mockRestore();
    }
    expect(err.join('')).toContain('sweep: --value: "top" is not a value to show: write last, best or epoch:N');
  });
});
