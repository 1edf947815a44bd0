/**
 * The one hyperparameter schema: the New-run form, the CLI options and main's IPC validation all
 * use it, so a range is written once and every place refuses the same values with the same words.
 */
import { z } from 'zod';

/** An integer field whose error message names the allowed range. */
function intIn(min: number, max: number) {
  const range = `an integer from ${min} to ${max}`;
  return z
    .number({ error: `must be ${range}` })
    .int({ error: `must be ${range}` })
    .min(min, { error: `must be ${range}` })
    .max(max, { error: `must be ${range}` });
}

/** A real-number field with an inclusive (or exclusive-below) range named in the message. */
function realIn(min: number, max: number, opts: { exclusiveMin?: boolean } = {}) {
  const range = opts.exclusiveMin ? `> ${min} and ≤ ${max}` : `from ${min} to ${max}`;
  const base = z.number({ error: `must be a number ${range}` }).refine(Number.isFinite, {
    error: `must be a finite number ${range}`,
  });
  return base
    .refine((v) => (opts.exclusiveMin ? v > min : v >= min), { error: `must be ${range}` })
    .refine((v) => v <= max, { error: `must be ${range}` });
}

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export const DENSE_ACTIVATIONS = ['none', 'sigmoid', 'tanh', 'relu'] as const;
export const POOLINGS = ['avg', 'max'] as const;
export const C5_KINDS = ['dense', 'conv'] as const;
export const INPUT_SIZES = [28, 32] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;
export const LR_SCHEDULES = ['constant', 'step', 'cosine'] as const;
export const PRESET_NAMES = ['seed', 'modern', 'quick'] as const;

export type Activation = (typeof ACTIVATIONS)[number];
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];
export type PresetName = (typeof PRESET_NAMES)[number];

export const modelOptionsSchema = z.strictObject({
  /** Activation after C1 and C3 (the seed: sigmoid). */
  convActivation: z.enum(ACTIVATIONS),
  /** Activation between the dense layers F6/F7 (the seed has none: its table shows no rows). */
  denseActivation: z.enum(DENSE_ACTIVATIONS),
  pooling: z.enum(POOLINGS),
  /** C5 as flatten + dense 400→120 (the seed) or as a 5×5×120 convolution; both 48,120 params. */
  c5: z.enum(C5_KINDS),
  /** 28: the seed (conv1 padded by 2). 32: LeCun's original (image padded to 32, conv1 unpadded). */
  inputSize: z.union([z.literal(28), z.literal(32)], { error: 'must be 28 or 32' }),
});
export type ModelOptions = z.infer<typeof modelOptionsSchema>;

export const hyperparamsSchema = z.strictObject({
  model: modelOptionsSchema,
  epochs: intIn(1, 1000),
  batchSize: intIn(1, 4096),
  optimizer: z.enum(OPTIMIZERS),
  learningRate: realIn(0, 10, { exclusiveMin: true }),
  /** Momentum for `momentum` (and the decay term of `rmsprop`); ignored by sgd and adam. */
  momentum: realIn(0, 0.999),
  lrSchedule: z.enum(LR_SCHEDULES),
  /** step schedule: multiply the rate by `lrGamma` every `lrStepEpochs` epochs. */
  lrStepEpochs: intIn(1, 1000),
  lrGamma: realIn(0, 1, { exclusiveMin: true }),
  /** L2 penalty on kernels (not biases), added to the loss. */
  weightDecay: realIn(0, 1),
  seed: intIn(0, 2_147_483_647),
  /** Share of the 60,000 training images held out for validation (seeded shuffle). */
  validationFraction: realIn(0, 0.5),
  /** Train on only this many images (0 = all that remain after the validation split). */
  trainSubset: intIn(0, 60_000),
  /** Stop after this many epochs without a better validation accuracy (0 = never). */
  earlyStoppingPatience: intIn(0, 1000),
});
export type Hyperparams = z.infer<typeof hyperparamsSchema>;

const SEED_MODEL: ModelOptions = {
  convActivation: 'sigmoid',
  denseActivation: 'none',
  pooling: 'avg',
  c5: 'dense',
  inputSize: 28,
};

/** Named starting points. `seed` reproduces the seed's network; see the engine issue note for figures. */
export const PRESETS: Record<PresetName, Hyperparams> = {
  seed: {
    model: SEED_MODEL,
    epochs: 20,
    batchSize: 64,
    optimizer: 'adam',
    learningRate: 0.003,
    momentum: 0.9,
    lrSchedule: 'cosine',
    lrStepEpochs: 10,
    lrGamma: 0.5,
    weightDecay: 0,
    seed: 42,
    validationFraction: 0.1,
    trainSubset: 0,
    earlyStoppingPatience: 0,
  },
  modern: {
    model: { convActivation: 'relu', denseActivation: 'relu', pooling: 'max', c5: 'dense', inputSize: 28 },
    epochs: 15,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 0.001,
    momentum: 0.9,
    lrSchedule: 'cosine',
    lrStepEpochs: 5,
    lrGamma: 0.5,
    weightDecay: 0,
    seed: 42,
    validationFraction: 0.1,
    trainSubset: 0,
    earlyStoppingPatience: 0,
  },
  quick: {
    model: SEED_MODEL,
    epochs: 2,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 0.005,
    momentum: 0.9,
    lrSchedule: 'constant',
    lrStepEpochs: 10,
    lrGamma: 0.5,
    weightDecay: 0,
    seed: 42,
    validationFraction: 0.1,
    trainSubset: 10_000,
    earlyStoppingPatience: 0,
  },
};

/** Field path → message, e.g. `learningRate: must be > 0 and ≤ 10`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: string[] };

/** Parse untrusted input (IPC payload, CLI options, a stored config) into Hyperparams. */
export function parseHyperparams(input: unknown): ParseResult<Hyperparams> {
  const r = hyperparamsSchema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: describeIssues(r.error) };
}
