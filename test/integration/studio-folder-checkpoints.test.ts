/**
 * Checkpoints as a user meets them with `npm run predict` and `npm run train -- --resume`, on a real
 * quick run: a studio folder moved elsewhere keeps its checkpoints (stored relative to it), an
 * older database's absolute paths are rewritten by the migration, a checkpoint that is really gone
 * says where it was looked for, and weights that are not finite numbers are refused by name. Each
 * refusal leaves the run as it was.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { runCli, trainSmallRun } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'lenet-studio-folder-'));
/** The trained studio folder every case copies (never changed itself). */
const trained = join(root, 'trained');
const image = join(root, 'shirt.png');

/** A copy of the trained studio folder at a new place, as a user's move or restore makes. */
function copyOfStudio(name: string): { dir: string; db: string } {
  const dir = join(root, name);
  cpSync(trained, dir, { recursive: true });
  return { dir, db: join(dir, 'studio.db') };
}

function storedCheckpointPaths(db: string): string[] {
  const raw = new Database(db, { readonly: true });
  const paths = raw.prepare('SELECT path FROM checkpoints ORDER BY role').pluck().all() as string[];
  raw.close();
  return paths;
}

/** Run 1 as stored: status, epochs and evaluations (a refusal must not change any of it). */
function runState(db: string) {
  const store = openStore(db, { readonly: true });
  try {
    expect(store.integrityCheck()).toBe('ok');
    const run = store.getRun(1);
    return { status: run.status, epochs: run.epochMetrics.length, evaluations: run.evaluations.length };
  } finally {
    store.close();
  }
}

beforeAll(() => {
  trainSmallRun(join(trained, 'studio.db'));
  const png = new PNG({ width: 28, height: 28 });
  png.data.fill(128);
  writeFileSync(image, PNG.sync.write(png));
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a studio folder moved to another place', () => {
  it('stores checkpoint locations relative to the folder and still predicts after the move', () => {
    expect(storedCheckpointPaths(join(trained, 'studio.db'))).toEqual([
      'checkpoints/run-1/best',
      'checkpoints/run-1/last',
    ]);
    const { dir } = copyOfStudio('before-move');
    const moved = join(root, 'moved', 'elsewhere');
    cpSync(dir, moved, { recursive: true });
    rmSync(dir, { recursive: true });
    const r = runCli(['predict', '--db', join(moved, 'studio.db'), '--run', '1', image]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/shirt\.png: .+ \d+\.\d%/);
  });

  it("rewrites an older database's absolute paths to the moved folder", () => {
    const { db } = copyOfStudio('older');
    const raw = new Database(db);
    // As schema 4 stored them: absolute, in the folder the studio used to be in.
    raw.exec(`UPDATE checkpoints SET path = '/home/someone/.config/LeNet5 Studio/' || path;
      DELETE FROM schema_migrations WHERE version = 5; PRAGMA user_version = 4;`);
    raw.close();
    const r = runCli(['predict', '--db', db, '--run', '1', image]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(storedCheckpointPaths(db)).toEqual(['checkpoints/run-1/best', 'checkpoints/run-1/last']);
  });
});

describe('a checkpoint that is really gone', () => {
  it('says where it was looked for, to predict and to resume, and records nothing', () => {
    const { dir, db } = copyOfStudio('gone');
    const before = runState(db);
    rmSync(join(dir, 'checkpoints', 'run-1'), { recursive: true });
    const predict = runCli(['predict', '--db', db, '--run', '1', image]);
    expect(predict.status).toBe(1);
    expect(predict.stderr).toContain(`it was looked for at ${join(dir, 'checkpoints', 'run-1', 'best')}`);
    const resume = runCli(['train', '--resume', '1', '--epochs', '2', '--db', db]);
    expect(resume.status).not.toBe(0);
    expect(resume.stderr).toContain(
      `its last checkpoint is missing from disk: it was looked for at ${join(dir, 'checkpoints', 'run-1', 'last')}`,
    );
    expect(resume.stderr).not.toContain('written before runs could be resumed');
    expect(runState(db)).toEqual(before);
  });
});

describe('a checkpoint whose weights are not numbers', () => {
  it('is refused by name (NaN or random bytes), never answered with "NaN%"', () => {
    const { dir, db } = copyOfStudio('nan');
    const before = runState(db);
    const best = join(dir, 'checkpoints', 'run-1', 'best', 'weights.bin');
    const weights = readFileSync(best);
    weights.writeFloatLE(Number.NaN, 4 * 7);
    writeFileSync(best, weights);
    const nan = runCli(['predict', '--db', db, '--run', '1', image]);
    expect(nan.status).toBe(1);
    expect(nan.stdout).not.toContain('NaN%');
    expect(nan.stderr).toMatch(/is damaged: its weight \S+ holds NaN \(value 8 of \d+\), not a finite number/);

    writeFileSync(best, randomBytes(weights.length));
    const random = runCli(['predict', '--db', db, '--run', '1', image]);
    expect(random.status).toBe(1);
    expect(random.stderr).toMatch(/is damaged: its weight \S+ holds (NaN|-?Infinity)/);

    const last = join(dir, 'checkpoints', 'run-1', 'last', 'weights.bin');
    const lastWeights = readFileSync(last);
    lastWeights.writeFloatLE(Number.POSITIVE_INFINITY, 0);
    writeFileSync(last, lastWeights);
    const resume = runCli(['train', '--resume', '1', '--epochs', '2', '--db', db]);
    expect(resume.status).not.toBe(0);
    expect(resume.stderr).toMatch(
      /Run #1 cannot be extended: its last checkpoint .* is damaged: its weight \S+ holds Infinity/,
    );
    expect(runState(db)).toEqual(before);
  });
});

describe('a resume whose --data folder lacks files', () => {
  it('is refused before anything is recorded, as a new run is', () => {
    const { db } = copyOfStudio('no-data');
    const before = runState(db);
    const empty = join(root, 'empty-data');
    cpSync(join(root, 'shirt.png'), join(empty, 'not-a-dataset.png'));
    const resume = runCli(['train', '--resume', '1', '--epochs', '2', '--data', empty, '--db', db]);
    expect(resume.status).not.toBe(0);
    expect(resume.stderr).toContain(empty);
    expect(resume.stderr).toMatch(/train-images-idx3-ubyte/);
    expect(runState(db)).toEqual(before);
  });
});
