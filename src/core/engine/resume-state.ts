/**
 * Saving and restoring everything besides the weights that a run needs to continue exactly:
 * optimizer state, the data-order stream and the best-so-far bookkeeping (format in
 * shared/resume.ts). Restoring is all or nothing: every check runs before anything is assigned,
 * so a refused checkpoint never leaves a half-loaded optimizer or model.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hyperparams } from '../../shared/hyperparams';
import { mulberry32Stream, type RandomStream } from '../../shared/random';
import {
  configFingerprint,
  TRAINING_STATE_BIN,
  TRAINING_STATE_FORMAT,
  TRAINING_STATE_JSON,
  type TensorSpec,
  type TrainingState,
} from '../../shared/resume';
import { loadCheckpoint } from './checkpoint';
import { readTrainingState, ResumeError } from '../resume-file';
import { shuffleInPlace } from '../dataset';

/** The per-epoch shuffle: one seeded stream and the permutation it keeps reshuffling. */
export class DataOrder {
  private constructor(
    private stream: RandomStream,
    readonly order: Int32Array,
  ) {}

  static fresh(count: number, seed: number): DataOrder {
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    return new DataOrder(mulberry32Stream(seed), order);
  }

  static restore(rngState: number, order: Int32Array): DataOrder {
    return new DataOrder(mulberry32Stream(rngState), order);
  }

  /** The next epoch's order (the previous one, reshuffled). */
  next(): Int32Array {
    shuffleInPlace(this.order, () => this.stream.next());
    return this.order;
  }

  get rngState(): number {
    return this.stream.state;
  }
}

export interface Bookkeeping {
  epoch: number;
  bestAccuracy: number;
  epochsSinceBest: number;
}

/** The optimizer's own variables beyond `getWeights` (Adam's running β₁ᵗ, β₂ᵗ). */
function extraScalars(optimizer: tf.Optimizer): Record<string, tf.Variable> {
  const o = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  return o.accBeta1 && o.accBeta2 ? { accBeta1: o.accBeta1, accBeta2: o.accBeta2 } : {};
}

/** Write the state files into `dir` (a checkpoint folder being written). */
export async function writeTrainingState(
  dir: string,
  config: Hyperparams,
  optimizer: tf.Optimizer,
  dataOrder: DataOrder,
  book: Bookkeeping,
): Promise<void> {
  const named = await optimizer.getWeights();
  const [iterationsTensor, ...stateTensors] = named;
  const iterations = iterationsTensor.tensor.dataSync()[0];
  tf.dispose(iterationsTensor.tensor);
  const extras = Object.entries(extraScalars(optimizer)).map(([name, tensor]) => ({ name, tensor }));
  const all = [...stateTensors, ...extras];
  const specs: TensorSpec[] = [];
  let offset = 0;
  const chunks = all.map(({ name, tensor }) => {
    const values = tensor.dataSync() as Float32Array;
    specs.push({ name, shape: tensor.shape, offset, size: values.length });
    offset += values.length;
    return values;
  });
  const floats = new Float32Array(offset + dataOrder.order.length);
  chunks.forEach((values, i) => floats.set(values, specs[i].offset));
  // The order shares the file as raw int32 bits after the optimizer's floats.
  new Int32Array(floats.buffer, offset * 4, dataOrder.order.length).set(dataOrder.order);
  const state: TrainingState = {
    format: TRAINING_STATE_FORMAT,
    epoch: book.epoch,
    fingerprint: configFingerprint(config),
    optimizer: config.optimizer,
    iterations,
    tensors: specs,
    dataOrder: { rngState: dataOrder.rngState, count: dataOrder.order.length, offset },
    bestAccuracy: book.bestAccuracy,
    epochsSinceBest: book.epochsSinceBest,
  };
  await writeFile(path.join(dir, TRAINING_STATE_BIN), new Uint8Array(floats.buffer));
  await writeFile(path.join(dir, TRAINING_STATE_JSON), JSON.stringify(state));
}

