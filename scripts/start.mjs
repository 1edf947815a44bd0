// `npm start`: make sure this Node can run the Electron tooling, that the Electron runtime and an
// Electron-ABI build of better-sqlite3 exist, build the app, and open the window.
// `npm run dev` (`start.mjs --dev`): the same checks, then `electron-vite dev` instead of build +
// launch, so dev loads the Electron build of better-sqlite3 too (Electron refuses the Node one).
// Arguments after `--dev` go to electron-vite; without `--dev` they go to the app.
//
// Env hooks for tests (a fake Electron via ELECTRON_OVERRIDE_DIST_PATH, see electron-binary.mjs):
//   LENET_STUDIO_NO_DOWNLOAD=1  do not try to download a missing Electron runtime
//   LENET_STUDIO_SKIP_NATIVE=1  do not build better-sqlite3 for Electron (it needs the network and
//                               a real Electron version); LENET_SQLITE_BINDING is still passed
//   LENET_STUDIO_SKIP_BUILD=1   do not run `electron-vite build` (~20 s); launch what out/ holds
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBindingPath, electronVersion, obtainElectronBinary } from './electron-binary.mjs';
import { ensureElectronSqlite, nodeVersionProblem } from './electron-native.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');

function fail(line) {
  console.error(`lenet5-studio: ${line}`);
  process.exit(1);
}

// First, so that a Node too old for the tooling is not misreported as a failed download. Checked
// on Node 20.20: @electron/rebuild imports and runs, electron/install.js loads @electron/get and
// fails only at `fetch` (no network); with require(esm) off (`--no-experimental-require-module`,
// as on Node < 20.19 or 22.0-22.11) install.js dies with ERR_REQUIRE_ESM before any download.
// So the bar is require(esm), not the tooling's `engines: >=22.12` (see nodeVersionProblem).
const nodeProblem = nodeVersionProblem();
if (nodeProblem) fail(nodeProblem);

const args = process.argv.slice(2);
const dev = args[0] === '--dev';
if (dev) args.shift();

const binary = obtainElectronBinary('first start');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
if (!binary && override) fail(`ELECTRON_OVERRIDE_DIST_PATH is set but ${override} holds no Electron executable.`);
if (!binary) {
  fail(
    'no Electron runtime here and it could not be downloaded; connect to the internet and run `npm start` again, ' +
      'or train headless with `npm run train -- --preset quick`.',
  );
}

const version = electronVersion();
let bindingPath = electronSqliteBindingPath(version);
if (!process.env.LENET_STUDIO_SKIP_NATIVE) {
  try {
    bindingPath = await ensureElectronSqlite({ version });
  } catch (err) {
    fail(err.message);
  }
}
// main also finds the binding at this path by itself; passing it keeps one source of truth here.
const env = { ...process.env, LENET_SQLITE_BINDING: bindingPath };

let command;
let commandArgs;
if (dev) {
  // electron-vite finds Electron through ELECTRON_EXEC_PATH (it ignores ELECTRON_OVERRIDE_DIST_PATH).
  env.ELECTRON_EXEC_PATH = binary;
  [command, commandArgs] = [process.execPath, [electronVite, 'dev', ...args]];
} else {
  if (!process.env.LENET_STUDIO_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) fail('the build failed (see above).');
  }
  [command, commandArgs] = [binary, [root, ...args]];
}

// Chromium aborts at start when its sandbox cannot start: on Ubuntu 23.10+/24.04 AppArmor blocks
// unprivileged user namespaces, and the SUID fallback (chrome-sandbox) is not root-owned 4755
// after an npm install. Its FATAL line is easy to miss, so stderr is watched (and still passed
// through) to name the remedy in one line. --no-sandbox is never added behind the user's back.
const SANDBOX_FAILURE = /SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox!/;
const sandbox = join(dirname(binary), 'chrome-sandbox');
const shellQuote = (s) => (/^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['inherit', 'inherit', 'pipe'] });
let tail = '';
let sawSandboxFailure = false;
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-8192);
  if (SANDBOX_FAILURE.test(tail)) sawSandboxFailure = true;
});
// Stay alive until the child is gone (its stderr goes through us) and pass signals on; a
// terminal's Ctrl-C reaches the child too, and a second SIGINT is harmless.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('close', (code, signal) => {
  const failed = code !== 0 || signal !== null;
  if (failed && sawSandboxFailure) {
    const q = shellQuote(sandbox);
    console.error(
      "lenet5-studio: Electron's sandbox could not start (unprivileged user namespaces are blocked, as on Ubuntu 24.04): " +
        `run \`sudo chown root ${q} && sudo chmod 4755 ${q}\`, ` +
        'or allow them with `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`.',
    );
  }
  process.exit(code ?? (signal ? 1 : 0));
});
