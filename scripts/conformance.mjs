/**
 * TensorFlow.js's own kernel tests as a conformance suite for the wasm kernels the studio registers
 * (src/core/engine/backend/wasm-kernels/).
 *
 * The cases are tfjs-core's compiled test files as the pinned package ships them
 * (node_modules/@tensorflow/tfjs-core/dist/ops/*_test.js, Apache-2.0, their licence header kept
 * in them), with tfjs's own tolerances. Each file runs in a process of its own (one corrupting case
 * cannot hide the others) in three configurations: `stock` (tfjs-backend-wasm as shipped, 1 thread),
 * `ours-1` and `ours-2` (the backend as the trainer sets it up, 1 and 2 threads). Per case:
 *
 * - passes on stock, fails on ours (either thread count): a regression. Fails the run.
 * - passes with 1 thread of ours and not with 2, or the reverse: fails the run (threads must not
 *   change a result).
 * - fails on all three: must be listed by name in test/conformance/known-failures.json (features
 *   the wasm backend lacks). An unlisted one fails the run: nobody has looked at it yet.
 * - listed there but no longer failing on all three: fails the run too. A stale entry would
 *   excuse that case silently if it broke again, and the list is the note's count of known
 *   failures; the message says which entry to delete.
 * - fails on stock, passes on ours: reported (ours is better there), fine.
 *
 *   node scripts/conformance.mjs [--files conv2d,mat_mul] [--jobs N] [--json report.json] [--verbose] [--keep]
 *
 * prints a line per file and configuration, the verdicts, and the counts; exits 1 on a failure.
 * test/conformance/tfjs-kernels.test.ts runs it as part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE_DIST = path.join(ROOT, 'node_modules/@tensorflow/tfjs-core/dist');
export const KNOWN_FAILURES_FILE = path.join(ROOT, 'test/conformance/known-failures.json');

/** tfjs-core's test files in the suite, by short name (paths under tfjs-core/dist/). */
export const TEST_FILES = {
  conv2d: 'ops/conv2d_test.js',
  conv2d_transpose: 'ops/conv2d_transpose_test.js',
  fused_conv2d: 'ops/fused/fused_conv2d_test.js',
  avg_pool: 'ops/avg_pool_test.js',
  max_pool: 'ops/max_pool_test.js',
  pool: 'ops/pool_test.js',
  sigmoid: 'ops/sigmoid_test.js',
  sum: 'ops/sum_test.js',
  mat_mul: 'ops/mat_mul_test.js',
  slice: 'ops/slice_test.js',
  gather: 'ops/gather_test.js',
  clone: 'ops/clone_test.js',
};

/**
 * Every kernel (or gradient) the trainer's set-up replaces on wasm, and the files whose cases reach
 * it; an empty list says why none can. A kernel of ours missing here fails the suite, so a new
 * one comes with its tfjs cases.
 */
export const KERNEL_TESTS = {
  Conv2DBackpropFilter: ['conv2d', 'conv2d_transpose', 'fused_conv2d'],
  Conv2DBackpropInput: ['conv2d', 'conv2d_transpose', 'fused_conv2d'],
  FusedConv2D: ['fused_conv2d'],
  AvgPoolGrad: ['avg_pool', 'pool'],
  MaxPoolGrad: ['max_pool', 'pool'],
  BatchMatMul: ['mat_mul'],
  Sum: ['sum', 'conv2d', 'fused_conv2d', 'mat_mul'],
  Slice: ['slice'],
  GatherV2: ['gather'],
  Identity: ['clone'],
  'Sigmoid (gradient)': ['sigmoid'],
  // Not tfjs kernels: no tfjs case calls them. Checked bit for bit against tfjs's own ops in
  // test/unit/wasm-kernels.test.ts (AdamStep against tfjs's Adam, SigmoidGrad through the gradient).
  AdamStep: [],
  SigmoidGrad: ['sigmoid'],
};

export const CONFIGURATIONS = ['stock', 'ours-1', 'ours-2'];

/**
 * Killed after this long: a case that hangs in a wasm loop (or in a wait for a worker that trapped)
 * cannot be interrupted from JS. A file takes 1–8 s here on a loaded 2-core machine.
 */
