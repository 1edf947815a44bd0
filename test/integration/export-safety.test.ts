/**
 * `npm run export` pointed at the wrong file, at a full disk and at a database with a damaged row,
 * as a user would run it: the CLI against real files. Each case shows that nothing was lost: the
 * database's bytes unchanged and its integrity check ok, every run still there, the user's own
 * file unchanged, and no temporary file left behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStore } from '../../src/core/store/index';
import { runCli } from '../support/cli';
import { fillDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk';
import { tempDir } from '../unit/store-fixtures';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A studio folder as the app lays it out: studio.db with three runs, checkpoints/ beside it. */
function studio(): { dir: string; db: string } {
  const dir = tempDir('export-safety-');
  const db = join(dir, 'studio.db');
  const store = openStore(db);
  for (let i = 1; i <= 3; i++) seedRun(store, { name: `run ${i}`, epochs: 2, seed: i });
  store.close();
  mkdirSync(join(dir, 'checkpoints', 'run-1'), { recursive: true });
  return { dir, db };
}

/** The database is as it was: same bytes, integrity ok, all three runs and their epochs. */
function expectIntact(db: string, bytesBefore: string): void {
  expect(sha(db)).toBe(bytesBefore);
  const store = openStore(db, { readonly: true });
  try {
    expect(store.integrityCheck()).toBe('ok');
    const runs = store.listRuns({}).rows;
    expect(runs.map((r) => r.name).sort()).toEqual(['run 1', 'run 2', 'run 3']);
    for (const r of runs) expect(store.getRun(r.id).epochMetrics).toHaveLength(2);
  } finally {
    store.close();
  }
}

describe('export never writes over what the studio owns', () => {
  let s: { dir: string; db: string };
  let before: string;
  beforeAll(() => {
    s = studio();
    before = sha(s.db);
  });

  const refusals: [string, () => string, RegExp][] = [
    ['the database itself', () => s.db, /is the run database:/],
    ['the database by a relative path', () => 'studio.db', /is the run database:/],
    ['its -wal file', () => `${s.db}-wal`, /is the run database's -wal file/],
    ['its -shm file', () => `${s.db}-shm`, /is the run database's -shm file/],
    [
      'a file in its checkpoint folder',
      () => join(s.dir, 'checkpoints', 'run-1', 'x.json'),
      /inside the studio's checkpoint folder/,
    ],
    ['its settings file', () => join(s.dir, 'settings.json'), /is the studio's settings file/],
  ];
  it.each(refusals)('refuses %s by name and leaves it untouched', (_what, target, message) => {
    const out = target();
    const r = runCli(['export', '--db', s.db, '--out', out], { cwd: s.dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Nothing was written');
    expectIntact(s.db, before);
    expect(existsSync(join(s.dir, 'settings.json.tmp'))).toBe(false);
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('sees through a symlink and a hard link to the database', () => {
    const elsewhere = tempDir('export-links-');
    symlinkSync(s.db, join(elsewhere, 'link.json'));
    linkSync(s.db, join(elsewhere, 'hard.json'));
    for (const name of ['link.json', 'hard.json']) {
      const r = runCli(['export', '--db', s.db, '--out', join(elsewhere, name)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/is the run database:/);
    }
    expectIntact(s.db, before);
  });

  it("still exports to a file of the user's choosing beside the database", () => {
    const out = join(s.dir, 'my-runs.json');
    const r = runCli(['export', '--db', s.db, '--out', out]);
    expect(r.stderr).toContain('wrote 3 runs as json');
    expect(r.status).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { runs: unknown[] }).runs).toHaveLength(3);
  });
});

describe('export to a full disk', () => {
  let disk: SmallDisk;
  beforeAll(() => {
    disk = mountSmallDisk(256);
  });
  afterAll(() => disk?.unmount());

  it('fails naming the full disk, keeps the old file and leaves no temporary file', () => {
    const s = studio();
    const before = sha(s.db);
    const out = join(disk.dir, 'runs.json');
    writeFileSync(out, "the user's earlier export\n");
    fillDisk(disk.dir);
    const r = runCli(['export', '--db', s.db, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the disk is full');
    expect(readFileSync(out, 'utf8')).toBe("the user's earlier export\n");
    expect(readdirSync(disk.dir).sort()).toEqual(['filler', 'runs.json']);
    expectIntact(s.db, before);
  });
});

describe('export of a database with one damaged row', () => {
  it('saves the other runs, names the damaged one and exits 1', () => {
    const s = studio();
    const raw = new Database(s.db);
    raw.prepare(`UPDATE runs SET config_json = '{"optimizer": "adam", ' WHERE name = 'run 2'`).run();
    const damagedId = raw.prepare(`SELECT id FROM runs WHERE name = 'run 2'`).pluck().get() as number;
    raw.close();
    const out = join(tempDir('export-damaged-'), 'runs.json');
    const r = runCli(['export', '--db', s.db, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('wrote 2 runs as json');
    expect(r.stderr).toContain(`left out run #${damagedId}: Run #${damagedId} is damaged: its stored config_json`);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { runs: { name: string }[] };
    expect(doc.runs.map((run) => run.name)).toEqual(['run 1', 'run 3']);
  });
});
