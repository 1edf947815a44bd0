/**
 * The training recipe's pieces, each against values written down independently: shifts move
 * pixels by exactly (dx, dy) with zero fill, a flip mirrors and is its own inverse, the draws
 * cover −N…N and repeat for (seed, epoch, batch), and the label-smoothed loss equals the
 * hand-computed −Σ t·log softmax(z) on the cpu backend and on wasm (tolerance 1e-5, float32).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  augmentImages,
  augmentationOf,
  batchAugmentationStream,
  drawAugmentations,
} from '../../src/core/engine/augment';
import { selectBackend } from '../../src/core/engine/backend';
import { smoothedCrossEntropy } from '../../src/core/engine/loss';
import { PRESETS, parseHyperparams } from '../../src/shared/hyperparams';

/** A side×side image whose pixel (y, x) holds 1 + y·side + x (no zero, so fill is visible). */
function numbered(side: number): Float32Array {
  return Float32Array.from({ length: side * side }, (_, i) => 1 + i);
}

describe('augmentImages', () => {
  const side = 4;
  const image = numbered(side);
  const at = (pixels: Float32Array, y: number, x: number) => pixels[y * side + x];

  it('moves every pixel by (dx, dy) and fills what came from outside with zeros', () => {
    for (const [dx, dy] of [
      [1, 0],
      [0, 2],
      [-1, 1],
      [2, -2],
    ]) {
      const out = augmentImages(image, side, [{ dx, dy, flip: false }]);
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) {
          const inside = y - dy >= 0 && y - dy < side && x - dx >= 0 && x - dx < side;
          expect(at(out, y, x)).toBe(inside ? 1 + (y - dy) * side + (x - dx) : 0);
        }
    }
  });

  it('shifts a 2-pixel right move of a known 4×4 image as written out by hand', () => {
    const out = augmentImages(image, side, [{ dx: 2, dy: 0, flip: false }]);
    expect(Array.from(out)).toEqual([0, 0, 1, 2, 0, 0, 5, 6, 0, 0, 9, 10, 0, 0, 13, 14]);
  });

  it('mirrors left–right, and mirroring twice gives the image back', () => {
    const once = augmentImages(image, side, [{ dx: 0, dy: 0, flip: true }]);
    expect(Array.from(once.subarray(0, side))).toEqual([4, 3, 2, 1]);
    expect(Array.from(augmentImages(once, side, [{ dx: 0, dy: 0, flip: true }]))).toEqual(Array.from(image));
  });

  it('flips then shifts when a draw asks for both (the same as doing one after the other)', () => {
    for (const [dx, dy] of [
      [2, 1],
      [-1, -2],
    ]) {
      const both = augmentImages(image, side, [{ dx, dy, flip: true }]);
      const mirrored = augmentImages(image, side, [{ dx: 0, dy: 0, flip: true }]);
      expect(Array.from(both)).toEqual(Array.from(augmentImages(mirrored, side, [{ dx, dy, flip: false }])));
    }
  });

  it('augments each image of a batch by its own draw', () => {
    const two = new Float32Array([...image, ...image]);
    const out = augmentImages(two, side, [
      { dx: 0, dy: 0, flip: false },
      { dx: 0, dy: 0, flip: true },
    ]);
    expect(Array.from(out.subarray(0, 16))).toEqual(Array.from(image));
    expect(at(out.subarray(16), 0, 0)).toBe(4);
  });

  it('refuses a batch whose size does not match the draws, saying so', () => {
    expect(() => augmentImages(image, side, [])).toThrow(/16 values are not 0 images of 4×4/);
  });
});

