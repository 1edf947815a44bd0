/**
 * `npm start` / `npm run dev` with a fake Electron (a shell script found through
 * ELECTRON_OVERRIDE_DIST_PATH): a Chromium sandbox abort is named, with its remedy, in one line;
 * a clean exit is passed through. The app build and the native build are skipped
 * (LENET_STUDIO_SKIP_BUILD / LENET_STUDIO_SKIP_NATIVE, documented in scripts/start.mjs).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { electronBinaryPath, electronSqliteBindingPath } from '../../scripts/electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'lenet-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SUID_FATAL =
  '[4242:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I\'m aborting now. You need to make sure that $(dirname "$0")/chrome-sandbox is owned by root and has mode 4755.';
const USERNS_FATAL =
  '[4242:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! If you are running on Ubuntu 23.10+ or another Linux distro that has disabled unprivileged user namespaces with AppArmor, see https://chromium.googlesource.com/chromium/src/+/main/docs/security/apparmor-userns-restrictions.md.';

/** A folder holding an executable `electron` shell script with this body. */
function fakeElectron(name: string, body: string): string {
  const dir = join(work, name);
  spawnSync('mkdir', ['-p', dir]);
  const file = join(dir, 'electron');
  writeFileSync(file, `#!/bin/sh\necho "FAKE args=$* binding=$LENET_SQLITE_BINDING"\n${body}\n`);
  chmodSync(file, 0o755);
  return dir;
}

function start(distDir: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 50_000,
    env: {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: distDir,
      LENET_STUDIO_SKIP_BUILD: '1',
      LENET_STUDIO_SKIP_NATIVE: '1',
    },
  });
  const ours = r.stderr.split('\n').filter((l) => l.startsWith('lenet5-studio:'));
  return { ...r, ours };
}

const remedy = (dir: string) =>
  "lenet5-studio: Electron's sandbox could not start (unprivileged user namespaces are blocked, as on Ubuntu 24.04): " +
  `run \`sudo chown root ${dir}/chrome-sandbox && sudo chmod 4755 ${dir}/chrome-sandbox\`, ` +
  'or allow them with `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`.';

describe.skipIf(process.platform === 'win32')('npm start with a fake Electron', () => {
  it('finds the executable through ELECTRON_OVERRIDE_DIST_PATH, as electron/index.js does', () => {
    const dir = fakeElectron('lookup', 'exit 0');
    const saved = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
    try {
      process.env['ELECTRON_OVERRIDE_DIST_PATH'] = dir;
      expect(electronBinaryPath()).toBe(join(dir, 'electron'));
      process.env['ELECTRON_OVERRIDE_DIST_PATH'] = join(work, 'nothing-here');
      expect(electronBinaryPath()).toBeNull();
    } finally {
      if (saved === undefined) delete process.env['ELECTRON_OVERRIDE_DIST_PATH'];
      else process.env['ELECTRON_OVERRIDE_DIST_PATH'] = saved;
    }
  });

  it('names the sandbox remedy in one line when Electron aborts on SIGTRAP, and exits non-zero', () => {
    const dir = fakeElectron('suid', `echo "${SUID_FATAL.replaceAll('"', '\\"')}" >&2\nkill -TRAP $$`);
    const r = start(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FATAL:setuid_sandbox_host.cc'); // still passed through
    expect(r.ours).toEqual([remedy(dir)]);
  });

  it('names it for the "No usable sandbox!" abort with a plain non-zero exit too', () => {
    const dir = fakeElectron('userns', `echo '${USERNS_FATAL}' >&2\nexit 133`);
    const r = start(dir);
    expect(r.status).toBe(133);
    expect(r.ours).toEqual([remedy(dir)]);
  });

  it('passes a clean exit through, without the remedy, after handing the app the Electron binding', () => {
    const dir = fakeElectron('ok', 'exit 0');
    const r = start(dir, ['--some-app-flag']);
    expect(r.status).toBe(0);
    expect(r.ours).toEqual([]);
    expect(r.stdout).toContain(`FAKE args=${ROOT} --some-app-flag binding=${electronSqliteBindingPath()}`);
  });

  it('--dev runs electron-vite dev on the same Electron, binding and sandbox watch', () => {
    const dir = fakeElectron('dev', `echo "${SUID_FATAL.replaceAll('"', '\\"')}" >&2\nkill -TRAP $$`);
    // --outDir keeps this run's main/preload build out of the shared out/.
    const r = start(dir, ['--dev', '--outDir', join(work, 'dev-out')]);
    expect(r.stdout).toContain('dev server running for the electron renderer process');
    expect(r.stdout).toContain(`FAKE args=. binding=${electronSqliteBindingPath()}`);
    expect(r.status).toBe(1);
    expect(r.ours).toEqual([remedy(dir)]);
  });
});
