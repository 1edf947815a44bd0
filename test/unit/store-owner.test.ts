import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { currentProcess, openStore, ownerLiveness, processStartToken } from '../../src/core/store/index';
import { config, epochEvent, tempDir } from './store-fixtures';

/** A pid that has certainly exited: a child we ran to completion. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function setOwner(file: string, id: number, owner: { pid: number; host?: string; token: string | null }): void {
  const db = new Database(file);
  db.prepare('UPDATE runs SET owner_pid = ?, owner_host = COALESCE(?, owner_host), owner_token = ? WHERE id = ?').run(
    owner.pid,
    owner.host ?? null,
    owner.token,
    id,
  );
  db.close();
}

describe('run ownership', () => {
  it('knows this process and tells a live owner from a gone one', () => {
    const me = currentProcess();
    expect(me.pid).toBe(process.pid);
    expect(ownerLiveness({ pid: me.pid, host: me.host, token: me.token })).toBe('alive');
    expect(ownerLiveness({ pid: deadPid(), host: me.host, token: null })).toBe('gone');
    expect(ownerLiveness({ pid: process.ppid, host: me.host, token: processStartToken(process.ppid) })).toBe('alive');
    expect(ownerLiveness({ pid: 12345, host: 'another-machine', token: null })).toBe('unknown');
    if (process.platform === 'linux') {
      expect(me.token).toMatch(/^linux:[0-9a-f-]+:\d+$/);
      // Same pid, different start time: the pid was reused by another process.
      expect(ownerLiveness({ pid: process.ppid, host: me.host, token: 'linux:not-this-boot:1' })).toBe('gone');
    }
  });

  it('marks runs whose owner is gone as interrupted on open, keeping their metrics', () => {
    const file = join(tempDir(), 'studio.db');
    const store = openStore(file);
    const orphan = store.createRun(config());
    store.recordEvent(orphan, epochEvent(1, 0.6));
    const reused = store.createRun(config());
    const mine = store.createRun(config());
    const remote = store.createRun(config());
    const done = store.createRun(config());
    store.recordEvent(done, { type: 'completed', epochs: 2, reason: 'epochs' });
    store.close();

    const dead = deadPid();
    setOwner(file, orphan, { pid: dead, token: null });
    setOwner(file, reused, { pid: process.ppid, token: 'linux:some-other-boot:42' });
    setOwner(file, remote, { pid: dead, host: 'another-machine', token: null });
    setOwner(file, done, { pid: dead, token: null });

    const reopened = openStore(file);
    const expected = process.platform === 'linux' ? [orphan, reused] : [orphan];
    expect([...reopened.recoveredRunIds].sort()).toEqual(expected.sort());
    const run = reopened.getRun(orphan);
    expect(run.status).toBe('interrupted');
    expect(run.error).toContain(`pid ${dead}`);
    expect(run.finishedAt).toBeGreaterThan(0);
    expect(run.epochMetrics).toHaveLength(1);
    expect(reopened.getRun(mine).status).toBe('queued'); // owned by this live process
    expect(reopened.getRun(remote).status).toBe('queued'); // cannot tell: left alone
    expect(reopened.getRun(done).status).toBe('completed');
    expect(reopened.recoverInterruptedRuns()).toEqual([]);
    reopened.close();
  });
});
