/**
 * Random images in FashionMNIST's shapes, for speed measurements (the backend choice, the engine
 * bench without the real files): throughput does not depend on pixel values. Seeded, so two
 * measurements train on the same bytes.
 */
import { mulberry32 } from '../../shared/random';
import type { FashionMnist, ImageSet } from './types';

export function randomImageSet(count: number, seed: number): ImageSet {
  const random = mulberry32(seed);
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(random() * 256);
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** A dataset of random images, marked as not the official FashionMNIST; `dir` says what it is for. */
export function randomDataset(trainCount: number, testCount: number, dir: string): FashionMnist {
  return {
    identity: {
      source: 'user',
      dir,
      sha256: {
        'train-images-idx3-ubyte': '',
        'train-labels-idx1-ubyte': '',
        't10k-images-idx3-ubyte': '',
        't10k-labels-idx1-ubyte': '',
      },
      official: false,
    },
    train: randomImageSet(trainCount, 12345),
    test: randomImageSet(testCount, 54321),
  };
}
