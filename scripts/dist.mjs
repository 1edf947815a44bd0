// `npm run dist [-- electron-builder args]`: build the app, then installers for this platform with
// electron-builder (config: electron-builder.yml; output: dist/). electron-builder packs the
// Electron runtime that `npm start` downloads, so without it there is nothing to package.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obtainElectronBinary } from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The native addons electron-builder rebuilds for Electron (npmRebuild) in node_modules itself.
const NATIVE_PACKAGES = ['better-sqlite3', '@tensorflow/tfjs-node'];

function fail(line) {
  console.error(`lenet5-studio: ${line}`);
  process.exit(1);
}

if (!obtainElectronBinary('needed to build installers')) {
  fail(
    'no Electron runtime here and it could not be downloaded, so installers cannot be built; ' +
      'connect to the internet and run `npm run dist` again.',
  );
}

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) fail('the build failed (see above).');

/** Every compiled addon (.node) of the native packages, so their Node-ABI builds can be put back. */
function nodeAddons(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.node'))
    .map((e) => join(e.parentPath, e.name));
}

// electron-builder rebuilds native addons in place in node_modules, for Electron's ABI; the tests
// and the CLI run on Node and need node_modules' own builds, so save them and restore them after.
const saved = mkdtempSync(join(tmpdir(), 'lenet5-studio-dist-'));
const addons = NATIVE_PACKAGES.flatMap((name) => nodeAddons(join(root, 'node_modules', name)));
for (const file of addons) {
  const copy = join(saved, relative(root, file));
  mkdirSync(dirname(copy), { recursive: true });
  cpSync(file, copy);
}

const args = process.argv.slice(2);
// Publishing is a separate decision: never upload unless asked to (`-- --publish always`).
if (!args.some((a) => a === '-p' || a.startsWith('--publish'))) args.push('--publish', 'never');
// An ELECTRON_OVERRIDE_DIST_PATH runtime (as Electron's own launcher honours) is the one to pack.
if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  args.push(`--config.electronDist=${process.env.ELECTRON_OVERRIDE_DIST_PATH}`);
}

// A Ctrl-C reaches electron-builder (same process group); stay alive to restore the addons.
const ignore = () => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', ignore);
let packaged;
try {
  packaged = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
} finally {
  for (const file of addons) cpSync(join(saved, relative(root, file)), file);
  rmSync(saved, { recursive: true, force: true });
  process.off('SIGINT', ignore);
  process.off('SIGTERM', ignore);
}
if (packaged.status !== 0) fail('electron-builder failed (see above).');
console.log(`Installers are in ${join(root, 'dist')}`);
