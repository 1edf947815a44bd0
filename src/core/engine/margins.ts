/**
 * Per-training-image signal for the label audit: the area under the margin (AUM, Pleiss et al.
 * 2020, "Identifying Mislabeled Data using the Area Under the Margin Ranking"). For each image at
 * each epoch, margin = (logit of its given label) − (largest other logit); AUM is its mean over
 * epochs. A mislabeled image keeps a negative margin (the network learns its true class from its
 * look-alikes and is only slowly forced towards the wrong label), an ambiguous one hovers near 0.
 *
 * Why AUM and not confident learning (Northcutt et al. 2021): confident learning needs
 * out-of-sample probabilities, i.e. k extra trainings on k folds. AUM costs one gather and one max
 * on the logits the training step already computes, plus reading back 2 numbers per image, so it
 * is recorded in every run for free (measured with `npm run bench -- engine`, see the note).
 *
 * Margins are those of the training step's forward pass (training mode, weights before the step),
 * as in the paper. Sums are kept per image of the dataset's training file (the dataset index, not
 * the batch position), flushed once per epoch as a `margins` event, and saved with the `last`
 * checkpoint so a resumed run continues the same sums.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MarginsEvent } from '../../shared/training';

/** Saved beside the training state in the `last` checkpoint: sums (float32) then believed (uint8). */
export const MARGINS_BIN = 'margins.bin';
/** `believed` of an image not trained on (no class is 255). */
export const NOT_SEEN = 255;

/**
 * [2, n]: row 0 the margins, row 1 the class of the largest other logit (as float), so that both
 * are read back in one transfer. `oneHot` is the batch's one-hot labels (float32).
 */
export function marginRows(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const given = tf.sum(tf.mul(logits, oneHot), 1);
    // Push the given label's logit far below any other so max/argMax see only the other classes.
    const others = tf.sub(logits, tf.mul(oneHot, 1e9));
    return tf.stack([tf.sub(given, tf.max(others, 1)), tf.cast(tf.argMax(others, 1), 'float32')]) as tf.Tensor2D;
  });
}

/** Running sums for one run, kept by dataset index. */
export class MarginRecorder {
  readonly sums: Float32Array;
  readonly believed: Uint8Array;
  /** Epochs fully summed (completed epochs). */
  epochs = 0;
  /** This epoch's margins by training-set position, added to `sums` at `endEpoch`. */
  private readonly current: Float32Array;

  /**
   * @param trainIndices the dataset index of each training-set position (split's `trainIndices`)
   * @param labels the labels of the dataset's training file, in file order
   */
  constructor(
    private readonly trainIndices: Uint32Array,
    private readonly labels: Uint8Array,
  ) {
    const datasetCount = labels.length;
    this.sums = new Float32Array(datasetCount).fill(NaN);
    this.believed = new Uint8Array(datasetCount).fill(NOT_SEEN);
    for (const i of trainIndices) this.sums[i] = 0;
    this.current = new Float32Array(trainIndices.length);
  }

  /** Record one batch: `positions` are training-set positions, `rows` what `marginRows` read back. */
  add(positions: ArrayLike<number>, rows: Float32Array | Int32Array | Uint8Array): void {
    const n = positions.length;
    for (let k = 0; k < n; k++) {
      const position = positions[k];
      this.current[position] = rows[k];
      this.believed[this.trainIndices[position]] = rows[n + k];
    }
  }

  /**
   * Add the epoch's margins to the sums and return the event to emit. Only for a completed epoch:
   * a run stopped mid-epoch keeps the sums of its completed epochs, so every image is averaged over
   * the same epochs.
   */
  endEpoch(epoch: number): MarginsEvent {
    for (let p = 0; p < this.current.length; p++) this.sums[this.trainIndices[p]] += this.current[p];
    this.epochs++;
    return {
      type: 'margins',
      epoch,
      epochs: this.epochs,
      sums: this.sums.slice(),
      believed: this.believed.slice(),
      labels: this.labels.slice(),
    };
  }

  /** Write the sums into a checkpoint folder being written (with the training state). */
  async save(dir: string): Promise<void> {
    const header = new Float64Array([this.epochs, this.sums.length]);
    await writeFile(
      path.join(dir, MARGINS_BIN),
      Buffer.concat([
        Buffer.from(header.buffer),
        Buffer.from(this.sums.buffer, this.sums.byteOffset, this.sums.byteLength),
        Buffer.from(this.believed),
      ]),
    );
  }

  /**
   * Continue the sums saved in checkpoint folder `dir`. A checkpoint written before margins were
   * recorded has none: the sums then start at the resumed epoch (`epochs` says over how many).
   */
  async restore(dir: string): Promise<void> {
    const bytes = await readFile(path.join(dir, MARGINS_BIN)).catch(() => null);
    const count = this.sums.length;
    if (!bytes || bytes.byteLength !== 16 + count * 5) return;
    const copy = new Uint8Array(bytes).buffer; // aligned copy (a Buffer may be a pool view)
    const [epochs, savedCount] = new Float64Array(copy, 0, 2);
    if (savedCount !== count) return;
    this.epochs = epochs;
    this.sums.set(new Float32Array(copy, 16, count));
    this.believed.set(new Uint8Array(copy, 16 + count * 4, count));
  }
}
