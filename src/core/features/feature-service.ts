/**
 * The feature map and nearest neighbours for one loaded checkpoint, run inside the inspector
 * process: features extracted once, then kept in cache files beside the checkpoint (keyed by the
 * SHA-256 of its weights, so a rewritten `last` checkpoint is never answered from stale files)
 * and in memory for the training set (neighbour queries come one image at a time).
 *
 * Cache sizes per checkpoint: a map is n × (2 float32 + 2 bytes) = 100 KB for 10,000 points; the
 * training set's features are 60,000 × width float32 = 28.8 MB at C5 (120), 20.2 MB at F6 (84).
 */
import type * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureLayer, FeatureMapAnswer, NeighboursAnswer, ProjectionMethod } from '../../shared/features';
import { StudioError } from '../errors';
import {
  IMAGE_PIXELS,
  loadFashionMnist,
  type DatasetLocationOptions,
  type FashionMnist,
  type ImageSet,
} from '../dataset';
import type { StageMap } from '../engine';
import { WEIGHTS_BIN } from '../resume-file';
import { extractFeatures, type Features } from './extract';
import { readFeatureCache, writeFeatureCache, type CacheKey } from './feature-cache';
import { nearestByCosine, rowNorms } from './neighbours';
import { pca2, type Projection2D } from './pca';
import { umap2 } from './umap';

export interface LoadedCheckpoint {
  dir: string;
  model: tf.LayersModel;
  stages: StageMap;
}

interface TrainFeatures {
  key: string;
  values: Float32Array;
  width: number;
  norms: Float32Array;
}

/** Progress of a map being made: the share done (0–1) and the stage, as the inspector protocol carries it. */
export type MapProgress = (progress: { share: number; stage: string }) => void;

const PROJECT: Record<
  ProjectionMethod,
  (rows: Float32Array, n: number, d: number, onProgress: MapProgress) => Projection2D
> = {
  // PCA takes about a second: no progress worth showing.
  pca: (rows, n, d) => pca2(rows, n, d),
  umap: (rows, n, d, onProgress) => umap2(rows, n, d, { onProgress: (share, stage) => onProgress({ share, stage }) }),
};

export const mapCacheFile = (dir: string, layer: FeatureLayer, method: ProjectionMethod): string =>
  path.join(dir, `feature-map-${layer}-${method}.bin`);
export const trainCacheFile = (dir: string, layer: FeatureLayer): string =>
  path.join(dir, `features-train-${layer}.bin`);

export class FeatureService {
  /** The last training-set features used (one: 20–29 MB each). */
  private train: TrainFeatures | null = null;
  /**
   * The last test-set features made (4.8 MB at C5): the UMAP map asked for right after the PCA
   * map (the page asks for both) does not run the network again.
   */
  private test: { key: string; features: Features } | null = null;

  constructor(private readonly loadDataset: (location: DatasetLocationOptions) => Promise<FashionMnist> = load) {}

  async map(
    checkpoint: LoadedCheckpoint,
    layer: FeatureLayer,
    method: ProjectionMethod,
    location: DatasetLocationOptions,
    onProgress: MapProgress = () => {},
  ): Promise<FeatureMapAnswer> {
    const started = performance.now();
    const file = mapCacheFile(checkpoint.dir, layer, method);
    const key: CacheKey = { kind: `map-${layer}-${method}`, weights: weightsHash(checkpoint.dir) };
    const cached = readFeatureCache<{ n: number; explained: [number, number] }>(file, key);
    if (cached && cached.payload.length === cached.meta.n * 10) {
      const { n } = cached.meta;
      const p = cached.payload;
      return {
        layer,
        method,
        coords: new Float32Array(p.buffer, p.byteOffset, 2 * n).slice(),
        labels: p.slice(8 * n, 9 * n),
        predicted: p.slice(9 * n, 10 * n),
        explained: cached.meta.explained,
        cached: true,
        computeMs: performance.now() - started,
      };
    }
    onProgress({ share: 0, stage: 'reading the test images' });
    const { test } = await this.loadDataset(location);
    const read = performance.now();
    onProgress({ share: 0, stage: 'running the test images through the network' });
    const features = this.testFeatures(checkpoint, layer, key.weights, test);
    const extracted = performance.now();
    const projection = PROJECT[method](features.values, test.count, features.width, onProgress);
    const projected = performance.now();
    const n = test.count;
    const payload = new Uint8Array(10 * n);
    payload.set(new Uint8Array(projection.coords.buffer, projection.coords.byteOffset, 8 * n), 0);
    payload.set(test.labels, 8 * n);
    payload.set(features.predicted, 9 * n);
    writeCacheQuietly(file, key, { n, explained: projection.explained }, payload);
    return {
      layer,
      method,
      coords: projection.coords,
      labels: test.labels.slice(),
      predicted: features.predicted,
      explained: projection.explained,
      cached: false,
      computeMs: performance.now() - started,
      stagesMs: { dataset: read - started, features: extracted - read, projection: projected - extracted },
    };
  }

