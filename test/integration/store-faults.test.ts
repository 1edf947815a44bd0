/**
 * The store's fault cases with real processes: a writer SIGKILLed mid-epoch, a run owned by a
 * live process, a read-only file and folder (checked as an unprivileged user when the tests run
 * as root, since root ignores permission bits), and a database locked by another connection.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/core/store/index';
import { config, epochEvent, tempDir } from '../unit/store-fixtures';

const CHILD = resolve(__dirname, 'store-child.ts');
const NOBODY = 65534;
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startChild(mode: string, db: string, opts: { uid?: number } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, db], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid, env: { ...process.env, HOME: '/tmp' } } : {}),
  });
  children.push(child);
  return child;
}

/** Resolve with the first stdout line matching `pattern`; `onLine` sees every line. */
function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  onLine: (line: string) => void = () => {},
): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        onLine(line);
        const match = pattern.exec(line);
        if (match) resolvePromise(match);
      }
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before printing ${pattern}: ${stderr}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );
}

describe('a writer killed with SIGKILL mid-epoch', () => {
  it('leaves an interrupted run with every committed epoch and an intact database', async () => {
    const file = join(tempDir(), 'studio.db');
    const child = startChild('train', file);
    let runId = 0;
    let lastEpochSeen = 0;
    await waitForLine(child, /^epoch 3$/, (line) => {
      const m = /^(run|epoch) (\d+)$/.exec(line);
      if (m?.[1] === 'run') runId = Number(m[2]);
      if (m?.[1] === 'epoch') lastEpochSeen = Number(m[2]);
    });
    // Once a batch of the next epoch is committed (read on a second connection, as another
    // process would, without recovery), kill it without warning.
    const watcher = openStore(file, { skipRecovery: true });
    await expect
      .poll(() => watcher.getRun(runId).batches.some((b) => b.epoch === lastEpochSeen + 1), { interval: 2 })
      .toBe(true);
    watcher.close();
    child.kill('SIGKILL');
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');

    const store = openStore(file);
    expect(store.recoveredRunIds).toEqual([runId]);
    const run = store.getRun(runId);
    expect(run.status).toBe('interrupted');
    expect(run.error).toContain(`pid ${child.pid}`);
    const epochs = run.epochMetrics.map((m) => m.epoch);
    expect(epochs.length).toBeGreaterThanOrEqual(lastEpochSeen);
    expect(epochs).toEqual(Array.from({ length: epochs.length }, (_, i) => i + 1)); // no gaps
    expect(run.epochsDone).toBe(epochs.length);
    // Killed mid-epoch: batches of the unfinished epoch were committed, its epoch row was not.
    expect(run.batches.some((b) => b.epoch === epochs.length + 1)).toBe(true);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});

describe('a run another live process is training', () => {
  it('is left alone while its owner lives and interrupted once it is gone', async () => {
    const file = join(tempDir(), 'studio.db');
    const child = startChild('hold', file);
    const [, id] = await waitForLine(child, /^ready (\d+)$/);
    const store = openStore(file);
    expect(store.recoveredRunIds).toEqual([]);
    expect(store.getRun(Number(id)).status).toBe('running');

    child.kill('SIGKILL');
    await exited(child);
    expect(store.recoverInterruptedRuns()).toEqual([Number(id)]);
    expect(store.getRun(Number(id)).status).toBe('interrupted');
    store.close();
  });
});

/**
 * The unprivileged child must reach the checkout's files (tsx, the store, better-sqlite3). A clone in
 * a `mktemp -d` folder (mode 700) is closed to it, so grant search permission (o+x, not read) on the
 * checkout's ancestors for the duration of these tests, and put the modes back afterwards.
 */
function openAncestorsToOthers(dir: string): () => void {
  const changed: { path: string; mode: number }[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(d, mode | 0o001);
      changed.push({ path: d, mode });
    }
    if (dirname(d) === d) break;
  }
  return () => changed.reverse().forEach(({ path, mode }) => chmodSync(path, mode));
}

describe('a read-only database', () => {
  const asRoot = process.getuid?.() === 0;
  let restoreModes = (): void => {};
  beforeAll(() => {
    if (asRoot) restoreModes = openAncestorsToOthers(resolve(__dirname, '../..'));
  });
  afterAll(() => restoreModes());

  interface ReadOnlyReport {
    open?: { code: string; message: string };
    readonly?: boolean;
    snapshot?: boolean;
    uid?: number;
    total?: number;
    firstName?: string;
    write?: { code: string; message: string };
    update?: { code: string; message: string };
  }

  async function readOnlyChild(file: string): Promise<ReadOnlyReport> {
    const child = startChild('readonly', file, asRoot ? { uid: NOBODY } : {});
    const [line] = await waitForLine(child, /^\{.*\}$/);
    await exited(child);
    return JSON.parse(line);
  }

  function prepare(folderWritable: boolean): { dir: string; file: string; bytes: Buffer } {
    const dir = tempDir();
    const file = join(dir, 'studio.db');
    const store = openStore(file);
    store.createRun(config(), { name: 'visible' });
    store.close(); // clean close: the WAL is checkpointed into the file
    chmodSync(file, 0o444);
    chmodSync(dir, folderWritable ? 0o777 : 0o555);
    return { dir, file, bytes: readFileSync(file) };
  }

  it('opens read-only when the file is read-only: reads work, writes fail naming the file', async () => {
    const { dir, file, bytes } = prepare(true);
    const result = await readOnlyChild(file);
    chmodSync(dir, 0o755);
    expect(result.open).toBeUndefined();
    expect(result).toMatchObject({ readonly: true, snapshot: false, total: 1, firstName: 'visible' });
    if (asRoot) expect(result.uid).toBe(NOBODY);
    expect(result.write).toMatchObject({ code: 'read-only' });
    expect(result.write?.message).toContain(file);
    expect(result.update).toMatchObject({ code: 'read-only' });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('still reads when the folder is read-only too (WAL cannot create its -shm there)', async () => {
    const { dir, file, bytes } = prepare(false);
    const result = await readOnlyChild(file);
    chmodSync(dir, 0o755);
    expect(result.open).toBeUndefined();
    expect(result).toMatchObject({
      readonly: true,
      snapshot: true,
      total: 1,
      firstName: 'visible',
      write: { code: 'read-only' },
    });
    expect(result.write?.message).toContain(file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('a locked database', () => {
  it('fails writes with "locked" after the busy timeout while reads keep working', () => {
    const file = join(tempDir(), 'studio.db');
    const store = openStore(file, { busyTimeoutMs: 150 });
    const id = store.createRun(config());
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    other.prepare('UPDATE runs SET notes = ? WHERE id = ?').run('uncommitted', id);

    const t0 = Date.now();
    let error: unknown;
    try {
      store.recordEvent(id, epochEvent(1, 0.5));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('locked');
    expect((error as StoreError).message).toContain(file);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(store.getRun(id).notes).toBe(''); // reads see the last committed state
    expect(store.listRuns().total).toBe(1);

    // A second process opening meanwhile can read too (nothing to migrate, no lock needed).
    const viewer = openStore(file, { busyTimeoutMs: 150 });
    expect(viewer.getRun(id).epochMetrics).toEqual([]);
    viewer.close();

    other.exec('ROLLBACK');
    store.recordEvent(id, epochEvent(1, 0.5));
    expect(store.getRun(id).epochMetrics).toHaveLength(1);
    other.close();
    store.close();
  });

  it('refuses to open with "locked" when another connection holds the file exclusively', () => {
    const file = join(tempDir(), 'studio.db');
    openStore(file).close();
    const other = new Database(file);
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS scratch (x); COMMIT');
    let error: unknown;
    try {
      openStore(file, { busyTimeoutMs: 100 }).close();
    } catch (e) {
      error = e;
    }
    other.close();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('locked');
    expect((error as StoreError).message).toContain(file);
    openStore(file).close(); // usable again once released
  });
});
