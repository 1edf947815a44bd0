// An Electron-ABI build of better-sqlite3 for `npm start` / `npm run dev`. node_modules keeps
// better-sqlite3 built for Node (tests, CLI); the Electron build goes to
// .electron-native/<electronVersion>/ and main loads it through `nativeBinding`.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { electronNativeDir, electronVersion } from './electron-binary.mjs';

const require = createRequire(import.meta.url);

/**
 * Why not on any Node: electron/install.js (the runtime download) does `require('@electron/get')`,
 * and @electron/get 5 is ESM-only, so it needs require(esm) without a flag: Node 20.19+ or
 * 22.12+. On Node 20.18, 21.x or 22.0–22.11 that require throws ERR_REQUIRE_ESM before any
 * network access, which would otherwise be reported as "could not be downloaded".
 * @electron/get, @electron/rebuild and node-abi declare `engines: >=22.12`, but on Node 20.20
 * they load and run (install.js gets as far as `fetch`; rebuild walks the modules and starts the
 * prebuild/node-gyp step), so the line is drawn where loading actually fails, not at `engines`.
 * The same range is what electron-vite 6, vite 8 and rolldown declare (^20.19.0 || >=22.12.0).
 * Returns null when this Node is fine, else the one line to print.
 */
export function nodeVersionProblem(version = process.versions.node) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
  if (ok) return null;
  return (
    `the desktop app's Electron tooling needs Node 20.19+ or 22.12+ (require of ES modules), this is Node ${version}; ` +
    'upgrade Node to run `npm start`, or train headless with `npm run train -- --preset quick`.'
  );
}

export function installedSqliteDir() {
  return dirname(require.resolve('better-sqlite3/package.json'));
}

export function installedSqliteVersion(sourceDir = installedSqliteDir()) {
  return JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8')).version;
}

export function sqliteBindingIn(dir) {
  return join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/**
 * A fresh folder @electron/rebuild can work in: a copy of the installed better-sqlite3 (without
 * its Node build) and a package.json that DECLARES it. @electron/rebuild's ModuleWalker only
 * looks at modules named in the root package.json's dependencies (`onlyModules` filters that set,
 * it does not add to it), so a package.json without dependencies makes rebuild() succeed having
 * built nothing.
 */
export function prepareNativeDir(dir, sourceDir = installedSqliteDir()) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const pkg = {
    name: 'electron-native',
    private: true,
    dependencies: { 'better-sqlite3': installedSqliteVersion(sourceDir) },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const skip = join(sourceDir, 'build');
  cpSync(sourceDir, join(dir, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (src) => src !== skip });
}

/** The better-sqlite3 version the folder was prepared for, or null. */
function preparedSqliteVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['better-sqlite3'] ?? null;
  } catch {
    return null;
  }
}

async function defaultRebuild(options) {
  const { rebuild } = await import('@electron/rebuild');
  return rebuild(options);
}

/**
 * Make sure `<dir>/node_modules/better-sqlite3/build/Release/better_sqlite3.node` exists for
 * Electron `version` and matches the installed better-sqlite3; build it once if not. Resolves to
 * the binding's path; rejects with an Error whose message is ONE line. `rebuild` (default:
 * @electron/rebuild's) and `dir` (default: electronNativeDir(version)) are there for tests.
 */
export async function ensureElectronSqlite({
  version = electronVersion(),
  log = console.log,
  rebuild = defaultRebuild,
  dir = electronNativeDir(version),
  sourceDir = installedSqliteDir(),
} = {}) {
  const bindingPath = sqliteBindingIn(dir);
  const wanted = installedSqliteVersion(sourceDir);
  if (existsSync(bindingPath) && preparedSqliteVersion(dir) === wanted) return bindingPath;

  log(`Building better-sqlite3 ${wanted} for Electron ${version} (once)…`);
  prepareNativeDir(dir, sourceDir);
  try {
    // projectRootPath: search node_modules in `dir` only, never the repo's own (Node) build.
    await rebuild({
      buildPath: dir,
      projectRootPath: dir,
      electronVersion: version,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
  } catch (err) {
    const first =
      String(err?.message ?? err)
        .split('\n')
        .find((l) => l.trim()) ?? 'unknown error';
    throw new Error(`could not build better-sqlite3 for Electron ${version}: ${first.trim()} (see above)`);
  }
  // rebuild() resolving is not proof: with nothing to build it resolves too.
  if (!existsSync(bindingPath)) {
    throw new Error(
      `building better-sqlite3 for Electron ${version} reported success but produced no ${bindingPath}; ` +
        'the app would have no database, so it was not started.',
    );
  }
  return bindingPath;
}
