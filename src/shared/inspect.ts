/**
 * The inspector's contract: what the window (and the CLI) may ask about one image on one
 * checkpoint, and what comes back. Schemas here, entries in procedures.ts. Plain objects, arrays
 * and typed arrays only (they cross Electron's structured clone and the UI tests' bridge).
 */
import { z } from 'zod';
import { runIdSchema } from './runs';

/** Largest image file accepted, before decoding: 10 MB. */
export const MAX_IMAGE_FILE_BYTES = 10 * 1024 * 1024;
/** Largest decoded image: 4096 × 4096 pixels (16 megapixels), checked from the header first. */
export const MAX_IMAGE_SIDE = 4096;
/** Files one `inspect:predict` call may carry. */
export const MAX_PREDICT_FILES = 64;

/** An epoch's own checkpoint folder inside the run's checkpoint folder. */
export const epochCheckpointDir = (epoch: number): string => `epoch-${epoch}`;

export const CHECKPOINT_ROLES = ['best', 'last'] as const;
export type CheckpointChoice = (typeof CHECKPOINT_ROLES)[number];

/** `best`, `last`, or one epoch's checkpoint (kept only with `--keep-checkpoints all`). */
export const checkpointRefSchema = z.union(
  [
    z.enum(CHECKPOINT_ROLES),
    z.strictObject({ epoch: z.number().int().min(1, { error: 'must be an epoch from 1' }).max(1000) }),
  ],
  { error: 'must be best, last or { epoch: N }' },
);
export type CheckpointRef = z.infer<typeof checkpointRefSchema>;

const fileName = z.string().min(1, { error: 'needs a file name' }).max(255, { error: 'at most 255 characters' });
const fileBytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'must be the file’s bytes (a Uint8Array)' })
  .refine((b) => b.byteLength <= MAX_IMAGE_FILE_BYTES, {
    error: `is over the ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MB limit for an image`,
  });
export const imageFileSchema = z.strictObject({ name: fileName, bytes: fileBytes });
export type ImageFile = z.infer<typeof imageFileSchema>;

export const imageSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('test'),
    index: z.number().int().min(0).max(9_999, { error: 'must be a test-set index from 0 to 9999' }),
  }),
  z.strictObject({ kind: z.literal('file'), ...imageFileSchema.shape }),
]);
export type ImageSource = z.infer<typeof imageSourceSchema>;

const classIndex = z.number().int().min(0).max(9, { error: 'must be a class from 0 to 9' });

export const inspectImageInputSchema = z.strictObject({
  runId: runIdSchema,
  checkpoint: checkpointRefSchema.default('best'),
  source: imageSourceSchema,
  /** The class the saliency and Grad-CAM explain; default the predicted one. */
  targetClass: classIndex.optional(),
  /** SmoothGrad: gradients averaged over this many noisy copies (1 = the plain gradient). */
  smoothGradSamples: z.number().int().min(1).max(64, { error: 'must be from 1 to 64' }).default(16),
});
export const inspectKernelsInputSchema = z.strictObject({
  runId: runIdSchema,
  checkpoint: checkpointRefSchema.default('best'),
});
export const inspectPredictInputSchema = z.strictObject({
  runId: runIdSchema,
  checkpoint: checkpointRefSchema.default('best'),
  files: z
    .array(imageFileSchema)
    .min(1, { error: 'needs at least one file' })
    .max(MAX_PREDICT_FILES, { error: `at most ${MAX_PREDICT_FILES} files per call` }),
});
export const inspectSnapshotInputSchema = z.strictObject({
  runId: runIdSchema,
  epoch: z.number().int().min(1).max(1000),
});
export type InspectSnapshotInput = z.infer<typeof inspectSnapshotInputSchema>;
export const inspectTrajectoryInputSchema = z.strictObject({
  runId: runIdSchema,
  index: z.number().int().min(0).max(9_999, { error: 'must be a test-set index from 0 to 9999' }),
});
export type InspectTrajectoryInput = z.infer<typeof inspectTrajectoryInputSchema>;

