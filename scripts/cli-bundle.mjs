/**
 * The headless CLI's bundle: src/cli/index.ts and the two processes it forks (trainer, inspector),
 * built by esbuild into out/cli/. Running it with plain `node` skips tsx, which transpiles every
 * TypeScript module at each start of the CLI and again in the trainer it forks (≈ 1 s a start here).
 * Dependencies stay in node_modules (native addons, tfjs's wasm files), as in the app's build.
 *
 * `node scripts/cli-bundle.mjs` builds it (part of `npm run build`); `ensureCliBundle()` rebuilds it
 * only when a source file is newer, so `npm run train` after an edit runs the edit.
 * The app's own trainer and inspector bundles (out/main/*.cjs) come from here too, with the same
 * options: `buildProcessBundles`, which electron.vite.config.ts calls after each main build.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT_DIR = path.join(ROOT, 'out', 'cli');
export const CLI_BUNDLE = path.join(CLI_OUT_DIR, 'index.js');

/** What the bundle is made of: every non-renderer source, and the config that shapes the build. */
const SOURCE_DIRS = ['src/cli', 'src/core', 'src/shared'].map((d) => path.join(ROOT, d));
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'scripts/cli-bundle.mjs'].map((f) => path.join(ROOT, f));

/** Newest modification time (ms) of the files under `dirs` plus `files`; 0 when there are none. */
export function newestMtime(dirs, files = []) {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of [...dirs, ...files]) visit(p);
  return newest;
}

/** True when `bundle` is missing or older than any of the sources. */
export function isStale(bundle, dirs, files = []) {
  const built = statSync(bundle, { throwIfNoEntry: false });
  return !built || built.mtimeMs < newestMtime(dirs, files);
}

/** The two processes main forks: the CLI's supervisor and inspector client look for these names beside their own file. */
export const PROCESS_ENTRIES = {
  trainer: path.join(ROOT, 'src/core/trainer/process.ts'),
  inspector: path.join(ROOT, 'src/core/inspector/process.ts'),
};

/**
 * esbuild's options for a Node bundle of `entryPoints` in `outdir`, the same for the CLI and for
 * the app's trainer and inspector processes (`buildProcessBundles`).
 */
function nodeBundle(entryPoints, outdir) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    // CommonJS, not ESM: dependencies then load with require(); an ESM `import` of tfjs's CommonJS
    // build makes Node lex its re-exports for names, a noticeable part of every process's start.
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    define: { 'import.meta.url': '__bundleUrl', 'import.meta.dirname': '__dirname' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: true,
    logLevel: 'warning',
  };
}

/**
 * The trainer and inspector entries as `<outdir>/trainer.cjs` and `inspector.cjs`: what the app
 * forks (src/main/index.ts). CommonJS for the reason above: a run's trainer reaches its `started`
 * event sooner than from electron-vite's ESM build.
 * Called by electron.vite.config.ts after each main build, so every way the app is built has them.
 */
export async function buildProcessBundles(outdir) {
  const { build } = await import('esbuild');
  await build({ ...nodeBundle(PROCESS_ENTRIES, outdir), sourcemap: false, outExtension: { '.js': '.cjs' } });
}

/**
 * Build into a fresh folder, then swap it in: a CLI starting meanwhile never imports half a bundle,
 * and two starts building at once both end with a whole one.
 */
export async function buildCliBundle({ force = false } = {}) {
  const { build } = await import('esbuild');
  const parent = path.dirname(CLI_OUT_DIR);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(path.join(parent, '.cli-'));
  await build(nodeBundle({ index: path.join(ROOT, 'src/cli/index.ts'), ...PROCESS_ENTRIES }, staging));
  // The project's package.json says "type": "module"; these .js files are CommonJS.
  writeFileSync(path.join(staging, 'package.json'), '{ "type": "commonjs" }\n');
  if (!force && !isStale(CLI_BUNDLE, SOURCE_DIRS, SOURCE_FILES)) {
    // Another start built the same sources meanwhile and may be running from it: keep that one.
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  rmSync(CLI_OUT_DIR, { recursive: true, force: true });
  try {
    renameSync(staging, CLI_OUT_DIR);
  } catch (err) {
    // Another start swapped its build in first: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(CLI_BUNDLE)) throw err;
  }
}

/** The bundle's path, built first when missing or older than a source. */
export async function ensureCliBundle() {
  if (isStale(CLI_BUNDLE, SOURCE_DIRS, SOURCE_FILES)) await buildCliBundle();
  return CLI_BUNDLE;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildCliBundle({ force: true });
}
