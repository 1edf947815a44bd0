/**
 * `npm run train` records how its backend was chosen: the only one that loads, or forced with
 * `--backend`; a corrupt cache file is a warning, never a failed run. The measured choice between
 * tensorflow and wasm and its reuse from the cache need tfjs-node: they are
 * test/tensorflow/cli-backend-choice.test.ts, CI's required tensorflow step. Here (npm test, where
 * CI has removed tfjs-node) the branch taken is said in the test's name and asserted in full.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { CHOICE_FILE_NAME } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-backend-'));
const both = await selectBackend('tensorflow').then(
  () => true,
  () => false,
);
// Small and quick: the point is the recorded choice, not the accuracy.
/** How the choice names wasm on every core (`wasm ×2 threads`), the default from batch 128 on. */
const cores = availableParallelism();
const WASM_EVERY_CORE = `wasm ×${cores} thread${cores === 1 ? '' : 's'}`;
/**
 * The quick preset's batches of 32 train with the fused step, which splits each batch over every
 * core (trainer/run-trainer.ts); a run on tfjs's step at batch 32 gets one (core/trainer/threads.ts).
 */
const WASM = WASM_EVERY_CORE;
const WASM_ONE = 'wasm ×1 thread';
const TRAIN = ['train', '--preset', 'quick', '--epochs', '1', '--train-subset', '1000', '--validation-fraction', '0'];

function train(db: string, ...extra: string[]) {
  const r = runCli([...TRAIN, '--db', db, ...extra]);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const store = openStore(db);
  try {
    const [run] = store.listRuns({}).rows.slice(0, 1);
    return { stdout: r.stdout, run: store.getRun(run!.id) };
  } finally {
    store.close();
  }
}

describe(`npm run train: the recorded backend choice (${both ? 'tensorflow and wasm load' : 'only wasm loads'})`, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`records and prints how the backend was chosen (${both ? 'measured' : 'the only one that loads'})`, () => {
    const db = join(dir, 'chosen.db');
    const first = train(db);
    const choice = first.run.backendChoice!;
    expect(first.stdout).toContain(`· Backend: ${choice}`);
    const cache = join(dir, CHOICE_FILE_NAME); // beside the database
    if (both) {
      // tfjs-node is set up in this checkout: the tensorflow project checks the measurement.
      expect(choice).toMatch(/, chosen by measurement /);
    } else {
      expect(first.run.backend).toBe('wasm');
      expect(choice).toMatch(new RegExp(`^${WASM}, the only backend that loads \\(tensorflow: .+\\)$`));
      // A lone backend is not cached, so a backend installed later gets measured.
      expect(existsSync(cache)).toBe(false);
    }
  });

  it('--backend forces it, unmeasured, and says so; batches of 256 get every core', () => {
    const { run, stdout } = train(join(dir, 'forced.db'), '--backend', 'wasm', '--batch-size', '256');
    expect(run.backend).toBe('wasm');
    expect(run.backendChoice).toBe(`${WASM_EVERY_CORE}, forced`);
    expect(stdout).not.toContain('Measuring');
  });

  it("a batch-32 run on tfjs's step (SGD: the fused step has Adam) gets one thread", () => {
    const { run } = train(join(dir, 'sgd.db'), '--backend', 'wasm', '--optimizer', 'sgd');
    expect(run.backendChoice).toBe(`${WASM_ONE}, forced`);
  });

  it('a corrupt cache beside the database is a warning naming it; the run completes', () => {
    const own = mkdtempSync(join(dir, 'corrupt-'));
    const cache = join(own, CHOICE_FILE_NAME);
    writeFileSync(cache, '{"version": 1, "entr');
    const { run, stdout } = train(join(own, 'studio.db'));
    expect(run.status).toBe('completed');
    expect(stdout).toContain(`the backend-choice cache ${cache} is unreadable`);
    if (both) expect(JSON.parse(readFileSync(cache, 'utf8')).version).toBe(1); // rewritten whole
  });
});
