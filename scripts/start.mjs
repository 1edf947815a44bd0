// `npm start`: make sure the Electron runtime and an Electron-ABI build of better-sqlite3 exist,
// build the app, and open the window. node_modules keeps better-sqlite3 built for Node (tests,
// CLI); the Electron build goes to .electron-native/ and main loads it through `nativeBinding`.
import { spawnSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  electronBinaryPath,
  electronNativeDir,
  electronPackageDir,
  electronSqliteBindingPath,
  electronVersion,
} from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(line) {
  console.error(`lenet5-studio: ${line}`);
  process.exit(1);
}

let binary = electronBinaryPath();
// LENET_STUDIO_NO_DOWNLOAD=1 skips the download attempt (tests of this message).
if (!binary && !process.env.LENET_STUDIO_NO_DOWNLOAD) {
  console.log('Downloading the Electron runtime (first start)…');
  const r = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], { stdio: 'ignore' });
  binary = r.status === 0 ? electronBinaryPath() : null;
}
if (!binary) {
  fail(
    'no Electron runtime here and it could not be downloaded; connect to the internet and run `npm start` again, ' +
      'or train headless with `npm run train -- --preset quick`.',
  );
}

const version = electronVersion();
const nativeDir = electronNativeDir(version);
const bindingPath = electronSqliteBindingPath(version);
if (!existsSync(bindingPath)) {
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  rmSync(nativeDir, { recursive: true, force: true });
  mkdirSync(join(nativeDir, 'node_modules'), { recursive: true });
  writeFileSync(join(nativeDir, 'package.json'), JSON.stringify({ name: 'electron-native', private: true }));
  cpSync(join(root, 'node_modules', 'better-sqlite3'), join(nativeDir, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const { rebuild } = await import('@electron/rebuild');
  try {
    await rebuild({ buildPath: nativeDir, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  } catch (err) {
    fail(`could not build better-sqlite3 for Electron ${version}: ${err.message.split('\n')[0]}`);
  }
}

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) fail('the build failed (see above).');

const child = spawn(binary, [root, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LENET_SQLITE_BINDING: bindingPath },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
