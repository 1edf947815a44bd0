/**
 * The headless CLI as `npm run train|sweep|export|predict` runs it: the launcher scripts/cli.mjs,
 * which runs the built bundle out/cli/ (rebuilt when a source is newer). LENET_STUDIO_DB is
 * cleared so only the test's `--db` (or its HOME) decides the database.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export function runCli(args: string[], options: { timeout?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts/cli.mjs'), ...args], {
    // A user's own folder for relative paths; the launcher finds the bundle from its own path.
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, LENET_STUDIO_DB: '', ...options.env },
    timeout: options.timeout ?? 240_000,
  });
}

/**
 * A real one-epoch quick run in `db` (600 training images, wasm: seconds), for tests that need its
 * checkpoints; fails the test with the CLI's stderr when training fails.
 */
export function trainSmallRun(db: string): void {
  const r = runCli([
    'train',
    '--db',
    db,
    '--preset',
    'quick',
    '--train-subset',
    '600',
    '--epochs',
    '1',
    '--backend',
    'wasm',
  ]);
  if (r.status !== 0) throw new Error(`npm run train failed (${r.status}): ${r.stderr}`);
}

/** `npm run bench -- …` as the repository's tool runs it: tools/bench/main.ts under tsx. */
export function runBench(args: string[], options: { timeout?: number; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/bench/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LENET_STUDIO_DB: '', ...options.env },
    timeout: options.timeout ?? 240_000,
  });
}
