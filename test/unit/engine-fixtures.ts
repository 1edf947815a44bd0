/**
 * A small synthetic FashionMNIST stand-in for engine unit tests: class k is a bright bar at a
 * class-specific position plus noise, so a LeNet5 learns it in an epoch or two. Deterministic.
 */
import type { FashionMnist, ImageSet } from '../../src/core/dataset';
import type { DatasetIdentity, TrainerEvent } from '../../src/shared/training';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticImageSet(count: number, seed: number): ImageSet {
  const random = rng(seed);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels[i] = label;
    const base = i * 784;
    for (let p = 0; p < 784; p++) images[base + p] = Math.floor(random() * 60);
    // Horizontal bar for classes 0–4, vertical for 5–9, at a class-specific offset.
    const offset = 4 + (label % 5) * 4;
    for (let a = 0; a < 28; a++) {
      for (let w = 0; w < 3; w++) {
        const p = label < 5 ? (offset + w) * 28 + a : a * 28 + offset + w;
        images[base + p] = 200 + Math.floor(random() * 55);
      }
    }
  }
  return { images, labels, count };
}

export const SYNTHETIC_IDENTITY: DatasetIdentity = {
  source: 'user',
  dir: '/synthetic',
  sha256: {
    'train-images-idx3-ubyte': '0'.repeat(64),
    'train-labels-idx1-ubyte': '1'.repeat(64),
    't10k-images-idx3-ubyte': '2'.repeat(64),
    't10k-labels-idx1-ubyte': '3'.repeat(64),
  },
  official: false,
};

export function syntheticDataset(trainCount = 1200, testCount = 300): FashionMnist {
  return {
    identity: SYNTHETIC_IDENTITY,
    train: syntheticImageSet(trainCount, 1),
    test: syntheticImageSet(testCount, 2),
  };
}

/**
 * A run's events as they come; with `stopAfterEpoch`, a stop request at the first batch after that
 * epoch (so the `last` checkpoint is that epoch's). Pass `emit` and `stopRequested` to `train`.
 */
export function collectEvents(stopAfterEpoch?: number) {
  const events: TrainerEvent[] = [];
  let epochsSeen = 0;
  return {
    events,
    emit: (e: TrainerEvent): void => {
      events.push(e);
      if (e.type === 'epoch') epochsSeen = e.epoch;
    },
    stopRequested: (): boolean => stopAfterEpoch !== undefined && epochsSeen >= stopAfterEpoch,
  };
}
