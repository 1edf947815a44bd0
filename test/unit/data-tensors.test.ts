/**
 * The dataset's images on the backend (engine/data-tensors.ts): on wasm they are written straight
 * into the tensor's heap memory (backend/filled-tensor.ts), on cpu through a JS array; both give
 * the same float32 values, x/255 exactly, and leave no tensor behind but the one returned.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { imagesToTensor } from '../../src/core/engine/data-tensors';

const COUNT = 5;
const bytes = Uint8Array.from({ length: COUNT * 784 }, (_, i) => (i * 37 + (i >> 5)) % 256);
const set = { images: bytes, labels: new Uint8Array(COUNT), count: COUNT };
const expected = Float32Array.from(bytes, (b) => b / 255);

describe('imagesToTensor', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`on ${backend}: [count, 28, 28, 1] float32 of every byte / 255, and one tensor made`, async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const images = imagesToTensor(set);
      try {
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(images.shape).toEqual([COUNT, 28, 28, 1]);
        expect(images.dtype).toBe('float32');
        expect(images.dataSync()).toEqual(expected);
        // A second tensor made after it (on wasm, in the same heap) leaves its values alone.
        const other = imagesToTensor({ ...set, images: new Uint8Array(bytes.length).fill(255) });
        expect(other.dataSync().every((v) => v === 1)).toBe(true);
        expect(images.dataSync()).toEqual(expected);
        other.dispose();
      } finally {
        images.dispose();
      }
    });
  }
});
