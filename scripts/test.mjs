// `npm test`: build the app (the UI tests load the built renderer and preload from out/), run every
// vitest project, then print one closing line summed over all of them:
//   N passed, N failed[, N skipped]
// Extra arguments go to vitest (e.g. `npm test -- --project unit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

await (await import('./test-prerequisites.mjs')).ensureTestPrerequisites(process.argv.slice(2));

const build = spawnSync(process.execPath, [bin('electron-vite', 'bin/electron-vite.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  console.error('electron-vite build failed: the UI tests need out/.');
  process.exit(1);
}

const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const report = join(artifacts, 'vitest-report.json');
rmSync(report, { force: true });

const vitest = spawnSync(
  process.execPath,
  [
    bin('vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // Name each skip: a count alone hides which check did not run (CI's allow-list is .ci/run's).
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (['skipped', 'pending', 'todo'].includes(t.status)) console.log(`skipped: ${t.fullName ?? t.title}`);
    }
  }
} else {
  failed = 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1; // a crash or a failed file with no test counted
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