describe('drawAugmentations', () => {
  it('draws every shift in −N…N on both axes and flips about half, only when flips are on', () => {
    const draws = drawAugmentations(batchAugmentationStream(42, 1, 1), 4000, 2, true);
    expect(new Set(draws.map((d) => d.dx))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(new Set(draws.map((d) => d.dy))).toEqual(new Set([-2, -1, 0, 1, 2]));
    const flipped = draws.filter((d) => d.flip).length / draws.length;
    expect(flipped).toBeGreaterThan(0.45);
    expect(flipped).toBeLessThan(0.55);
    expect(drawAugmentations(batchAugmentationStream(42, 1, 1), 100, 2, false).some((d) => d.flip)).toBe(false);
  });

  it('repeats for the same seed, epoch and batch, and differs when any of them changes', () => {
    const draw = (seed: number, epoch: number, batch: number) =>
      drawAugmentations(batchAugmentationStream(seed, epoch, batch), 32, 2, true);
    expect(draw(42, 3, 7)).toEqual(draw(42, 3, 7));
    expect(draw(42, 3, 7)).not.toEqual(draw(43, 3, 7));
    expect(draw(42, 3, 7)).not.toEqual(draw(42, 4, 7));
    expect(draw(42, 3, 7)).not.toEqual(draw(42, 3, 8));
  });

  it('is off for the seed preset and for a config stored before the recipe fields existed; modern mirrors', () => {
    expect(augmentationOf(PRESETS.seed)).toBeNull();
    expect(augmentationOf(PRESETS.modern)).toEqual({ maxShift: 0, flip: true });
    const { labelSmoothing, augmentShift, augmentFlip, ...older } = PRESETS.quick;
    expect([labelSmoothing, augmentShift, augmentFlip]).toEqual([0, 0, 'none']);
    const parsed = parseHyperparams(older);
    expect(parsed.ok && parsed.data).toEqual(PRESETS.quick);
    expect(augmentationOf({ ...PRESETS.seed, augmentShift: 1 })).toEqual({ maxShift: 1, flip: false });
  });

  it('names the recipe fields in their errors', () => {
    const bad = parseHyperparams({ ...PRESETS.seed, augmentShift: 5, augmentFlip: 'vertical', labelSmoothing: 0.6 });
    expect(bad.ok).toBe(false);
    const errors = bad.ok ? [] : bad.errors.join('\n');
    expect(errors).toMatch(/augmentShift: must be an integer from 0 to 4/);
    expect(errors).toMatch(/augmentFlip: /);
    expect(errors).toMatch(/labelSmoothing: must be from 0 to 0.5/);
  });
});

describe('smoothedCrossEntropy', () => {
  const logits = [
    [2, -1, 0.5],
    [0, 0, 3],
  ];
  const labels = [0, 1];
  /** −Σₖ tₖ·log softmax(z)ₖ with t = (1−ε)·y + ε/K, averaged over the rows, in float64. */
  function byHand(epsilon: number): { objective: number; crossEntropy: number } {
    let objective = 0;
    let crossEntropy = 0;
    logits.forEach((z, row) => {
      const logSum = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
      z.forEach((v, k) => {
        const logP = v - logSum;
        const y = k === labels[row] ? 1 : 0;
        objective -= ((1 - epsilon) * y + epsilon / z.length) * logP;
        crossEntropy -= y * logP;
      });
    });
    return { objective: objective / logits.length, crossEntropy: crossEntropy / logits.length };
  }

  for (const backendName of ['cpu', 'wasm'] as const) {
    describe(`on ${backendName}`, () => {
      beforeAll(async () => {
        await selectBackend(backendName);
      });

      it('equals the hand computation, and tfjs’s own label smoothing, with ε = 0.1 and 0', () => {
        for (const epsilon of [0.1, 0]) {
          const want = byHand(epsilon);
          const [objective, crossEntropy, reference] = tf.tidy(() => {
            const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
            const z = tf.tensor2d(logits);
            const got = smoothedCrossEntropy(y, z, epsilon);
            return [got.objective, got.crossEntropy, tf.losses.softmaxCrossEntropy(y, z, undefined, epsilon)].map(
              (t) => t.dataSync()[0],
            );
          });
          // float32 against float64: 1e-5.
          expect(Math.abs(objective - want.objective)).toBeLessThan(1e-5);
          expect(Math.abs(crossEntropy - want.crossEntropy)).toBeLessThan(1e-5);
          expect(Math.abs(reference - want.objective)).toBeLessThan(1e-5);
        }
      });

      it('has the gradient softmax(z) − t (per row, divided by the batch)', () => {
        const epsilon = 0.2;
        const grad = tf.tidy(() => {
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
          return tf
            .grad((z: tf.Tensor) => smoothedCrossEntropy(y, z, epsilon).objective)(tf.tensor2d(logits))
            .arraySync();
        }) as number[][];
        logits.forEach((z, row) => {
          const sum = z.reduce((s, v) => s + Math.exp(v), 0);
          z.forEach((v, k) => {
            const target = (1 - epsilon) * (k === labels[row] ? 1 : 0) + epsilon / z.length;
            expect(Math.abs(grad[row][k] - (Math.exp(v) / sum - target) / logits.length)).toBeLessThan(1e-5);
          });
        });
      });
    });
  }
});