const PROCESS_TIMEOUT_MS = 60_000;

/** esbuild: the child, and one bundle per test file whose tfjs-core is the one the backend uses. */
async function buildBundles(outdir, names) {
  const { build } = await import('esbuild');
  const coreIndex = path.join(CORE_DIST, 'index');
  const tfjsCoreIsOne = {
    name: 'tfjs-core-is-one',
    setup(b) {
      // The test files import tfjs-core's ESM index (`../index`): make it the CommonJS package that
      // @tensorflow/tfjs and the wasm backend load, so tests, kernels and engine share one copy.
      b.onResolve({ filter: /(^|\/)index(\.js)?$/ }, (args) => {
        if (!args.importer.startsWith(CORE_DIST)) return undefined;
        const target = path.resolve(args.resolveDir, args.path).replace(/\.js$/, '');
        return target === coreIndex ? { path: '@tensorflow/tfjs-core', external: true } : undefined;
      });
      b.onResolve({ filter: /^conformance-entry:/ }, (args) => ({
        path: args.path.slice('conformance-entry:'.length),
        namespace: 'conformance-entry',
      }));
      b.onLoad({ filter: /.*/, namespace: 'conformance-entry' }, (args) => ({
        contents: [
          `import { setTestEnvs } from ${JSON.stringify(path.join(CORE_DIST, 'jasmine_util.js'))};`,
          'export default function load(envs) {',
          '  setTestEnvs(envs);',
          `  require(${JSON.stringify(path.join(CORE_DIST, TEST_FILES[args.path]))});`,
          '}',
        ].join('\n'),
        resolveDir: CORE_DIST,
        loader: 'js',
      }));
    },
  };
  const common = {
    outdir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
    plugins: [tfjsCoreIsOne],
  };
  await build({
    ...common,
    entryPoints: {
      child: path.join(ROOT, 'test/conformance/child.ts'),
      ...Object.fromEntries(names.map((n) => [`test-${n}`, `conformance-entry:${n}`])),
    },
  });
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
}

