/**
 * `npm run train` where tensorflow and wasm both load: the choice is measured, printed and
 * recorded with the run, cached beside the database, and a second run of the same configuration
 * reuses it without measuring. CI's required tensorflow step runs this after
 * `node scripts/test-tfjs-node.mjs`; without tfjs-node it fails, it is never skipped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { CHOICE_FILE_NAME } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { runCli } from '../support/cli';

await selectBackend('tensorflow'); // fails the file, with tfjs-node's reason, where it does not load

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-tensorflow-'));
/** The quick preset's batches of 32 train on one thread (core/trainer/threads.ts). */
/** The quick preset's batches of 32 train with the fused step, split over every core (run-trainer.ts). */
const WASM = `wasm ×${availableParallelism()} thread${availableParallelism() === 1 ? '' : 's'}`;
const TRAIN = ['train', '--preset', 'quick', '--epochs', '1', '--train-subset', '1000', '--validation-fraction', '0'];

function train(db: string) {
  const r = runCli([...TRAIN, '--db', db]);
  // TensorFlow 2.x's C++ logging writes its own start-up notes to stderr before any setting can
  // quiet them (absl's "WARNING: All log messages before absl::InitializeLog()…" and INFO lines
  // such as oneDNN's "…floating-point round-off errors…"); everything else must be error-free.
  const ours = r.stderr
    .split('\n')
    .filter((line) => !/^WARNING: All log messages before absl::InitializeLog\(\)/.test(line))
    .filter((line) => !/^I\d{4} [\d:.]+\s+\d+ \S+:\d+\] /.test(line));
  expect(ours.join('\n')).not.toMatch(/error/i);
  expect(r.status).toBe(0);
  const store = openStore(db);
  try {
    const rows = store.listRuns({}).rows;
    return { stdout: r.stdout, run: store.getRun(rows[0]!.id) };
  } finally {
    store.close();
  }
}

describe('npm run train with tensorflow and wasm both loading', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures, records and prints the choice; the same configuration again reuses the cached answer', () => {
    const db = join(dir, 'measured.db');
    const first = train(db);
    const choice = first.run.backendChoice!;
    expect(choice).toMatch(
      new RegExp(`^(${WASM}|tensorflow), chosen by measurement \\w+ [\\d,]+ vs \\w+ [\\d,]+ img/s$`),
    );
    expect(choice.startsWith(first.run.backend!)).toBe(true);
    expect(first.stdout).toContain(`· Backend: ${choice}`);
    const cache = join(dir, CHOICE_FILE_NAME); // beside the database
    const entries = Object.values(JSON.parse(readFileSync(cache, 'utf8')).entries) as { backend: string }[];
    expect(entries.map((e) => e.backend)).toEqual([first.run.backend]);

    const second = train(db);
    expect(second.run.id).not.toBe(first.run.id);
    expect(second.run.backend).toBe(first.run.backend);
    expect(second.run.backendChoice).toBe(`${choice} (cached)`);
    expect(second.stdout).not.toContain('Measuring');
  });
});
