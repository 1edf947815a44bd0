import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runExport } from '../../src/cli/export';
import { openStore } from '../../src/core/store/index';
import { config, epochEvent, tempDir } from './store-fixtures';

function database(): { file: string; ids: number[] } {
  const file = join(tempDir(), 'studio.db');
  const store = openStore(file);
  const ids = [1, 2, 3].map((n) => {
    const id = store.createRun(config(), { name: `run ${n}` });
    for (let e = 1; e <= n; e++) store.recordEvent(id, epochEvent(e, 0.5 + e / 10));
    return id;
  });
  store.close();
  return { file, ids };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('npm run export', () => {
  it('writes chosen runs as JSON to --out', async () => {
    const { file, ids } = database();
    const out = join(tempDir(), 'runs.json');
    const io = capture();
    expect(await runExport(['--db', file, '--runs', `${ids[0]},${ids[2]}`, '--format', 'json', '--out', out])).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.format).toBe('lenet5-studio/runs');
    expect(doc.runs.map((r: { name: string }) => r.name)).toEqual(['run 1', 'run 3']);
    expect(doc.runs[1].epochMetrics).toHaveLength(3);
    expect(io.err()).toContain('wrote 2 runs as json');
  });

  it('writes CSV (format from the extension) and all runs by default; stdout without --out', async () => {
    const { file } = database();
    const out = join(tempDir(), 'metrics.csv');
    capture();
    expect(await runExport([`--db=${file}`, '--out', out])).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0].startsWith('run_id,run_name,epoch,')).toBe(true);
    expect(lines).toHaveLength(1 + 1 + 2 + 3);
    const io = capture();
    expect(await runExport(['--db', file, '--runs', '2', '--format', 'csv'])).toBe(0);
    expect(io.out().trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('--value: one CSV row per run of each metric so chosen, with its epoch; empty where a run has none', async () => {
    // Run n recorded epochs 1..n at test accuracy 0.5 + epoch/10, test loss 1.2/epoch (store-fixtures).
    const { file } = database();
    const out = join(tempDir(), 'at2.csv');
    capture();
    expect(await runExport(['--db', file, '--value', 'epoch:2', '--out', out])).toBe(0);
    const [head, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    const columns = head.split(',');
    expect(columns.slice(0, 6)).toEqual([
      'run_id',
      'run_name',
      'value',
      'epochs_done',
      'test_accuracy',
      'test_accuracy_epoch',
    ]);
    expect(columns).toContain('test_loss_epoch');
    const at = (row: string, column: string) => row.split(',')[columns.indexOf(column)];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => at(r, 'run_name'))).toEqual(['run 1', 'run 2', 'run 3']);
    expect(rows.map((r) => at(r, 'value'))).toEqual(['epoch:2', 'epoch:2', 'epoch:2']);
    // Run 1 did not reach epoch 2: no value and no epoch.
    expect(rows.map((r) => at(r, 'test_accuracy'))).toEqual(['', '0.7', '0.7']);
    expect(rows.map((r) => at(r, 'test_accuracy_epoch'))).toEqual(['', '2', '2']);
    expect(rows.map((r) => at(r, 'test_loss'))).toEqual(['', '0.6', '0.6']);
  });

  it('--value best in JSON: each run gets its values beside its epochs', async () => {
    const { file, ids } = database();
    const out = join(tempDir(), 'best.json');
    capture();
    expect(await runExport(['--db', file, '--runs', String(ids[2]), '--value', 'best', '--out', out])).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.value).toBe('best');
    expect(doc.runs[0].epochMetrics).toHaveLength(3);
    expect(doc.runs[0].values.testAccuracy).toEqual({ value: 0.8, epoch: 3 });
    expect(doc.runs[0].values.testLoss).toEqual({ value: 1.2 / 3, epoch: 3 });
  });

  it('refuses a --value it cannot read, naming the accepted forms', async () => {
    const { file } = database();
    const io = capture();
    expect(await runExport(['--db', file, '--value', 'epoch:first'])).toBe(2);
    expect(io.err()).toContain('--value: "epoch:first" is not a value to show: write last, best or epoch:N');
  });

  it('refuses bad arguments, unknown runs and missing databases with clear messages', async () => {
    const { file } = database();
    let io = capture();
    expect(await runExport(['--db', file, '--runs', '1,abc'])).toBe(2);
    expect(io.err()).toContain('"abc" is not a run id');
    io = capture();
    expect(await runExport(['--db', file, '--runs', '1', '--format', 'xml'])).toBe(2);
    expect(io.err()).toContain('--format must be json or csv');
    io = capture();
    expect(await runExport(['--db', file, '--runs', '1,99'])).toBe(1);
    expect(io.err()).toContain('Run 99 does not exist');
    io = capture();
    const missing = join(tempDir(), 'none.db');
    expect(await runExport(['--db', missing])).toBe(1);
    expect(io.err()).toContain(`There is no run database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
    io = capture();
    expect(await runExport(['--bogus'])).toBe(2);
    expect(io.err()).toContain('Usage: npm run export');
  });
});