export interface Restored extends Bookkeeping {
  dataOrder: DataOrder;
}

/**
 * Load the `last` checkpoint at `dir` into `model` and `optimizer` (built fresh for `config`) and
 * return the bookkeeping and data order to continue with. Every shape is checked before the first
 * assignment.
 */
export async function restoreTrainingState(
  dir: string,
  config: Hyperparams,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  trainCount: number,
): Promise<Restored> {
  const state = readTrainingState(dir, config);
  const bin = await readFile(path.join(dir, TRAINING_STATE_BIN)).catch(() => {
    throw new ResumeError(`the optimizer state in ${dir} is missing ${TRAINING_STATE_BIN}`);
  });
  const words = Math.floor(bin.byteLength / 4);
  const expectedWords = state.dataOrder.offset + state.dataOrder.count;
  if (bin.byteLength % 4 !== 0 || words !== expectedWords) {
    throw new ResumeError(`the optimizer state in ${dir} is truncated (${bin.byteLength} bytes)`);
  }
  if (state.dataOrder.count !== trainCount) {
    throw new ResumeError(
      `the checkpoint's data order covers ${state.dataOrder.count} images, this run trains on ${trainCount}`,
    );
  }
  const aligned = new Uint8Array(bin).buffer; // copy: a Buffer may be a view into a pool
  const floats = new Float32Array(aligned, 0, words);

  const extraNames = Object.keys(extraScalars(optimizer));
  const moments = state.tensors.slice(0, state.tensors.length - extraNames.length);
  const extras = state.tensors.slice(moments.length);
  // Optimizers keep one (sgd: none) or two (adam) tensors per variable, in variable order.
  const perVariable = moments.length / Math.max(variables.length, 1);
  if (!Number.isInteger(perVariable) || extras.map((t) => t.name).join() !== extraNames.join()) {
    throw new ResumeError(
      `the optimizer state in ${dir} does not match a ${config.optimizer} optimizer for this network`,
    );
  }
  moments.forEach((spec, i) => {
    const variable = variables[i % variables.length];
    if (spec.shape.join('x') !== variable.shape.join('x')) {
      throw new ResumeError(
        `the optimizer state in ${dir} has ${spec.name} of shape [${spec.shape}] where this network has [${variable.shape}]`,
      );
    }
  });

  const saved = await loadCheckpoint(dir).catch((err: Error) => {
    throw new ResumeError(`the weights in ${dir} cannot be read: ${err.message}`);
  });
  try {
    const weights = saved.getWeights();
    const target = model.getWeights();
    if (weights.length !== target.length || weights.some((w, i) => w.shape.join('x') !== target[i].shape.join('x'))) {
      throw new ResumeError(`the weights in ${dir} do not fit this run's network`);
    }
    model.setWeights(weights);
  } finally {
    saved.dispose();
  }

  const tensors = state.tensors.map((spec) =>
    tf.tensor(floats.subarray(spec.offset, spec.offset + spec.size), spec.shape, 'float32'),
  );
  const iterations = tf.scalar(state.iterations, 'int32');
  await optimizer.setWeights([
    { name: 'iter', tensor: iterations },
    ...moments.map((spec, i) => ({ name: spec.name, tensor: tensors[i] })),
  ]);
  // Exact β^t as saved, not tfjs's recomputed pow (float32 rounding would differ).
  const scalars = extraScalars(optimizer);
  extras.forEach((spec, i) => scalars[spec.name].assign(tensors[moments.length + i]));
  tf.dispose([iterations, ...tensors]);

  const order = new Int32Array(aligned, state.dataOrder.offset * 4, state.dataOrder.count).slice();
  return {
    epoch: state.epoch,
    bestAccuracy: state.bestAccuracy,
    epochsSinceBest: state.epochsSinceBest,
    dataOrder: DataOrder.restore(state.dataOrder.rngState, order),
  };
}
