/**
 * The feature map and nearest neighbours: what a run's network makes of the data at C5 or F6
 * (the last two hidden layers), projected to 2-D for the whole test set, and the training images
 * nearest an inspected one. Computed in the inspector process and cached beside the checkpoint.
 */
import { z } from 'zod';
import { checkpointRefSchema, imageSourceSchema, type CheckpointRef, type CheckpointUsed } from './inspect';
import { runIdSchema } from './runs';
import { CLASS_NAMES } from './training';

export const FEATURE_LAYERS = ['C5', 'F6'] as const;
export type FeatureLayer = (typeof FEATURE_LAYERS)[number];
export const PROJECTION_METHODS = ['pca', 'umap'] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];
/** How neighbours are measured (see core/features/neighbours.ts for why cosine). */
export const NEIGHBOUR_METRIC = 'cosine';
export const DEFAULT_NEIGHBOURS = 8;
/**
 * What a first UMAP map of the 10,000 test images takes on a 2-core machine (`npm run bench --
 * features`): 10.6–14.4 s with the machine's load average at 7–9 (other sessions training), 35 s
 * in a UI journey under heavier load; a quiet machine was not available to measure (the stages
 * scale to about 5 s). The page says so while one computes.
 */
export const UMAP_SECONDS_RANGE = [5, 40] as const;

const layerSchema = z.enum(FEATURE_LAYERS, { error: `must be one of ${FEATURE_LAYERS.join(', ')}` });

export const featureMapInputSchema = z.strictObject({
  runId: runIdSchema,
  checkpoint: checkpointRefSchema.default('best'),
  layer: layerSchema.default('F6'),
  method: z.enum(PROJECTION_METHODS, { error: `must be one of ${PROJECTION_METHODS.join(', ')}` }).default('pca'),
});
export type FeatureMapInput = z.infer<typeof featureMapInputSchema>;

export const neighboursInputSchema = z.strictObject({
  runId: runIdSchema,
  checkpoint: checkpointRefSchema.default('best'),
  layer: layerSchema.default('F6'),
  source: imageSourceSchema,
  count: z.number().int().min(1).max(32, { error: 'must be from 1 to 32' }).default(DEFAULT_NEIGHBOURS),
});
export type NeighboursInput = z.infer<typeof neighboursInputSchema>;

/** The test set projected: point i is test image i. */
export interface FeatureMapResult {
  checkpoint: CheckpointUsed;
  layer: FeatureLayer;
  method: ProjectionMethod;
  /** n × 2, row-major. */
  coords: Float32Array;
  labels: Uint8Array;
  predicted: Uint8Array;
  /** PCA: each axis's share of the variance; UMAP: [0, 0]. */
  explained: [number, number];
  /** Answered from the cache beside the checkpoint. */
  cached: boolean;
  computeMs: number;
  /** Where a fresh map's time went (absent when answered from the cache). */
  stagesMs?: { dataset: number; features: number; projection: number };
}

/**
 * How far a feature map being computed has got (main → window, event `features:progress`), for
 * the request it names: `share` done (0–1) and the stage ("layout epoch 120/200").
 */
export interface FeatureMapProgress {
  runId: number;
  checkpoint: CheckpointRef;
  layer: FeatureLayer;
  method: ProjectionMethod;
  share: number;
  stage: string;
}

/** The inspector process's answer; main adds which checkpoint. */
export type FeatureMapAnswer = Omit<FeatureMapResult, 'checkpoint'>;

export interface FeatureNeighbour {
  /** Index in the training set. */
  index: number;
  label: number;
  similarity: number;
  pixels: Uint8Array;
}

export interface NeighboursResult {
  checkpoint: CheckpointUsed;
  layer: FeatureLayer;
  metric: typeof NEIGHBOUR_METRIC;
  /** The inspected image as the network saw it (28×28). */
  pixels: Uint8Array;
  predicted: number;
  trueClass: number | null;
  neighbours: FeatureNeighbour[];
  /** "LeNet5 thinks this Shirt looks like these T-shirt/tops." */
  summary: string;
}

/** The inspector process's answer; main adds the checkpoint, the true class and the sentence. */
export interface NeighboursAnswer {
  pixels: Uint8Array;
  predicted: number;
  neighbours: FeatureNeighbour[];
}

/** The class most of the neighbours have (ties: the nearer one's first). */
export function majorityClass(labels: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best: number | null = null;
  for (const l of labels) if (best === null || counts.get(l)! > counts.get(best)!) best = l;
  return best;
}

/** The one-sentence reading of a neighbours answer. */
export function neighbourSummary(predicted: number, labels: readonly number[]): string {
  const majority = majorityClass(labels);
  if (majority === null) return `LeNet5 found no training images near this ${CLASS_NAMES[predicted]}.`;
  const share = labels.filter((l) => l === majority).length;
  const count = share === labels.length ? '' : ` (${share} of the ${labels.length})`;
  return `LeNet5 thinks this ${CLASS_NAMES[predicted]} looks like these ${plural(majority)}${count}.`;
}

/** A class name in the plural, as a sentence needs it. */
export function plural(classIndex: number): string {
  const name = CLASS_NAMES[classIndex];
  if (name === 'T-shirt/top') return 'T-shirts/tops';
  return name.endsWith('s') ? `${name}es` : `${name}s`;
}