  private testFeatures(checkpoint: LoadedCheckpoint, layer: FeatureLayer, weights: string, test: ImageSet): Features {
    const memoryKey = `${checkpoint.dir}\n${layer}\n${weights}\n${test.count}`;
    if (this.test?.key !== memoryKey)
      this.test = {
        key: memoryKey,
        features: extractFeatures(checkpoint.model, checkpoint.stages[layer], test.images, test.count),
      };
    return this.test.features;
  }

  /** The `count` training images nearest to `pixels` (28×28 bytes) at `layer`, by cosine similarity. */
  async neighbours(
    checkpoint: LoadedCheckpoint,
    layer: FeatureLayer,
    pixels: Uint8Array,
    count: number,
    location: DatasetLocationOptions,
  ): Promise<Omit<NeighboursAnswer, 'pixels'>> {
    const data = await this.loadDataset(location);
    const bank = this.trainFeatures(checkpoint, layer, data);
    const query = extractFeatures(checkpoint.model, checkpoint.stages[layer], pixels, 1);
    const found = nearestByCosine(query.values, bank.values, bank.width, count, bank.norms);
    return {
      predicted: query.predicted[0],
      neighbours: found.map(({ index, similarity }) => ({
        index,
        similarity,
        label: data.train.labels[index],
        pixels: data.train.images.slice(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS),
      })),
    };
  }

  private trainFeatures(checkpoint: LoadedCheckpoint, layer: FeatureLayer, data: FashionMnist): TrainFeatures {
    const weights = weightsHash(checkpoint.dir);
    const memoryKey = `${checkpoint.dir}\n${layer}\n${weights}`;
    if (this.train?.key === memoryKey) return this.train;
    const file = trainCacheFile(checkpoint.dir, layer);
    const key: CacheKey = { kind: `train-${layer}`, weights };
    const n = data.train.count;
    const cached = readFeatureCache<{ n: number; width: number }>(file, key);
    let values: Float32Array;
    let width: number;
    if (cached && cached.meta.n === n && cached.payload.length === 4 * n * cached.meta.width) {
      width = cached.meta.width;
      values = new Float32Array(cached.payload.buffer, cached.payload.byteOffset, n * width);
    } else {
      ({ values, width } = extractFeatures(checkpoint.model, checkpoint.stages[layer], data.train.images, n));
      writeCacheQuietly(file, key, { n, width }, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
    this.train = { key: memoryKey, values, width, norms: rowNorms(values, width) };
    return this.train;
  }
}

/** The SHA-256 of the checkpoint's weights (≈ 250 KB: about a millisecond). */
function weightsHash(dir: string): string {
  try {
    return createHash('sha256')
      .update(readFileSync(path.join(dir, WEIGHTS_BIN)))
      .digest('hex');
  } catch {
    throw new StudioError('not-found', `The checkpoint in ${dir} has no ${WEIGHTS_BIN} (deleted or moved).`);
  }
}

/** A cache that cannot be written (read-only or full disk) costs a recomputation next time, not the answer. */
function writeCacheQuietly<Meta>(file: string, key: CacheKey, meta: Meta, payload: Uint8Array): void {
  try {
    writeFeatureCache(file, key, meta, payload);
  } catch (err) {
    process.stderr.write(`feature cache ${file} not written: ${(err as Error).message}\n`);
  }
}

async function load(location: DatasetLocationOptions): Promise<FashionMnist> {
  try {
    return await loadFashionMnist({ ...location, allowDownload: false });
  } catch (err) {
    throw new StudioError('dataset', `The feature map needs FashionMNIST: ${(err as Error).message}`);
  }
}
