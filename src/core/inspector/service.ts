/**
 * The inspector's work, Electron-free and process-free (the process entry only relays messages):
 * load a checkpoint once and keep the last few in memory, then answer image, kernel and
 * prediction requests on it.
 */
import * as tf from '@tensorflow/tfjs';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ModelOptions } from '../../shared/hyperparams';
import type { ApiError } from '../../shared/errors';
import { kernelsOf, loadCheckpoint, MODEL_JSON, stageMap, type StageMap } from '../engine';
import { FeatureService } from '../features';
import { checkpointMargins } from './checkpoint-margins';
import { decodeImage, ImageInputError, toFashionMnist } from './image-convert';
import { classActivationMaps, forward, imageTensor, smoothGrad } from './network';
import type {
  ImageAnswer,
  InspectorAnswers,
  InspectorImage,
  InspectorProgress,
  InspectorRequestBody,
} from './protocol';

/** Checkpoints kept loaded (≈ 250 KB of weights each). */
const CACHE_SIZE = 4;

interface Loaded {
  model: tf.LayersModel;
  stages: StageMap;
  /** model.json's mtime when loaded: a rewritten checkpoint (training goes on) is loaded again. */
  mtimeMs: number;
}

/** A request that cannot be answered, with the table's error code. */
export class InspectorError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

export class InspectorService {
  private readonly cache = new Map<string, Loaded>();
  private readonly features = new FeatureService();

  /** `onProgress` hears how far a long request (a feature map) has got, now and then. */
  async handle<T extends InspectorRequestBody['type']>(
    body: Extract<InspectorRequestBody, { type: T }>,
    onProgress: (progress: InspectorProgress) => void = () => {},
  ): Promise<InspectorAnswers[T]> {
    const started = performance.now();
    const request = body as InspectorRequestBody;
    const loaded = await this.load(request.checkpointDir, request.model);
    switch (request.type) {
      case 'image':
        return this.image(
          loaded,
          request.image,
          request.targetClass,
          request.smoothGradSamples,
          started,
        ) as InspectorAnswers[T];
      case 'kernels':
        return kernelsOf(loaded.model, loaded.stages) as InspectorAnswers[T];
      case 'predict':
        return request.files.map((file) => {
          try {
            const { pixels } = toFashionMnist(decodeImage(file.name, file.bytes));
            const { predicted, probabilities } = this.predict(loaded, pixels);
            return { file: file.name, ok: true as const, predicted, probabilities };
          } catch (err) {
            if (!(err instanceof ImageInputError)) throw err;
            return { file: file.name, ok: false as const, error: err.message };
          }
        }) as InspectorAnswers[T];
      case 'feature-map':
        return (await this.features.map(
          { dir: request.checkpointDir, ...loaded },
          request.layer,
          request.method,
          request.dataset,
          onProgress,
        )) as InspectorAnswers[T];
      case 'margins':
        return (await checkpointMargins(loaded.model, request, onProgress)) as InspectorAnswers[T];
      case 'neighbours': {
        const pixels = this.pixelsOf(request.image).pixels;
        const answer = await this.features.neighbours(
          { dir: request.checkpointDir, ...loaded },
          request.layer,
          pixels,
          request.count,
          request.dataset,
        );
        return { ...answer, pixels } as InspectorAnswers[T];
      }
    }
    throw new InspectorError(
      'invalid-input',
      `unknown inspector request ${String((request as { type: unknown }).type)}`,
    );
  }

  dispose(): void {
    for (const { model } of this.cache.values()) model.dispose();
    this.cache.clear();
  }

  private async load(dir: string, options: ModelOptions): Promise<Loaded> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path.join(dir, MODEL_JSON)).mtimeMs;
    } catch {
      throw new InspectorError('not-found', `The checkpoint folder ${dir} is missing from disk (deleted or moved).`);
    }
    const cached = this.cache.get(dir);
    if (cached && cached.mtimeMs === mtimeMs) {
      // Most recently used last: Map keeps insertion order.
      this.cache.delete(dir);
      this.cache.set(dir, cached);
      return cached;
    }
    cached?.model.dispose();
    this.cache.delete(dir);
    let model: tf.LayersModel;
    try {
      model = await loadCheckpoint(dir);
    } catch (err) {
      throw new InspectorError('io', `The checkpoint in ${dir} could not be loaded: ${(err as Error).message}`);
    }
    const loaded = { model, stages: stageMap(options), mtimeMs };
    this.cache.set(dir, loaded);
    while (this.cache.size > CACHE_SIZE) {
      const [oldest, entry] = this.cache.entries().next().value as [string, Loaded];
      entry.model.dispose();
      this.cache.delete(oldest);
    }
    return loaded;
  }

  private predict(loaded: Loaded, pixels: Uint8Array) {
    const x = imageTensor(pixels);
    try {
      return forward(loaded.model, loaded.stages, x);
    } finally {
      x.dispose();
    }
  }

  /** The 28×28 input: a test image's pixels as they are, a user's file converted. */
  private pixelsOf(image: InspectorImage): { pixels: Uint8Array; conversion: ImageAnswer['conversion'] } {
    if (image.kind === 'pixels') return { pixels: image.pixels, conversion: null };
    try {
      return toFashionMnist(decodeImage(image.name, image.bytes));
    } catch (err) {
      if (err instanceof ImageInputError) throw new InspectorError('invalid-input', err.message);
      throw err;
    }
  }

  private image(
    loaded: Loaded,
    image: InspectorImage,
    targetClass: number | undefined,
    samples: number,
    started: number,
  ): ImageAnswer {
    const { pixels, conversion } = this.pixelsOf(image);
    const x = imageTensor(pixels);
    try {
      const result = forward(loaded.model, loaded.stages, x);
      const target = targetClass ?? result.predicted;
      const cam = classActivationMaps(loaded.model, loaded.stages.C3, x, target);
      return {
        pixels,
        conversion,
        probabilities: result.probabilities,
        predicted: result.predicted,
        targetClass: target,
        layers: result.layers,
        saliency: smoothGrad(loaded.model, x, target, samples),
        gradCam: cam.gradCam,
        layerCam: cam.layerCam,
        gradCamSide: Math.round(Math.sqrt(cam.gradCam.length)),
        computeMs: performance.now() - started,
      };
    } finally {
      x.dispose();
    }
  }
}
