/**
 * What a `last` checkpoint saves beside the weights so a run can continue exactly: the optimizer's
 * state (Adam's moments and step count, momentum accumulators…), the data-order random stream and
 * its current permutation, the schedule position (epochs done) and the best-so-far bookkeeping.
 * Shared by the trainer (writes and restores it) and main (refuses a resume before queueing it).
 */
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import type { Hyperparams } from './hyperparams';
import { OPTIMIZERS } from './hyperparams';

/** Written in the checkpoint folder next to model.json and weights.bin. */
export const TRAINING_STATE_JSON = 'training-state.json';
/** Optimizer tensors (float32, in manifest order), then the data order (int32). */
export const TRAINING_STATE_BIN = 'training-state.bin';
export const TRAINING_STATE_FORMAT = 1;

const tensorSpecSchema = z.strictObject({
  name: z.string(),
  shape: z.array(z.number().int().min(0)),
  /** Offset in float32 elements into the .bin. */
  offset: z.number().int().min(0),
  size: z.number().int().min(0),
});
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

export const trainingStateSchema = z.strictObject({
  format: z.literal(TRAINING_STATE_FORMAT),
  /** Epochs completed when this was written: the run continues at epoch + 1. */
  epoch: z.number().int().min(1),
  /** `configFingerprint` of the run that wrote it. */
  fingerprint: z.string(),
  optimizer: z.enum(OPTIMIZERS),
  /** Optimizer step count (tfjs `iterations`). */
  iterations: z.number().int().min(0),
  /** Optimizer tensors: moments/accumulators in variable order, then scalars like Adam's β^t. */
  tensors: z.array(tensorSpecSchema),
  /** The data-order stream's state after the last shuffle, and the permutation it produced. */
  dataOrder: z.strictObject({
    rngState: z.number().int().min(0),
    count: z.number().int().min(1),
    offset: z.number().int().min(0),
  }),
  /** Early stopping and best-checkpoint bookkeeping. */
  bestAccuracy: z.number(),
  epochsSinceBest: z.number().int().min(0),
});
export type TrainingState = z.infer<typeof trainingStateSchema>;

/**
 * The configuration a checkpoint belongs to, minus `epochs` (extending a run changes it). Two
 * configurations with the same fingerprint build the same network, optimizer and data.
 */
export function configFingerprint(config: Hyperparams): string {
  const { epochs: _epochs, ...rest } = config;
  return canonicalJson(rest);
}
