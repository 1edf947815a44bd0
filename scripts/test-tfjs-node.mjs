#!/usr/bin/env node
/**
 * TEST-ONLY: make @tensorflow/tfjs-node load in this checkout's node_modules, so the backend-choice,
 * kernel and trainer tests also run on `tensorflow`. Never shipped: nothing here is a dependency,
 * and electron-builder packs only what package.json lists.
 *
 * Why this is needed: tfjs-node's install script downloads libtensorflow from storage.googleapis.com,
 * which CI and this machine cannot reach, so `npm ci` drops the optional package. The npm package
 * `tfjs-node-lambda-releases@1.6.1` holds `nodejs12.x-tf2.7.0.br`, a brotli-compressed tar of
 * `node_modules/@tensorflow/tfjs-node@2.7.0` with its native binding (napi-v6) and libtensorflow
 * 1.15 (built without AVX2). tfjs-node 4.22's JavaScript loads that binding from `lib/napi-v8/`.
 *
 * Steps: install tfjs-node at package.json's version with `--no-save --ignore-scripts` (no download
 * attempt), fetch the lambda package with `npm pack` into a cache folder, extract the binding and
 * `deps/lib/`, copy them in, and check in a fresh Node that the `tensorflow` backend initialises.
 *
 *   node scripts/test-tfjs-node.mjs            exit 0: loads; exit 1: could not (the reason printed)
 *   node scripts/test-tfjs-node.mjs --check    only the load check, nothing installed
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TFJS_NODE = '@tensorflow/tfjs-node';
const LAMBDA = 'tfjs-node-lambda-releases@1.6.1';
const ARCHIVE = 'nodejs12.x-tf2.7.0.br';
const INNER = 'node_modules/@tensorflow/tfjs-node';
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'lenet5-test-tfjs-node');

const say = (message) => process.stdout.write(`test-tfjs-node: ${message}\n`);

/** Does `tensorflow` initialise in a fresh Node here? null when it does, else the first error line. */
function loadFailure() {
  const probe = `const tf = require('${TFJS_NODE}'); tf.setBackend('tensorflow').then((ok) => process.exit(ok ? 0 : 3));`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status === 0) return null;
  const lines = `${result.stderr}`.split('\n').filter((l) => /Error|error:/.test(l));
  return lines[0]?.trim() || `exit ${result.status ?? result.signal}`;
}

function npm(args) {
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function wantedVersion() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const version = pkg.optionalDependencies?.[TFJS_NODE] ?? pkg.dependencies?.[TFJS_NODE];
  if (!version) throw new Error(`package.json does not list ${TFJS_NODE}`);
  return version;
}

/** The 2.7.0 tfjs-node folder from the lambda archive, extracted once into the cache. */
async function lambdaTfjsNode() {
  const extracted = path.join(CACHE, 'extracted', INNER);
  if (existsSync(path.join(extracted, 'lib', 'napi-v6', 'tfjs_binding.node'))) return extracted;
  mkdirSync(CACHE, { recursive: true });
  let tgz = readdirSync(CACHE).find((f) => f.startsWith('tfjs-node-lambda-releases-') && f.endsWith('.tgz'));
  if (!tgz) {
    say(`fetching ${LAMBDA} (≈195 MB) with npm pack`);
    npm(['pack', LAMBDA, '--pack-destination', CACHE, '--silent']);
    tgz = readdirSync(CACHE).find((f) => f.startsWith('tfjs-node-lambda-releases-') && f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${LAMBDA} left no tarball in ${CACHE}`);
  }
  execFileSync('tar', ['xzf', path.join(CACHE, tgz), '-C', CACHE, `package/${ARCHIVE}`]);
  const tar = path.join(CACHE, 'tf270.tar');
  await pipeline(
    createReadStream(path.join(CACHE, 'package', ARCHIVE)),
    createBrotliDecompress(),
    createWriteStream(tar),
  );
  const out = path.join(CACHE, 'extracted');
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['xf', tar, '-C', out, `${INNER}/lib/napi-v6/tfjs_binding.node`, `${INNER}/deps/lib`]);
  rmSync(tar);
  rmSync(path.join(CACHE, 'package'), { recursive: true });
  return extracted;
}

function copyInto(from, installed) {
  const napi = path.join(installed, 'lib', 'napi-v8');
  mkdirSync(napi, { recursive: true });
  copyFileSync(path.join(from, 'lib', 'napi-v6', 'tfjs_binding.node'), path.join(napi, 'tfjs_binding.node'));
  const libFrom = path.join(from, 'deps', 'lib');
  const libTo = path.join(installed, 'deps', 'lib');
  mkdirSync(libTo, { recursive: true });
  // The tar's version symlinks (libtensorflow.so → .so.1 → .so.1.15.0) are copied as files.
  for (const name of readdirSync(libFrom)) copyFileSync(path.join(libFrom, name), path.join(libTo, name));
}

async function main() {
  const already = loadFailure();
  if (already === null) return say('the tensorflow backend loads');
  if (process.argv.includes('--check')) throw new Error(`the tensorflow backend does not load: ${already}`);

  const require = createRequire(path.join(ROOT, 'package.json'));
  let installed;
  try {
    installed = path.dirname(require.resolve(`${TFJS_NODE}/package.json`));
  } catch {
    const version = wantedVersion();
    say(`installing ${TFJS_NODE}@${version} for tests (--no-save --ignore-scripts)`);
    npm(['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${TFJS_NODE}@${version}`]);
    installed = path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve(`${TFJS_NODE}/package.json`));
  }
  copyInto(await lambdaTfjsNode(), installed);
  const failure = loadFailure();
  if (failure !== null) throw new Error(`the binding is in place but the backend does not load: ${failure}`);
  say('the tensorflow backend loads (libtensorflow 1.15 from the lambda build)');
}

main().catch((err) => {
  say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
