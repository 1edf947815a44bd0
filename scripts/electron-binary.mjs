// Where the Electron runtime binary is, if it is installed. Electron ≥ 42 downloads it lazily
// (on first use) instead of in postinstall, so a fresh `npm ci` may not have it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Absolute path of the Electron executable, or null when it is not there (not downloaded yet).
 * Computed as the `electron` package's own index.js does, ELECTRON_OVERRIDE_DIST_PATH included
 * (a folder holding the executable: a custom build, or a fake one in tests).
 */
export function electronBinaryPath() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executablePath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : '';
  let binary;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executablePath || 'electron');
  } else if (executablePath) {
    binary = join(pkgDir, 'dist', executablePath);
  } else {
    return null;
  }
  return existsSync(binary) ? binary : null;
}

export function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

export function electronVersion() {
  return require('electron/package.json').version;
}

/** Where `npm start` builds better-sqlite3 for Electron's ABI (node_modules keeps Node's build). */
export function electronNativeDir(version = electronVersion()) {
  return join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '.electron-native', version);
}

export function electronSqliteBindingPath(version = electronVersion()) {
  return join(electronNativeDir(version), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/**
 * The Electron executable, downloaded first when it is missing (`why` says what for). Null when
 * there is none and it could not be had. No download is tried for an ELECTRON_OVERRIDE_DIST_PATH
 * (the user chose that runtime) or under LENET_STUDIO_NO_DOWNLOAD=1 (tests of the messages).
 */
export function obtainElectronBinary(why) {
  let binary = electronBinaryPath();
  if (!binary && !process.env.ELECTRON_OVERRIDE_DIST_PATH && !process.env.LENET_STUDIO_NO_DOWNLOAD) {
    console.log(`Downloading the Electron runtime (${why})…`);
    const r = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], { stdio: 'ignore' });
    binary = r.status === 0 ? electronBinaryPath() : null;
  }
  return binary;
}