/** Which checkpoint answered. */
export interface CheckpointUsed {
  role: CheckpointChoice | 'epoch';
  epoch: number;
}

/** How a user's image became the network's 28×28 input. */
export interface Conversion {
  width: number;
  height: number;
  /** Already 28×28 grey on a dark background: used exactly as it is. */
  asIs: boolean;
  /** Grey levels negated because the background was light. */
  negated: boolean;
  /** The object's box in the original, [x, y, width, height], after trimming. */
  box: [number, number, number, number];
}

/** One stage of the network for one image. Maps are channel-major: [channels, rows, columns]. */
export interface LayerActivation {
  id: StageId;
  label: string;
  /** [C, H, W] for maps, [N] for vectors. */
  shape: number[];
  values: Float32Array;
  min: number;
  max: number;
}

export const STAGE_IDS = ['C1', 'S2', 'C3', 'S4', 'C5', 'F6', 'Output'] as const;
export type StageId = (typeof STAGE_IDS)[number];

export interface InspectImageResult {
  checkpoint: CheckpointUsed;
  /** The 28×28 input (0–255, light object on black), as the network saw it. */
  pixels: Uint8Array;
  /** The test image's label; null for a user's image. */
  trueClass: number | null;
  conversion: Conversion | null;
  probabilities: number[];
  predicted: number;
  targetClass: number;
  layers: LayerActivation[];
  /** d(class score)/d(pixel), SmoothGrad-averaged, 28×28 row-major (signed). */
  saliency: Float32Array;
  smoothGradSamples: number;
  /** Grad-CAM on C3 (after its activation): ReLU(Σ_k α_k A_k), [side × side], side = 10. */
  gradCam: Float32Array;
  /**
   * LayerCAM on the same C3 outputs, ReLU(Σ_k ReLU(∂y/∂A_k) · A_k) position by position: shown
   * where Grad-CAM is zero everywhere (its mean weights sum below zero at every position).
   */
  layerCam: Float32Array;
  gradCamSide: number;
  /** Inspector time for this request, ms (loading the checkpoint included). */
  computeMs: number;
}

/** C1 and C3 kernels, [out][in][5][5], and their biases. */
export interface KernelSet {
  c1: Float32Array;
  c1Bias: Float32Array;
  c3: Float32Array;
  c3Bias: Float32Array;
}
/** A snapshot's true-class probability is stored as round(p × this) (4 bits). */
export const SNAPSHOT_PROBABILITY_STEPS = 15;
/**
 * Numbers in each part of a KernelSet, in its order (C1 kernels, C1 biases, C3 kernels, C3 biases),
 * for a network's widths: 150, 6, 2,400 and 16 at the seed's 6 and 16 maps (the 1998 network's
 * C3 too: its absent connections are zeros).
 */
export function kernelPartSizes(widths: { c1Maps: number; c3Maps: number }): number[] {
  const { c1Maps, c3Maps } = widths;
  return [c1Maps * 25, c1Maps, c3Maps * c1Maps * 25, c3Maps];
}

export interface InspectKernelsResult extends KernelSet {
  checkpoint: CheckpointUsed;
}

export type PredictOutcome =
  { file: string; ok: true; predicted: number; probabilities: number[] } | { file: string; ok: false; error: string };

export interface InspectPredictResult {
  checkpoint: CheckpointUsed;
  results: PredictOutcome[];
}

/** What the epoch slider can scrub. */
export interface SnapshotIndex {
  runId: number;
  /** Epochs with a stored snapshot, ascending (empty for runs recorded before snapshots existed). */
  epochs: number[];
  /** Epochs whose full checkpoint is on disk (`--keep-checkpoints all`). */
  checkpointEpochs: number[];
}

export interface EpochSnapshot extends KernelSet {
  epoch: number;
  /** Row-major 10×10 test confusion. */
  confusion: number[];
}

export interface ImageTrajectory {
  index: number;
  epochs: number[];
  predicted: number[];
  /** The true class's probability per epoch (quantised to steps of 1/15). */
  trueProbability: number[];
  /** Epochs at which the prediction differs from the epoch before. */
  flips: number[];
}
