/**
 * A full disk, for real: a small tmpfs holding the studio folder. A run that runs out of space
 * fails with its real reason recorded and gives the space back (no decoded-dataset temp file, no
 * `.partial` checkpoint folder); on a disk with no byte left, export and the window's views still
 * read every run. Each case checks that nothing earlier was lost.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { createContext } from '../../src/core/procedures';
import { openStore } from '../../src/core/store/index';
import { runCli } from '../support/cli';
import { fillDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk';
import { config, epochEvent, startedEvent, tempDir } from '../unit/store-fixtures';

let disk: SmallDisk | null = null;
afterEach(() => {
  disk?.unmount();
  disk = null;
});

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)));
}

/** A studio folder on a `sizeKb` tmpfs whose database holds one completed 3-epoch run. */
function studioOnSmallDisk(sizeKb: number): { db: string; earlier: number } {
  disk = mountSmallDisk(sizeKb);
  const db = join(disk.dir, 'studio.db');
  const store = openStore(db);
  const earlier = seedRun(store, { name: 'earlier', epochs: 3 });
  store.close();
  return { db, earlier };
}

/** Leave `kb` kilobytes free on the disk. */
function leaveFree(kb: number): void {
  const { bavail, bsize } = statfsSync(disk!.dir);
  writeFileSync(join(disk!.dir, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - kb * 1024)));
}

function expectEarlierRunIntact(db: string, earlier: number): void {
  const store = openStore(db, { readonly: true });
  try {
    expect(store.integrityCheck()).toBe('ok');
    const run = store.getRun(earlier);
    expect(run.status).toBe('completed');
    expect(run.epochMetrics.map((m) => m.epoch)).toEqual([1, 2, 3]);
  } finally {
    store.close();
  }
}

describe('a run on a disk that fills up', () => {
  it('fails with the real reason recorded and leaves no temporary file or partial checkpoint', () => {
    const { db, earlier } = studioOnSmallDisk(4096);
    // Room for the run's first rows, not for its checkpoints (≈ 1 MB) or the decoded dataset (55 MB).
    leaveFree(700);
    const r = runCli(['train', '--preset', 'quick', '--epochs', '1', '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Run #2 failed: .*disk is full/);

    const store = openStore(db, { readonly: true });
    const run = store.getRun(2);
    store.close();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/disk is full.*ENOSPC/);
    const left = filesUnder(disk!.dir);
    expect(left.filter((f) => /\.(tmp|partial)(\/|$)/.test(f) || f.includes('.partial/'))).toEqual([]);
    expectEarlierRunIntact(db, earlier);
  });
});

describe('the last event of a run when the disk has no byte left', () => {
  it('is written from the reserve: the run records why it failed, not "interrupted" later', () => {
    const { db, earlier } = studioOnSmallDisk(2048);
    const store = openStore(db);
    const id = store.createRun(config(), { name: 'doomed' });
    store.recordEvent(id, startedEvent('a'.repeat(64)));
    fillDisk(disk!.dir);
    // Any other write is refused for lack of space…
    expect(() => store.recordEvent(id, epochEvent(1, 0.5))).toThrow(/disk is full|could not be read or written/);
    // …but the run's last word is recorded.
    expect(store.recordEvent(id, { type: 'failed', error: 'the disk is full (ENOSPC)' })).toBe('failed');
    store.close();
    const reopened = openStore(db, { readonly: true });
    expect(reopened.getRun(id)).toMatchObject({ status: 'failed', error: 'the disk is full (ENOSPC)' });
    reopened.close();
    expectEarlierRunIntact(db, earlier);
  });
});

describe('a disk with no byte left', () => {
  /** A database whose run 2 was left `running` by a process that is gone: opening would recover it. */
  function fullDiskWithOrphan(): { db: string; earlier: number; bytes: string } {
    const { db, earlier } = studioOnSmallDisk(2048);
    const store = openStore(db);
    seedRun(store, { name: 'orphan', epochs: 1 });
    store.close();
    const raw = new Database(db);
    raw.prepare(`UPDATE runs SET status = 'running', owner_pid = 2147483646 WHERE name = 'orphan'`).run();
    raw.close();
    fillDisk(disk!.dir);
    return { db, earlier, bytes: createHash('sha256').update(readFileSync(db)).digest('hex') };
  }

  it('still exports every run, reading only', () => {
    const { db, earlier, bytes } = fullDiskWithOrphan();
    const out = join(tempDir('full-disk-export-'), 'runs.json');
    const r = runCli(['export', '--db', db, '--out', out]);
    expect(r.stderr).toContain('wrote 2 runs as json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { runs: { name: string }[] };
    expect(doc.runs.map((run) => run.name)).toEqual(['earlier', 'orphan']);
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(bytes);
    expectEarlierRunIntact(db, earlier);
  });

  it('still shows the window its runs, read-only', async () => {
    const { db, earlier } = fullDiskWithOrphan();
    const ctx = createContext({
      userDataDir: tempDir('full-disk-app-'),
      dbPath: db,
      appVersion: 'test',
      send: () => {},
    });
    try {
      expect(ctx.dbError).toBeNull();
      expect(
        ctx
          .store()
          .listRuns({})
          .rows.map((run) => run.name)
          .sort(),
      ).toEqual(['earlier', 'orphan']);
    } finally {
      await ctx.dispose();
    }
    expectEarlierRunIntact(db, earlier);
  });
});
