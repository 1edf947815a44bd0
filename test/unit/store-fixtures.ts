/**
 * Shared helpers for the run-store tests: temp folders, synthetic test labels with the SHA-256
 * their IDX file would have, and trainer events shaped like the real engine's.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PRESETS } from '../../src/shared/hyperparams';
import type { Hyperparams } from '../../src/shared/hyperparams';
import type { DatasetIdentity, TrainerEvent } from '../../src/shared/training';

export const TEST_SIZE = 10_000;

export function tempDir(prefix = 'store-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function config(overrides: Partial<Hyperparams> = {}): Hyperparams {
  return { ...structuredClone(PRESETS.quick), ...overrides };
}

/** Deterministic labels 0–9 and the SHA-256 of the IDX labels file holding them. */
export { standInLabels as makeLabels } from '../../tools/fixtures/test-labels';

export function datasetIdentity(
  labelsSha: string,
  dir = '/nonexistent/fashion-mnist',
  official = true,
): DatasetIdentity {
  return {
    source: 'user',
    dir,
    sha256: {
      'train-images-idx3-ubyte': '1'.repeat(64),
      'train-labels-idx1-ubyte': '2'.repeat(64),
      't10k-images-idx3-ubyte': '3'.repeat(64),
      't10k-labels-idx1-ubyte': labelsSha,
    },
    official,
  };
}

/** A dataset folder holding only a gzip t10k labels file (what the store reads labels from). */
export function datasetFolderWithLabels(idx: Buffer): string {
  const dir = join(tempDir('store-dataset-'), 'fashion');
  mkdirSync(dir);
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx));
  return dir;
}

export function startedEvent(
  labelsSha: string,
  opts: { dir?: string; epochs?: number; batchesPerEpoch?: number; official?: boolean } = {},
): TrainerEvent {
  return {
    type: 'started',
    backend: 'wasm',
    tfjsVersion: '4.22.0',
    dataset: datasetIdentity(labelsSha, opts.dir, opts.official ?? true),
    trainSize: 5400,
    validationSize: 600,
    testSize: TEST_SIZE,
    epochs: opts.epochs ?? 2,
    batchesPerEpoch: opts.batchesPerEpoch ?? 169,
    parameterCount: 61706,
  };
}

export function epochEvent(
  epoch: number,
  testAccuracy: number,
  validationAccuracy: number | null = testAccuracy,
): TrainerEvent {
  return {
    type: 'epoch',
    epoch,
    trainLoss: 1 / epoch,
    trainAccuracy: testAccuracy + 0.01,
    validationLoss: validationAccuracy === null ? null : 1.1 / epoch,
    validationAccuracy,
    testLoss: 1.2 / epoch,
    testAccuracy,
    learningRate: 0.005,
    seconds: 3.5,
    imagesPerSec: 1700,
  };
}

/**
 * An evaluation where test image i is predicted `labels[i]` unless `wrong(i)`, then (label+1)%10,
 * with confidence rising with i so confidence ordering is predictable.
 */
export function evaluationEvent(
  role: 'best' | 'final',
  epoch: number,
  labels: Uint8Array,
  wrong: (i: number) => boolean,
): Extract<TrainerEvent, { type: 'evaluation' }> {
  const n = labels.length;
  const predicted = new Uint8Array(n);
  const probabilities = new Float32Array(n * 10);
  const confusion = new Array<number>(100).fill(0);
  for (let i = 0; i < n; i++) {
    const p = wrong(i) ? (labels[i] + 1) % 10 : labels[i];
    predicted[i] = p;
    const top = 0.3 + 0.6 * (i / n);
    for (let c = 0; c < 10; c++) probabilities[i * 10 + c] = c === p ? top : (1 - top) / 9;
    confusion[labels[i] * 10 + p]++;
  }
  const perClass = Array.from({ length: 10 }, (_, c) => 0.8 + c / 100);
  return {
    type: 'evaluation',
    epoch,
    role,
    confusion,
    precision: perClass,
    recall: perClass,
    f1: perClass,
    predicted,
    probabilities,
  };
}
