/**
 * TensorFlow.js's own test cases for every op we register a wasm kernel for, on stock wasm and on
 * the backend as the trainer sets it up (1 and 2 threads): scripts/conformance.mjs, run once here
 * (each tfjs test file in its own processes), asserted per file. Its per-case verdicts and counts
 * are printed; `node scripts/conformance.mjs` prints the same on its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { TEST_FILES } from '../../scripts/conformance.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Problem {
  kind: string;
  case: string;
  detail: string;
}
interface Report {
  files: { name: string; counts: Record<string, number>; problems: Problem[] }[];
  problems: Problem[];
  totals: Record<string, number>;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'lenet5-conformance-'));
let report: Report | undefined;

beforeAll(async () => {
  const json = path.join(scratch, 'report.json');
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/conformance.mjs'), '--json', json], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise((resolve) => child.on('close', resolve));
  console.log(output.trimEnd());
  report = JSON.parse(readFileSync(json, 'utf8')) as Report;
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A problem as one line, so a failure names the case and what went wrong. */
const lines = (problems: Problem[]) => problems.map((p) => `${p.kind}: ${p.case} ${p.detail}`.slice(0, 400));

describe("tfjs-core's test cases on wasm: no case passes on stock and fails with our kernels", () => {
  it.each(Object.keys(TEST_FILES as Record<string, string>))(
    '%s: every case that passes on stock passes with ours (1 and 2 threads); failures on both are the known ones',
    (name) => {
      const file = report!.files.find((f) => f.name === name)!;
      expect(file.counts.total).toBeGreaterThan(0);
      expect(lines(file.problems)).toEqual([]);
    },
  );

  it('every kernel of ours has tfjs cases for its op; the configurations ran the threads they name', () => {
    expect(lines(report!.problems)).toEqual([]);
    expect(report!.totals.total).toBeGreaterThan(400);
  });
});
