// What `npm test` needs besides node_modules, got where it can be and otherwise named in one line
// in the first seconds (rather than hundreds of failing UI tests):
// - a Chromium for the UI tests: $CHROMIUM_PATH, Debian's chromium, or Playwright's own, which is
//   downloaded (`playwright-core install chromium`) when none is there and the network allows;
// - FashionMNIST where the app looks system-wide (/usr/share/datasets/fashion-mnist, Debian's
//   dataset-fashion-mnist), downloaded there from the official address when that folder can be
//   written and the network allows.
// `node scripts/test-prerequisites.mjs [vitest args]` runs the check alone; scripts/test.mjs calls
// ensureTestPrerequisites first. LENET_TEST_PREREQ_* variables hide what is installed, for its test.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATASET_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const OFFICIAL_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
const PLAYWRIGHT_CDN = 'https://cdn.playwright.dev/';
/** How long a look at the network may take before it counts as unreachable. */
const PROBE_MS = 3000;

/** Which vitest projects the arguments run (all of them when none is named). */
export function projectsOf(args) {
  const named = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--project(?:=(.*))?$/.exec(args[i]);
    if (m) named.push(m[1] ?? args[++i]);
  }
  return named.length ? named : ['unit', 'integration', 'e2e', 'e2e-training', 'electron'];
}

/** Playwright's own Chromium, where `playwright-core install chromium` puts it (or null). */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(join(root, 'package.json'))('playwright-core');
    return chromium.executablePath();
  } catch {
    return null;
  }
}

async function reachable(url) {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(PROBE_MS) });
    return true;
  } catch {
    return false;
  }
}

function writable(dir) {
  let d = dir;
  while (!existsSync(d)) d = dirname(d);
  try {
    accessSync(d, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The real machine: where to look, and how to fetch what is missing. */
export function realMachine(env = process.env) {
  const hidden = env.LENET_TEST_PREREQ_HIDE === '1';
  return {
    chromiumCandidates: () =>
      hidden
        ? []
        : [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', playwrightChromium()].filter(Boolean),
    datasetDir: env.LENET_TEST_PREREQ_DATASET_DIR || '/usr/share/datasets/fashion-mnist',
    online: async (url) => env.LENET_TEST_PREREQ_OFFLINE !== '1' && (await reachable(url)),
    installChromium: () =>
      spawnSync(process.execPath, [join(root, 'node_modules/playwright-core/cli.js'), 'install', 'chromium'], {
        stdio: 'inherit',
        timeout: 600_000,
      }).status === 0,
    writable,
    download: async (url, file) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    },
  };
}

/** Null when everything is there (after fetching what could be fetched), else the one line to show. */
export async function checkPrerequisites(args, machine = realMachine()) {
  const projects = projectsOf(args);
  const missing = [];
  const inBrowser = (p) => p === 'e2e' || p === 'e2e-training';
  if (projects.some(inBrowser)) {
    const found = () => machine.chromiumCandidates().some((p) => existsSync(p));
    if (!found() && (await machine.online(PLAYWRIGHT_CDN))) machine.installChromium();
    if (!found())
      missing.push('a Chromium (apt-get install chromium, or with a network: npx playwright-core install chromium)');
  }
  if (projects.some((p) => inBrowser(p) || p === 'integration' || p === 'electron')) {
    const dir = machine.datasetDir;
    const absent = () => DATASET_FILES.filter((f) => !existsSync(join(dir, f)));
    if (absent().length && machine.writable(dir) && (await machine.online(OFFICIAL_BASE_URL))) {
      mkdirSync(dir, { recursive: true });
      for (const f of absent()) await machine.download(OFFICIAL_BASE_URL + f, join(dir, f));
    }
    if (absent().length)
      missing.push(`FashionMNIST in ${dir} (apt-get install dataset-fashion-mnist, or its four .gz files there)`);
  }
  return missing.length ? `npm test needs ${missing.join(' and ')}` : null;
}

/** scripts/test.mjs's first step: returns when all is there, else prints the line and exits. */
export async function ensureTestPrerequisites(args) {
  const problem = await checkPrerequisites(args);
  if (!problem) return;
  console.error(problem);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await ensureTestPrerequisites(process.argv.slice(2));
}
