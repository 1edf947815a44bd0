import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { estimateRunSeconds, planOf, speedFromEpochs } from '../../src/shared/run-estimate';

describe('run estimate', () => {
  it('plans the images of each preset by the engine split rule', () => {
    expect(planOf(PRESETS.seed)).toMatchObject({ trainImages: 54_000, validationImages: 6_000, testImages: 10_000 });
    expect(planOf(PRESETS.quick)).toMatchObject({ trainImages: 10_000, epochs: 2, batchesPerEpoch: 313 });
  });

  it('measures training and evaluation speed from recorded epochs, and scales to another plan', () => {
    const recorded = planOf(PRESETS.quick); // 10,000 train, 16,000 evaluated per epoch
    // 1,000 img/s training → 10 s; 4 s more per epoch evaluates 16,000 images → 4,000 img/s.
    const speed = speedFromEpochs(
      [
        { imagesPerSec: 1000, seconds: 14 },
        { imagesPerSec: 1000, seconds: 14 },
        { imagesPerSec: null, seconds: null },
      ],
      recorded,
    )!;
    expect(speed.trainImagesPerSec).toBe(1000);
    expect(speed.evalImagesPerSec).toBeCloseTo(4000, 6);
    expect(estimateRunSeconds(recorded, speed)).toBeCloseTo(28, 6);
    // seed: 10 × (54,000 / 1,000 + 16,000 / 4,000) = 10 × 58 s.
    expect(estimateRunSeconds(planOf(PRESETS.seed), speed)).toBeCloseTo(580, 6);
  });

  it('has no speed without a timed epoch', () => {
    expect(speedFromEpochs([], planOf(PRESETS.quick))).toBeNull();
    expect(speedFromEpochs([{ imagesPerSec: null, seconds: 3 }], planOf(PRESETS.quick))).toBeNull();
  });
});
