/**
 * The terminal as a new user meets it (issue 25): a mistyped flag gets "did you mean", `sweep
 * --help` lists its options and the fields it can vary, `predict --help` shows --db as optional,
 * and `export` without a database says what to do, with no error code in the text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runExport } from '../../src/cli/export';
import { runPredict } from '../../src/cli/predict';
import { runSweepCommand } from '../../src/cli/sweep';
import { parseTrainArgs } from '../../src/cli/train-options';
import { FIELD_PATHS, HYPERPARAM_FIELDS } from '../../src/shared/hyperparams';

/** What the command writes to stdout and stderr while it runs. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}
afterEach(() => {
  vi.restoreAllMocks();
});

describe('did you mean', () => {
  it('train: a flag one letter off names the flag meant', () => {
    expect(() => parseTrainArgs(['--epoch', '3'])).toThrow(/^unknown option --epoch: did you mean --epochs\?/);
    expect(() => parseTrainArgs(['--optimiser', 'adam'])).toThrow(/did you mean --optimizer\?/);
    expect(() => parseTrainArgs(['--batchsize', '64'])).toThrow(/did you mean --batch-size\?/);
    // Nothing close: no guess.
    expect(() => parseTrainArgs(['--colour', 'red'])).toThrow(/^unknown option --colour\n/);
  });

  it('sweep, predict and export: their own flags too', async () => {
    let io = capture();
    expect(await runSweepCommand(['--vary', 'lr=0.1,0.2', '--halve-a', '1'])).toBe(2);
    expect(io.err()).toContain('unknown option --halve-a: did you mean --halve-at?');
    io = capture();
    expect(await runPredict(['--rn', '3', 'a.png'])).toBe(2);
    expect(io.err()).toContain('did you mean --run?');
    io = capture();
    expect(await runExport(['--fromat', 'csv'])).toBe(2);
    expect(io.err()).toContain('did you mean --format?');
  });
});

describe('help', () => {
  it('sweep --help lists its own options and every field it can vary, with its range', async () => {
    const io = capture();
    expect(await runSweepCommand(['--help'])).toBe(0);
    const help = io.out();
    for (const flag of [
      '--vary FLAG=V1,V2,…',
      '--method grid|random',
      '--seeds K',
      '--halve-at',
      '--parallel P',
      '--value last|best|epoch:N',
    ])
      expect(help).toContain(flag);
    for (const path of FIELD_PATHS) expect(help).toContain(`--${HYPERPARAM_FIELDS[path].flag} `);
    expect(help).toMatch(/--lr X +Learning rate: > 0 and ≤ 10/);
  });

  it('predict --help shows --db as optional', async () => {
    const io = capture();
    expect(await runPredict(['--help'])).toBe(0);
    expect(io.out()).toMatch(/^Usage: npm run predict -- \[--db PATH\] --run ID/);
  });
});

describe('the classic preset', () => {
  it('--preset classic is the preset stored as seed, and --preset seed still works', () => {
    expect(parseTrainArgs(['--preset', 'classic']).preset).toBe('seed');
    expect(parseTrainArgs(['--preset', 'seed']).preset).toBe('seed');
    expect(() => parseTrainArgs(['--preset', 'clasic'])).toThrow(/must be one of classic, modern, quick/);
  });
});

describe('export without a database', () => {
  it('says how to get one, with no error code', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'lenet-cli-first-use-')), 'none.db');
    const io = capture();
    expect(await runExport(['--db', missing])).toBe(1);
    expect(io.err()).toContain(`There is no run database at ${missing}`);
    expect(io.err()).toContain(`npm run train -- --preset quick --db ${missing}`);
    expect(io.err()).not.toMatch(/\[[a-z-]+\]/);
  });
});
