import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/dist.mjs
import { electronBinaryPath } from '../../scripts/electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

// No runtime, wherever this runs: ELECTRON_OVERRIDE_DIST_PATH (honoured as Electron's own launcher
// does) points at an empty folder, and LENET_STUDIO_NO_DOWNLOAD stops the download attempt.
const emptyDist = mkdtempSync(join(tmpdir(), 'lenet5-studio-no-electron-'));
const env = { ...process.env, LENET_STUDIO_NO_DOWNLOAD: '1', ELECTRON_OVERRIDE_DIST_PATH: emptyDist };
afterAll(() => rmSync(emptyDist, { recursive: true, force: true }));

/** electronBinaryPath() as dist.mjs will see it with `env`: null unless the override is ignored. */
function runtimeSeenWith(vars: NodeJS.ProcessEnv): string | null {
  const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  process.env.ELECTRON_OVERRIDE_DIST_PATH = vars.ELECTRON_OVERRIDE_DIST_PATH;
  try {
    return electronBinaryPath() as string | null;
  } finally {
    if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
  }
}

describe('npm run dist without an Electron runtime', () => {
  it('is what `npm run dist` runs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
  });

  it.skipIf(runtimeSeenWith(env) !== null)(
    'says so in one line, with what to do, exits 1, and neither downloads nor builds',
    () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/dist.mjs'), '--linux', 'AppImage'], {
        cwd: ROOT,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        'lenet5-studio: no Electron runtime here and it could not be downloaded, so installers cannot be built; ' +
          'connect to the internet and run `npm run dist` again.',
      ]);
      // Nothing before the check: no "Downloading…" line, no electron-vite or electron-builder output.
      expect(r.stdout).toBe('');
    },
  );
});
