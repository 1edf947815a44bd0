/**
 * The feature service's reuse of the test set's features: the UMAP map asked for right after the
 * PCA map of the same checkpoint and layer does not run the network again, while another layer
 * or rewritten weights do. Shown by changing the loaded model's weights in memory only (its
 * weights.bin unchanged): an answer from the reused features keeps the first predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomDataset } from '../../src/core/dataset';
import { buildLeNet5, saveCheckpoint, stageMap } from '../../src/core/engine';
import { FeatureService, type LoadedCheckpoint } from '../../src/core/features';
import { PRESETS } from '../../src/shared/hyperparams';

let dir: string;
let checkpoint: LoadedCheckpoint;
const data = randomDataset(20, 300, 'random images for the feature service test');

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'lenet-feature-service-'));
  const model = buildLeNet5(PRESETS.seed.model, 1);
  await saveCheckpoint(model, dir);
  checkpoint = { dir, model, stages: stageMap(PRESETS.seed.model) };
});
afterAll(() => {
  checkpoint?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Every weight of the loaded model scaled (the file on disk stays as saved). */
function scaleWeightsInMemory(factor: number): void {
  for (const layer of checkpoint.model.layers)
    layer.setWeights(layer.getWeights().map((w) => tf.tidy(() => tf.mul(w, factor))));
}

describe('feature service', () => {
  it('reuses the test features for a second projection, and recomputes for another layer', async () => {
    const service = new FeatureService(() => Promise.resolve(data));
    const pca = await service.map(checkpoint, 'F6', 'pca', {});
    scaleWeightsInMemory(-3);
    const umap = await service.map(checkpoint, 'F6', 'umap', {});
    expect(umap.cached).toBe(false);
    expect(umap.predicted).toEqual(pca.predicted);
    // Another layer runs the network again: with the changed weights, other predictions.
    const c5 = await service.map(checkpoint, 'C5', 'pca', {});
    expect(c5.predicted).not.toEqual(pca.predicted);
  });
});
