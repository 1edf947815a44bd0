// Where the Electron runtime binary is, if it is installed. Electron ≥ 42 downloads it lazily
// (on first use) instead of in postinstall, so a fresh `npm ci` may not have it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Absolute path of the Electron executable, or null when it has not been downloaded. */
export function electronBinaryPath() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
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
