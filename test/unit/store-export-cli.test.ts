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
