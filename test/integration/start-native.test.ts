/**
 * scripts/electron-native.mjs: the folder `npm start` hands to @electron/rebuild, and what counts
 * as success. No network: the real rebuild is stopped at its `modules-found` lifecycle event,
 * which it emits after walking the modules and before any prebuild or header download.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rebuild as realRebuild, type RebuildOptions } from '@electron/rebuild';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { ensureElectronSqlite, prepareNativeDir, sqliteBindingIn } from '../../scripts/electron-native.mjs';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-native-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ABORT = 'stopped by the test before any download';

/** Runs the real @electron/rebuild on `options` until it has decided what to build. */
async function modulesFound(options: RebuildOptions): Promise<{ found: string[] | null; error: string | null }> {
  let found: string[] | null = null;
  const run = realRebuild(options);
  run.lifecycle.on('modules-found', (names: string[]) => {
    found = names;
    if (names.length > 0) throw new Error(ABORT); // emit() is synchronous: this rejects `run`
  });
  try {
    await run;
    return { found, error: null };
  } catch (err) {
    return { found, error: (err as Error).message };
  }
}

describe('the .electron-native folder', () => {
  it('makes the real @electron/rebuild find better-sqlite3 (and a dependency-less package.json does not)', async () => {
    const dir = join(tempDir(), '45.5.0');
    let seen: { found: string[] | null; error: string | null } | null = null;
    const err = await ensureElectronSqlite({
      version: '45.5.0',
      dir,
      log: () => {},
      rebuild: async (options: RebuildOptions) => {
        seen = await modulesFound(options);
        if (seen.error) throw new Error(seen.error);
      },
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(seen!.found).toEqual(['better-sqlite3']);
    expect(err?.message).toBe(`could not build better-sqlite3 for Electron 45.5.0: ${ABORT} (see above)`);

    // The package.json start.mjs used to write: rebuild "succeeds" having found nothing.
    prepareNativeDir(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron-native', private: true }));
    const old = await modulesFound({
      buildPath: dir,
      projectRootPath: dir,
      electronVersion: '45.5.0',
      onlyModules: ['better-sqlite3'],
      force: true,
    });
    expect(old).toEqual({ found: [], error: null });
  });

  it('reports a rebuild that succeeds without producing the binding as a one-line failure', async () => {
    const dir = join(tempDir(), '45.5.0');
    const err: Error = await ensureElectronSqlite({
      version: '45.5.0',
      dir,
      log: () => {},
      rebuild: async () => {},
    }).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: Error) => e,
    );
    expect(err.message).not.toContain('\n');
    expect(err.message).toBe(
      `building better-sqlite3 for Electron 45.5.0 reported success but produced no ${sqliteBindingIn(dir)}; ` +
        'the app would have no database, so it was not started.',
    );
  });

  it('turns a multi-line rebuild error into one line', async () => {
    const err: Error = await ensureElectronSqlite({
      version: '45.5.0',
      dir: join(tempDir(), '45.5.0'),
      log: () => {},
      rebuild: async () => {
        throw new Error("node-gyp failed to rebuild 'x'\n    at somewhere");
      },
    }).catch((e: Error) => e);
    expect(err.message).toBe(
      "could not build better-sqlite3 for Electron 45.5.0: node-gyp failed to rebuild 'x' (see above)",
    );
  });

  it('builds once: a binding already there for this better-sqlite3 is reused', async () => {
    const dir = join(tempDir(), '45.5.0');
    let calls = 0;
    const rebuild = async (options: RebuildOptions) => {
      calls++;
      const binding = sqliteBindingIn(options.buildPath);
      mkdirSync(dirname(binding), { recursive: true });
      writeFileSync(binding, 'fake');
    };
    const logs: string[] = [];
    const first = await ensureElectronSqlite({ version: '45.5.0', dir, log: (l: string) => logs.push(l), rebuild });
    const second = await ensureElectronSqlite({ version: '45.5.0', dir, log: (l: string) => logs.push(l), rebuild });
    expect(first).toBe(sqliteBindingIn(dir));
    expect(second).toBe(first);
    expect(calls).toBe(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^Building better-sqlite3 \d+\.\d+\.\d+ for Electron 45\.5\.0 \(once\)…$/);
  });
});