/** Run one file in one configuration; resolves with its parsed result lines and timing. */
function runChild(outdir, name, configuration) {
  const results = path.join(outdir, `results-${name}-${configuration}.jsonl`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(outdir, 'child.cjs'), configuration, path.join(outdir, `test-${name}.cjs`), results],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = existsSync(results)
        ? readFileSync(results, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
      resolve({
        name,
        configuration,
        lines,
        exit: signal ? `killed (${signal})` : code,
        stderr,
        wallMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** Per-configuration view of one child: case name → { status, message }, with repeated names numbered. */
function casesOf(run) {
  const cases = new Map();
  for (const line of run.lines) {
    if (line.kind !== 'case') continue;
    let name = line.name;
    for (let i = 2; cases.has(name); i++) name = `${line.name} (#${i})`;
    cases.set(name, line);
  }
  return cases;
}

/**
 * Judge one file from its three runs (see the header). Cases are those any configuration reached;
 * one a configuration never reported (its process died first) counts as failed there.
 */
export function judgeFile(name, runs, known) {
  const byConfig = Object.fromEntries(runs.map((r) => [r.configuration, casesOf(r)]));
  const names = new Set(runs.flatMap((r) => [...byConfig[r.configuration].keys()]));
  const listed = new Set(Object.values(known[name] ?? {}).flat());
  const passes = (config, c) => byConfig[config]?.get(c)?.status === 'passed';
  const skipped = (c) => CONFIGURATIONS.every((config) => byConfig[config]?.get(c)?.status === 'skipped');
  const problems = [];
  const counts = { total: 0, stock: 0, 'ours-1': 0, 'ours-2': 0, knownOnBoth: 0, oursBetter: 0, skipped: 0 };
  const message = (config, c) => byConfig[config]?.get(c)?.message ?? 'not reported (the process ended before it)';
  for (const c of names) {
    if (skipped(c)) {
      counts.skipped++;
      continue;
    }
    counts.total++;
    const [stock, one, two] = CONFIGURATIONS.map((config) => passes(config, c));
    if (stock) counts.stock++;
    if (one) counts['ours-1']++;
    if (two) counts['ours-2']++;
    if (stock && (!one || !two)) {
      const config = !one ? 'ours-1' : 'ours-2';
      problems.push({
        kind: 'regression',
        case: c,
        detail: `passes on stock, fails on ${config}: ${message(config, c)}`,
      });
    } else if (one !== two) {
      const config = !one ? 'ours-1' : 'ours-2';
      problems.push({ kind: 'threads differ', case: c, detail: `fails on ${config} only: ${message(config, c)}` });
    } else if (!stock && !one && !two) {
      if (listed.has(c)) counts.knownOnBoth++;
      else problems.push({ kind: 'new failure on both', case: c, detail: message('stock', c) });
    } else if (!stock) counts.oursBetter++;
  }
  for (const c of listed) {
    if (!names.has(c)) problems.push({ kind: 'stale known failure', case: c, detail: 'no such case any more' });
    else if (CONFIGURATIONS.some((config) => passes(config, c))) {
      const where = CONFIGURATIONS.filter((config) => passes(config, c)).join(', ');
      problems.push({ kind: 'stale known failure', case: c, detail: `now passes on ${where}: delete its entry` });
    }
  }
  for (const r of runs) {
    const done = r.lines.find((l) => l.kind === 'done');
    if (done?.failedLoad) problems.push({ kind: 'load', case: '', detail: `${r.configuration}: ${done.failedLoad}` });
    else if (!done) {
      problems.push({
        kind: 'process',
        case: '',
        detail: `${r.configuration} ended early (exit ${r.exit}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      });
    }
  }
  return { name, counts, problems };
}

export function loadKnownFailures() {
  const raw = JSON.parse(readFileSync(KNOWN_FAILURES_FILE, 'utf8'));
  // { file: { reason: [case names] } }; keys starting with "//" are comments.
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => !k.startsWith('//'))
      .map(([file, reasons]) => [
        file,
        Object.fromEntries(Object.entries(reasons).filter(([k]) => !k.startsWith('//'))),
      ]),
  );
}

/** Run `names` × the configurations, `jobs` processes at a time, longest first. */
export async function runConformance({
  names = Object.keys(TEST_FILES),
  jobs = os.availableParallelism(),
  log = () => {},
  keep = false,
} = {}) {
  const started = performance.now();
  const cache = path.join(ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(path.join(cache, 'conformance-'));
  try {
    await buildBundles(outdir, names);
    const bundleMs = Math.round(performance.now() - started);
    // Longest files first, so the last process to start is a short one.
    const order = ['mat_mul', 'conv2d', 'fused_conv2d', 'max_pool', 'conv2d_transpose', 'pool', 'avg_pool', 'gather'];
    const rank = (n) => (order.includes(n) ? order.indexOf(n) : order.length);
    const queue = [...names].sort((a, b) => rank(a) - rank(b)).flatMap((n) => CONFIGURATIONS.map((c) => [n, c]));
    const runs = [];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const run = await runChild(outdir, ...next);
        log(`${run.name} ${run.configuration}: ${(run.wallMs / 1000).toFixed(1)} s`);
        runs.push(run);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
    const known = loadKnownFailures();
    const files = names.map((name) => {
      const own = CONFIGURATIONS.map((c) => runs.find((r) => r.name === name && r.configuration === c));
      return {
        ...judgeFile(name, own, known),
        wallMs: Object.fromEntries(own.map((r) => [r.configuration, r.wallMs])),
        // Inside each process: node's start and the backend's set-up, then tfjs's cases.
        setupMs: Object.fromEntries(own.map((r) => [r.configuration, r.lines.find((l) => l.kind === 'setup')?.ms])),
        casesMs: Object.fromEntries(
          own.map((r) => [r.configuration, r.lines.reduce((sum, l) => sum + (l.kind === 'case' ? l.ms : 0), 0)]),
        ),
      };
    });
    const setups = Object.fromEntries(
      CONFIGURATIONS.map((c) => [c, runs.find((r) => r.configuration === c)?.lines.find((l) => l.kind === 'setup')]),
    );
    const problems = [];
    const ours = setups['ours-1']?.ours ?? [];
    for (const kernel of ours) {
      if (!(kernel in KERNEL_TESTS)) {
        problems.push({
          kind: 'uncovered kernel',
          case: kernel,
          detail: 'add it and its tfjs test files to KERNEL_TESTS',
        });
      }
    }
    if (setups.stock?.ours.length)
      problems.push({ kind: 'setup', case: '', detail: `stock has ours: ${setups.stock.ours}` });
    for (const [config, threads] of [
      ['stock', 1],
      ['ours-1', 1],
      ['ours-2', 2],
    ]) {
      const s = setups[config];
      if (s && (s.wasmThreads !== threads || (config !== 'stock' && s.ownThreads !== threads))) {
        problems.push({
          kind: 'setup',
          case: '',
          detail: `${config} ran on ${s.wasmThreads} wasm / ${s.ownThreads} own threads`,
        });
      }
    }
    const totals = Object.fromEntries(
      Object.keys(files[0]?.counts ?? {}).map((k) => [k, files.reduce((sum, f) => sum + f.counts[k], 0)]),
    );
    return { files, problems, totals, ours, bundleMs, wallMs: Math.round(performance.now() - started), jobs };
  } finally {
    if (keep) log(`bundles and results kept in ${outdir}`);
    else rmSync(outdir, { recursive: true, force: true });
  }
}

export function countsLine(totals) {
  return (
    `tfjs conformance: ${totals.total} cases; pass on ours ${totals['ours-1']} (1 thread), ${totals['ours-2']} (2 threads), ` +
    `on stock ${totals.stock}; known failures on both ${totals.knownOnBoth}` +
    (totals.oursBetter ? `; ours passes where stock fails ${totals.oursBetter}` : '')
  );
}

function print(report) {
  for (const f of report.files) {
    const c = f.counts;
    const times = CONFIGURATIONS.map((k) => `${k} ${(f.wallMs[k] / 1000).toFixed(1)} s`).join(', ');
    console.log(
      `${f.problems.length ? 'FAIL' : 'ok  '} ${f.name.padEnd(16)} ${String(c.total).padStart(3)} cases: ` +
        `stock ${c.stock}, ours-1 ${c['ours-1']}, ours-2 ${c['ours-2']}, known ${c.knownOnBoth} (${times})`,
    );
    for (const p of f.problems) console.log(`       ${p.kind}: ${p.case}${p.case ? ' — ' : ''}${p.detail}`);
  }
  for (const p of report.problems) console.log(`FAIL ${p.kind}: ${p.case} ${p.detail}`);
  console.log(`our kernels on wasm: ${report.ours.join(', ')}`);
  const sum = (key) => report.files.reduce((n, f) => n + CONFIGURATIONS.reduce((m, c) => m + (f[key][c] ?? 0), 0), 0);
  console.log(
    `${report.files.length * CONFIGURATIONS.length} processes: ${(sum('wallMs') / 1000).toFixed(1)} s in all, ` +
      `of which start-up and set-up ${(sum('setupMs') / 1000).toFixed(1)} s, cases ${(sum('casesMs') / 1000).toFixed(1)} s`,
  );
  console.log(
    `${(report.wallMs / 1000).toFixed(1)} s (bundling ${(report.bundleMs / 1000).toFixed(1)} s, ${report.jobs} processes at a time)`,
  );
  console.log(countsLine(report.totals));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const arg = (flag) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const names = arg('--files')?.split(',');
  for (const n of names ?? []) if (!(n in TEST_FILES)) throw new Error(`no test file ${n}: ${Object.keys(TEST_FILES)}`);
  const report = await runConformance({
    names,
    jobs: arg('--jobs') ? Number(arg('--jobs')) : undefined,
    log: process.argv.includes('--verbose') ? (m) => console.log(m) : undefined,
    keep: process.argv.includes('--keep'),
  });
  if (arg('--json')) writeFileSync(arg('--json'), JSON.stringify(report, null, 2));
  print(report);
  const failed = report.problems.length + report.files.reduce((n, f) => n + f.problems.length, 0);
  process.exit(failed ? 1 : 0);
}
