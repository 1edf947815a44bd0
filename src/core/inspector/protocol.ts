/** Messages between main and the inspector process: requests by id, one answer per request. */
import type { Hyperparams, ModelOptions } from '../../shared/hyperparams';
import type { ApiError } from '../../shared/errors';
import type { InspectImageResult, KernelSet, PredictOutcome } from '../../shared/inspect';
import type { FeatureLayer, FeatureMapAnswer, NeighboursAnswer, ProjectionMethod } from '../../shared/features';
import type { DatasetLocationOptions, TrainingFileHashes } from '../dataset';
import type { MarginsEvent } from '../../shared/training';

/** A file's name and bytes (any Uint8Array: what IPC and fs hand over). */
export interface ImageFile {
  name: string;
  bytes: Uint8Array;
}

/** The input image: a test image's pixels (main has the dataset) or a user's file to decode. */
export type InspectorImage = { kind: 'pixels'; pixels: Uint8Array } | ({ kind: 'file' } & ImageFile);

/** What `checkpoint-margins.ts` needs besides the checkpoint. */
export interface CheckpointMarginsInput {
  config: Hyperparams;
  /** The images the run left out (its recorded `run_left_out`), ascending. */
  leftOut: number[];
  /** The run's training files, by the SHA-256 of their decompressed contents. */
  trainFiles: TrainingFileHashes;
  /** Where to look, in order: the dataset folder in use, then the one the run trained on. */
  locations: DatasetLocationOptions[];
}

export type CheckpointMargins = Pick<MarginsEvent, 'sums' | 'believed' | 'labels'>;

interface OnCheckpoint {
  /** A checkpoint folder (model.json + weights.bin). */
  checkpointDir: string;
  model: ModelOptions;
}

export type InspectorRequestBody =
  | (OnCheckpoint & { type: 'image'; image: InspectorImage; targetClass?: number; smoothGradSamples: number })
  | (OnCheckpoint & { type: 'kernels' })
  | (OnCheckpoint & { type: 'predict'; files: ImageFile[] })
  /** The inspector reads FashionMNIST itself (where main would find it): 55 MB need not cross IPC. */
  | (OnCheckpoint & {
      type: 'feature-map';
      layer: FeatureLayer;
      method: ProjectionMethod;
      dataset: DatasetLocationOptions;
    })
  /** The final network's margins over the run's training images (a run recorded without them). */
  | (OnCheckpoint & CheckpointMarginsInput & { type: 'margins' })
  | (OnCheckpoint & {
      type: 'neighbours';
      layer: FeatureLayer;
      image: InspectorImage;
      count: number;
      dataset: DatasetLocationOptions;
    });

export type InspectorRequest = InspectorRequestBody & { id: number };

/** An image's answer; main adds which checkpoint, the true class and the sample count. */
export type ImageAnswer = Omit<InspectImageResult, 'checkpoint' | 'trueClass' | 'smoothGradSamples'>;

export interface InspectorAnswers {
  image: ImageAnswer;
  kernels: KernelSet;
  predict: PredictOutcome[];
  'feature-map': FeatureMapAnswer;
  neighbours: NeighboursAnswer;
  margins: CheckpointMargins;
}

/** How far a long request has got: `share` done (0–1) and what it is doing ("layout epoch 120/200"). */
export interface InspectorProgress {
  share: number;
  stage: string;
}

export type InspectorResponse =
  | { id: number; ok: true; result: InspectorAnswers[keyof InspectorAnswers] }
  /** Zero or more before the request's answer (feature maps: UMAP's stages and layout epochs). */
  | { id: number; progress: InspectorProgress }
  | { id: number; ok: false; error: ApiError }
  /** Sent once, when the process is ready for requests. */
  | { id: 0; ok: true; result: 'ready' };
