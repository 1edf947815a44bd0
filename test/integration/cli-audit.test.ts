/**
 * `npm run audit`: a real CLI training run records its margins through the trainer process and
 * the run service into the database, and the audit lists them (a 600-image subset: it says it
 * covers only those); --pair takes class names; mistyped flags and class names get a suggestion;
 * a run without margins says why and exits 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import type { AuditResult } from '../../src/shared/audit';
import { runCli, trainSmallRun } from '../support/cli';

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lenet-audit-'));
  db = join(dir, 'studio.db');
  trainSmallRun(db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run audit', () => {
  it('lists a trained run’s images, lowest area under the margin first, covering only its subset', () => {
    const r = runCli(['audit', '--db', db, '--run', '1', '--top', '5', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.state).toBe('ready');
    expect(result.epochs).toBe(1);
    expect(result.covered).toBe(600);
    expect(result.datasetCount).toBe(60_000);
    expect(result.message).toMatch(/covers only the 600 of 60,000 training images/);
    expect(result.entries).toHaveLength(5);
    const aums = result.entries.map((e) => e.aum);
    expect([...aums].sort((a, b) => a - b)).toEqual(aums);

    const text = runCli(['audit', '--db', db, '--run', '1', '--pair', 'shirt,T-shirt', '--top', '3']);
    expect(text.status).toBe(0);
    for (const line of text.stdout.split('\n').filter((l) => l.startsWith('#')))
      expect(line).toMatch(
        /(Shirt|T-shirt\/top) led its label (Shirt|T-shirt\/top)|its label (Shirt|T-shirt\/top) led (Shirt|T-shirt\/top)/,
      );
  });

  it('refuses bad arguments with a suggestion, and says when a run has no epoch to audit', () => {
    const flag = runCli(['audit', '--db', db, '--run', '1', '--tpo', '3']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/did you mean --top\?/);
    const name = runCli(['audit', '--db', db, '--run', '1', '--pair', 'Shrit,Coat']);
    expect(name.status).toBe(2);
    expect(name.stderr).toMatch(/"Shrit" is not a class: did you mean Shirt\?/);
    const same = runCli(['audit', '--db', db, '--run', '1', '--pair', 'Coat,coat']);
    expect(same.stderr).toMatch(/two different classes/);

    // A run that never finished an epoch (queued, never started).
    const store = openStore(db);
    const id = store.createRun(store.getRun(1).config);
    store.close();
    const none = runCli(['audit', '--db', db, '--run', String(id)]);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/no completed epoch/);
  });
});
