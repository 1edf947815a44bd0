#!/usr/bin/env node
/**
 * TEST-ONLY: make @tensorflow/tfjs-node load in this checkout's node_modules, so the backend-choice,
 * kernel and trainer tests also run on `tensorflow`. Never shipped: nothing here is a dependency,
 * and electron-builder packs only what package.json lists.
 *
 * Why this is needed: tfjs-node's install script downloads libtensorflow from storage.googleapis.com,
 * which CI and this machine cannot reach, so `npm ci` drops the optional package. Its binding is
 * built here instead against a modern TensorFlow's C API, the one inside pip's `tensorflow-cpu`
 * 2.21 wheel (libtensorflow_cc.so.2 exports the C API; AVX2/AVX-512 and oneDNN, as on users'
 * machines, where the old 1.15 lambda build had no AVX2):
 *
 * 1. install tfjs-node at package.json's version with `--no-save --ignore-scripts` (no download);
 * 2. `pip download` the wheel from pip's configured index (or take $LENET5_TF_WHEEL), and extract
 *    the C API's headers and the two shared libraries from it (python3's zipfile) into a cache;
 * 3. link them as tfjs-node's `deps/include` and `deps/lib` (libtensorflow_cc.so.2, the name the
 *    binding then needs, also as libtensorflow.so{,.2} for its `-ltensorflow`;
 *    libtensorflow_framework.so{,.2}), which its binding.gyp reads;
 * 4. `node-gyp rebuild` (npm's own copy, Node's headers from this Node's prefix: no download)
 *    into `lib/napi-v8/`, where tfjs-node 4.22 loads it from;
 * 5. check in a fresh Node that the `tensorflow` backend initialises.
 *
 * Needs python3 with pip, make and g++ (it names what is missing). About two minutes the first
 * time, most of it compiling; the wheel and the extracted files stay in the cache.
 *
 *   node scripts/test-tfjs-node.mjs            exit 0: loads; exit 1: could not (the reason printed)
 *   node scripts/test-tfjs-node.mjs --check    only the load check, nothing installed
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TFJS_NODE = '@tensorflow/tfjs-node';
const TF_WHEEL = 'tensorflow-cpu==2.21.0';
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'lenet5-test-tfjs-node');
/** Where the wheel's files are extracted: `tensorflow/include/…` and `tensorflow/*.so.2`. */
const EXTRACTED = path.join(CACHE, 'tensorflow-cpu-2.21.0');
/** The headers tfjs-node's binding includes, with what they include in turn. */
const HEADER_PREFIXES = [
  'tensorflow/include/tensorflow/c/',
  'tensorflow/include/tensorflow/core/platform/',
  'tensorflow/include/tsl/',
  'tensorflow/include/xla/tsl/c/',
  'tensorflow/include/xla/tsl/platform/',
];
const LIBRARIES = {
  'libtensorflow_cc.so.2': ['libtensorflow_cc.so.2', 'libtensorflow.so.2', 'libtensorflow.so'],
  'libtensorflow_framework.so.2': ['libtensorflow_framework.so.2', 'libtensorflow_framework.so'],
};

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

const has = (command, args = ['--version']) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function requireTools() {
  const missing = [
    ['python3', ['-m', 'pip', '--version'], 'python3 with pip'],
    ['make', ['--version'], 'make'],
    ['g++', ['--version'], 'g++'],
  ].filter(([command, args]) => !has(command, args));
  if (missing.length)
    throw new Error(`missing ${missing.map((m) => m[2]).join(', ')} (apt-get install python3-pip make g++)`);
}

/** The tensorflow-cpu wheel: $LENET5_TF_WHEEL, else one already downloaded, else pip download. */
function wheel() {
  if (process.env.LENET5_TF_WHEEL) return process.env.LENET5_TF_WHEEL;
  const dir = path.join(CACHE, 'wheel');
  const found = () => readdirSync(dir).find((f) => f.startsWith('tensorflow_cpu-2.21.0') && f.endsWith('.whl'));
  mkdirSync(dir, { recursive: true });
  if (!found()) {
    say(`pip download ${TF_WHEEL} (from pip's configured index)`);
    // --retries 0 --timeout 10: an index that cannot be reached (pypi.org here) is skipped, not retried.
    const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--retries', '0', '--timeout', '10'];
    execFileSync('python3', [...args, '--dest', dir, TF_WHEEL], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const name = found();
  if (!name) throw new Error(`pip download ${TF_WHEEL} left no wheel in ${dir}`);
  return path.join(dir, name);
}

/** The headers and libraries, extracted from the wheel once. */
function extractedTensorflow() {
  const done = path.join(EXTRACTED, '.complete');
  if (existsSync(done)) return path.join(EXTRACTED, 'tensorflow');
  const from = wheel();
  say(`extracting the C API headers and libtensorflow from ${path.basename(from)}`);
  rmSync(EXTRACTED, { recursive: true, force: true });
  const script = [
    'import sys, zipfile',
    'wheel, out, done = sys.argv[1:4]',
    'prefixes = tuple(sys.argv[4].split(","))',
    'libraries = tuple("tensorflow/" + n for n in sys.argv[5].split(","))',
    'with zipfile.ZipFile(wheel) as z:',
    '    for n in z.namelist():',
    '        if (n.startswith(prefixes) and n.endswith(".h")) or n in libraries: z.extract(n, out)',
    'open(done, "w").close()',
  ].join('\n');
  execFileSync(
    'python3',
    ['-c', script, from, EXTRACTED, done, HEADER_PREFIXES.join(','), Object.keys(LIBRARIES).join(',')],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return path.join(EXTRACTED, 'tensorflow');
}

/** deps/include and deps/lib of the installed tfjs-node, as links into the extracted wheel. */
function linkDeps(installed, tensorflow) {
  const deps = path.join(installed, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(path.join(deps, 'lib'), { recursive: true });
  symlinkSync(path.join(tensorflow, 'include'), path.join(deps, 'include'));
  for (const [library, names] of Object.entries(LIBRARIES)) {
    for (const name of names) symlinkSync(path.join(tensorflow, library), path.join(deps, 'lib', name));
  }
}

/** npm's own node-gyp, with this Node's headers (its prefix's include/node) so nothing is downloaded. */
function buildBinding(installed) {
  const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  const nodeGyp = path.join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(nodeGyp)) throw new Error(`npm's node-gyp is not at ${nodeGyp}`);
  const prefix = path.dirname(path.dirname(process.execPath));
  const nodedir = existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
  if (!nodedir.length) say(`no Node headers under ${prefix}/include/node: node-gyp will try to download them`);
  say('node-gyp rebuild (about a minute of compiling)');
  const args = [
    'rebuild',
    ...nodedir,
    '--module_name=tfjs_binding',
    `--module_path=${path.join(installed, 'lib', 'napi-v8')}`,
  ];
  execFileSync(process.execPath, [nodeGyp, ...args, '--napi_build_version=8'], {
    cwd: installed,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function main() {
  const already = loadFailure();
  if (already === null) return say('the tensorflow backend loads');
  if (process.argv.includes('--check')) throw new Error(`the tensorflow backend does not load: ${already}`);
  requireTools();

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
  linkDeps(installed, extractedTensorflow());
  buildBinding(installed);
  const failure = loadFailure();
  if (failure !== null) throw new Error(`the binding is built but the backend does not load: ${failure}`);
  say('the tensorflow backend loads (TensorFlow 2.21 from the tensorflow-cpu wheel)');
}

main().catch((err) => {
  say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
