/**
 * Synthetic runs recorded through the real store API (createRun + recordEvent), shaped exactly like
 * the trainer's events: for UI display tests and the UI benchmark, where what matters is what the
 * window does with many runs, long series or a chosen confusion pattern, not the training itself.
 * Predictions use the real FashionMNIST test labels when the dataset is installed, so the gallery
 * shows real images under the right classes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PRESETS, type Hyperparams, type PresetName } from '../shared/hyperparams';
import type { DatasetIdentity, TrainerEvent } from '../shared/training';
import { OFFICIAL_SHA256, SYSTEM_DATASET_DIR } from '../main/engine/dataset/official';
import type { Store } from '../main/store';

const TEST_SIZE = 10_000;

export interface TestLabels {
  labels: Uint8Array;
  identity: DatasetIdentity;
}

let cached: TestLabels | null = null;

/** The installed FashionMNIST test labels with the official identity, else deterministic stand-ins. */
export function testLabels(dir = SYSTEM_DATASET_DIR): TestLabels {
  if (cached) return cached;
  const file = join(dir, 't10k-labels-idx1-ubyte.gz');
  if (existsSync(file)) {
    const idx = gunzipSync(readFileSync(file));
    cached = {
      labels: new Uint8Array(idx.subarray(8)),
      identity: { source: 'system', dir, sha256: { ...OFFICIAL_SHA256 }, official: true },
    };
    return cached;
  }
  const labels = new Uint8Array(TEST_SIZE);
  for (let i = 0; i < TEST_SIZE; i++) labels[i] = (i * 7 + 3) % 10;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(2049, 0);
  header.writeUInt32BE(TEST_SIZE, 4);
  const sha = createHash('sha256')
    .update(Buffer.concat([header, labels]))
    .digest('hex');
  cached = {
    labels,
    identity: { source: 'user', dir, sha256: { ...OFFICIAL_SHA256, 't10k-labels-idx1-ubyte': sha }, official: false },
  };
  return cached;
}

/** A tiny seeded generator, so a seeded database is the same every time. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface SeedRunOptions {
  name?: string;
  preset?: PresetName;
  config?: Partial<Hyperparams>;
  tags?: string[];
  notes?: string;
  /** Epochs to record (default: the config's epochs). */
  epochs?: number;
  /** Accuracy the curve approaches. */
  plateau?: number;
  /** Batch events per epoch to record (0: none). */
  batchesPerEpoch?: number;
  /** Record best/final evaluations with per-image predictions (default true). */
  evaluations?: boolean;
  /** How the run ends (default completed; 'running' records no final event). */
  end?: 'completed' | 'stopped' | 'diverged' | 'failed' | 'running';
  seed?: number;
  backend?: 'wasm' | 'tensorflow' | 'cpu';
}

/** FashionMNIST's usual confusions: a mistake on class c most often goes to CONFUSED[c]. */
const CONFUSED = [6, 3, 4, 0, 2, 7, 0, 9, 6, 7];

/**
 * An evaluation event whose predictions miss about (1 − accuracy) of the images, mostly into each
 * class's usual confusion, with confidences spread so sorting by confidence is meaningful.
 */
