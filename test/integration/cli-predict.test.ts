/**
 * `npm run predict`: a real quick run trained with `npm run train`, then predictions for PNGs
 * written from its test images (they must match what the run stored for them), a text file and a
 * missing file reported by name with a non-zero exit, `--json`'s shape, and a run with no checkpoint.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { runCli, trainSmallRun } from '../support/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../../src/core/dataset';
import { openStore } from '../../src/core/store';
import { PRESETS } from '../../src/shared/hyperparams';
import { CLASS_NAMES } from '../../src/shared/training';

let dir: string;
let db: string;
let runId = 0;
const files: { path: string; predicted: number; probabilities: number[] }[] = [];

function cli(...args: string[]) {
  return runCli(args);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lenet-predict-'));
  db = join(dir, 'studio.db');
  trainSmallRun(db);
  const store = openStore(db);
  runId = store.listRuns().rows[0].id;
  const { rows } = store.predictions({ runId, role: 'best', limit: 3, offset: 0 });
  store.close();
  const { test } = await loadFashionMnist({});
  for (const row of rows) {
    const png = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 784; i++) {
      const v = test.images[row.index * 784 + i];
      png.data.set([v, v, v, 255], i * 4);
    }
    const path = join(dir, `test-${row.index}.png`);
    writeFileSync(path, PNG.sync.write(png));
    files.push({ path, predicted: row.predictedClass, probabilities: row.probabilities });
  }
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run predict', () => {
  it('prints one line per file: the top class and the next two; a bad file is named and the exit is 1', () => {
    const r = cli(
      'predict',
      '--db',
      db,
      '--run',
      String(runId),
      ...files.map((f) => f.path),
      join(dir, 'notes.txt'),
      join(dir, 'missing.png'),
    );
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    files.forEach((f, k) => {
      expect(lines[k].startsWith(`${f.path}: ${CLASS_NAMES[f.predicted]} `)).toBe(true);
      expect(lines[k]).toMatch(/\(then [^,]+ \d+\.\d%, [^,]+ \d+\.\d%\)$/);
    });
    expect(r.stderr).toContain(`${join(dir, 'notes.txt')}: notes.txt is not a PNG or JPEG image.`);
    expect(r.stderr).toContain(`${join(dir, 'missing.png')}: ${join(dir, 'missing.png')} does not exist.`);
  });

  it('--json: file, predicted (the class name), probability and the 10 probabilities, matching the stored prediction', () => {
    const r = cli(
      'predict',
      '--db',
      db,
      '--run',
      String(runId),
      '--checkpoint',
      'best',
      '--json',
      ...files.map((f) => f.path),
    );
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as {
      file: string;
      predicted: string;
      probability: number;
      probabilities: number[];
    }[];
    expect(rows.map((x) => x.file)).toEqual(files.map((f) => f.path));
    rows.forEach((row, k) => {
      expect(row.predicted).toBe(CLASS_NAMES[files[k].predicted]);
      expect(row.probabilities).toHaveLength(10);
      expect(row.probability).toBe(row.probabilities[files[k].predicted]);
      row.probabilities.forEach((p, c) =>
        // Stored as round(p × 65535); the two float32 forward passes agree far closer than 1e-4.
        expect(Math.abs(p - files[k].probabilities[c])).toBeLessThanOrEqual(1e-4),
      );
    });
  });

  it('a run without a checkpoint and a bad --run say so', () => {
    const store = openStore(db);
    const id = store.createRun(PRESETS.quick);
    store.recordEvent(id, { type: 'stopped', epochs: 0 });
    store.close();
    const r = cli('predict', '--db', db, '--run', String(id), files[0].path);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Run #${id} has no best checkpoint: it ended before finishing its first epoch.`);
    const usage = cli('predict', '--db', db, '--run', 'x', files[0].path);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--run needs a run id');
  });
});
