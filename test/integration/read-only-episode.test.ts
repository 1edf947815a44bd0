/**
 * A read-only episode, as an unprivileged user (root ignores permission bits): the user makes the
 * database read-only, opens the studio (which reads it, and SQLite creates -wal/-shm with the
 * database's read-only mode), then makes the database writable again. The studio must then write
 * again, and when a -shm it may not change is in the way, say so by name.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store/index';
import { config, tempDir } from '../unit/store-fixtures';

const NOBODY = 65534;
const CHILD = resolve(__dirname, 'store-child.ts');

interface Report {
  open?: { code: string; message: string };
  readonly?: boolean;
  uid?: number;
  total?: number;
  write?: string | { code: string; message: string };
}

/**
 * nobody must reach this checkout (its node_modules and the child script) to run the child. A
 * clone under `mktemp -d` sits in a 0700 folder, so for the suite's length the ancestors that deny
 * others get the search bit (x, not read), and their modes are put back afterwards.
 */
const restoredModes: Array<[string, number]> = [];
beforeAll(() => {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      restoredModes.push([dir, mode]);
      chmodSync(dir, mode | 0o001);
    }
    if (dirname(dir) === dir) break;
  }
});
afterAll(() => {
  for (const [dir, mode] of restoredModes) chmodSync(dir, mode);
});

/** store-child's `readonly` report (open, read, try a write) from a process running as nobody. */
function openAsNobody(file: string): Report {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, 'readonly', file], {
    cwd: process.cwd(),
    encoding: 'utf8',
    uid: NOBODY,
    gid: NOBODY,
    env: { ...process.env, HOME: '/tmp' },
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the child printed no report: ${r.stderr}`);
  return JSON.parse(line) as Report;
}

/** A studio folder owned by nobody with one run, cleanly closed (no -wal or -shm yet). */
function usersStudio(): { dir: string; file: string } {
  const dir = tempDir('read-only-episode-');
  const file = join(dir, 'studio.db');
  const store = openStore(file);
  store.createRun(config(), { name: 'earlier' });
  store.close();
  for (const name of ['', ...readdirSync(dir)]) chownSync(join(dir, name), NOBODY, NOBODY);
  return { dir, file };
}

describe('a database made read-only and back', () => {
  it('writes again once the user restores the permissions', () => {
    const { file } = usersStudio();
    chmodSync(file, 0o444);
    const during = openAsNobody(file);
    expect(during).toMatchObject({ uid: NOBODY, readonly: true, total: 1, write: { code: 'read-only' } });

    chmodSync(file, 0o644);
    const after = openAsNobody(file);
    expect(after.open).toBeUndefined();
    expect(after).toMatchObject({ readonly: false, write: 'succeeded' });
    // The earlier run and the one just written, in an intact database.
    const store = openStore(file, { readonly: true });
    expect(store.integrityCheck()).toBe('ok');
    expect(store.listRuns({}).rows.map((r) => r.name)).toContain('earlier');
    expect(store.listRuns({}).total).toBe(2);
    store.close();
  });

  it('names a -shm file it may not change, and says what to do', () => {
    const { file } = usersStudio();
    // Left behind by somebody else's read-only open: root's, mode 444.
    writeFileSync(`${file}-shm`, Buffer.alloc(32768));
    chmodSync(`${file}-shm`, 0o444);
    const report = openAsNobody(file);
    expect(report).toMatchObject({ readonly: true, total: 1, write: { code: 'read-only' } });
    const message = (report.write as { message: string }).message;
    expect(message).toContain(`its -shm file ${file}-shm is not writable`);
    expect(message).toContain('remove it while no studio is open');
  });
});