export function evaluationEvent(
  role: 'best' | 'final',
  epoch: number,
  accuracy: number,
  seed: number,
): Extract<TrainerEvent, { type: 'evaluation' }> {
  const { labels } = testLabels();
  const rand = rng(seed);
  const n = labels.length;
  const predicted = new Uint8Array(n);
  const probabilities = new Float32Array(n * 10);
  const confusion = new Array<number>(100).fill(0);
  for (let i = 0; i < n; i++) {
    const t = labels[i];
    // Harder classes (shirt, pullover, coat) miss more often.
    const miss = (1 - accuracy) * (t === 6 ? 3 : t === 2 || t === 4 ? 1.8 : t === 1 || t === 8 ? 0.3 : 0.8);
    const p = rand() < miss ? (rand() < 0.7 ? CONFUSED[t] : Math.floor(rand() * 10)) : t;
    predicted[i] = p;
    const top = 0.35 + 0.64 * rand();
    for (let c = 0; c < 10; c++) probabilities[i * 10 + c] = c === p ? top : (1 - top) / 9;
    confusion[t * 10 + p]++;
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (let c = 0; c < 10; c++) {
    let col = 0;
    let row = 0;
    for (let k = 0; k < 10; k++) {
      col += confusion[k * 10 + c];
      row += confusion[c * 10 + k];
    }
    const tp = confusion[c * 10 + c];
    const pr = col ? tp / col : 0;
    const rc = row ? tp / row : 0;
    precision.push(pr);
    recall.push(rc);
    f1.push(pr + rc ? (2 * pr * rc) / (pr + rc) : 0);
  }
  return { type: 'evaluation', epoch, role, confusion, precision, recall, f1, predicted, probabilities };
}

/** Record one synthetic run; returns its id. */
export function seedRun(store: Store, options: SeedRunOptions = {}): number {
  const preset = options.preset ?? 'quick';
  const config: Hyperparams = { ...structuredClone(PRESETS[preset]), ...options.config };
  const epochs = options.epochs ?? config.epochs;
  if (epochs > config.epochs) config.epochs = epochs;
  const seed = options.seed ?? 1;
  const rand = rng(seed * 7919);
  const id = store.createRun(config, {
    name: options.name,
    preset: options.preset,
    tags: options.tags,
    notes: options.notes,
  });
  const { labels, identity } = testLabels();
  const bpe = Math.max(1, options.batchesPerEpoch ?? 0);
  store.recordEvent(id, {
    type: 'started',
    backend: options.backend ?? 'wasm',
    tfjsVersion: '4.22.0',
    dataset: identity,
    trainSize: 54_000,
    validationSize: 6_000,
    testSize: TEST_SIZE,
    epochs: config.epochs,
    batchesPerEpoch: options.batchesPerEpoch ? bpe : Math.ceil(54_000 / config.batchSize),
    parameterCount: 61_706,
    testLabels: labels,
  });
  const plateau = options.plateau ?? 0.88;
  let best = -1;
  let bestEpoch = 0;
  let bestAccuracy = 0;
  for (let e = 1; e <= epochs; e++) {
    const progress = 1 - Math.exp(-e / Math.max(2, epochs / 4));
    const noise = (rand() - 0.5) * 0.01;
    const testAccuracy = Math.min(0.99, 0.55 + (plateau - 0.55) * progress + noise);
    const validationAccuracy = Math.min(0.99, testAccuracy + 0.004 + (rand() - 0.5) * 0.006);
    if (options.batchesPerEpoch) {
      for (let b = 1; b <= bpe; b++) {
        const t = e - 1 + b / bpe;
        const loss = 0.3 + 1.9 * Math.exp(-t * 1.5) + (rand() - 0.5) * 0.25;
        store.recordEvent(id, {
          type: 'batch',
          epoch: e,
          batch: b,
          batchesPerEpoch: bpe,
          loss,
          accuracy: 1 - loss / 2.5,
          imagesPerSec: 3000,
        });
      }
    }
    store.recordEvent(id, {
      type: 'epoch',
      epoch: e,
      trainLoss: 0.25 + 1.6 * Math.exp(-e / 2) + (rand() - 0.5) * 0.02,
      trainAccuracy: Math.min(0.995, testAccuracy + 0.02),
      validationLoss: 0.3 + 1.5 * Math.exp(-e / 2.2) + (rand() - 0.5) * 0.02,
      validationAccuracy,
      testLoss: 0.32 + 1.5 * Math.exp(-e / 2.2) + (rand() - 0.5) * 0.02,
      testAccuracy,
      learningRate:
        config.learningRate *
        (config.lrSchedule === 'cosine' ? 0.5 * (1 + Math.cos((Math.PI * (e - 1)) / config.epochs)) : 1),
      seconds: 20 + rand() * 4,
      imagesPerSec: 2800 + rand() * 400,
    });
    if (validationAccuracy > best) {
      best = validationAccuracy;
      bestEpoch = e;
      bestAccuracy = testAccuracy;
    }
    // One evaluation per role, at the end (the engine records 'best' whenever it improves; the
    // stored result is the same and seeding stays fast).
    if (options.evaluations !== false && e === epochs) {
      store.recordEvent(id, evaluationEvent('best', bestEpoch, bestAccuracy, seed * 31 + bestEpoch));
      store.recordEvent(id, evaluationEvent('final', e, testAccuracy, seed * 31 + e));
    }
  }
  switch (options.end ?? 'completed') {
    case 'completed':
      store.recordEvent(id, { type: 'completed', epochs, reason: 'epochs' });
      break;
    case 'stopped':
      store.recordEvent(id, { type: 'stopped', epochs });
      break;
    case 'diverged':
      store.recordEvent(id, { type: 'diverged', epoch: epochs + 1, batch: 17, loss: Number.NaN });
      break;
    case 'failed':
      store.recordEvent(id, { type: 'failed', error: 'out of memory while allocating a 4096×120 tensor' });
      break;
    case 'running':
      break;
  }
  return id;
}
