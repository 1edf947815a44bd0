/**
 * Evaluating a model on a held-out set, and the per-class figures derived from its predictions.
 * Everything after the forward pass is plain JS over the 10,000 predictions: cheap, and exactly
 * reproducible on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from '../dataset';
import { dataLoss } from './model/lecun1998';

export interface Evaluation {
  /** Mean training loss: softmax cross-entropy, or the paper's eq. 9 for the 1998 RBF output. */
  loss: number;
  accuracy: number;
  /** Predicted class per image, in set order. */
  predicted: Uint8Array;
  /** Softmax probabilities, row-major [count × 10]. */
  probabilities: Float32Array;
}

export interface ClassMetrics {
  /** Row-major 10×10, rows = true class, columns = predicted class. */
  confusion: number[];
  precision: number[];
  recall: number[];
  f1: number[];
}

/**
 * Forward `images` ([count, 28, 28, 1] float32) through the model in inference mode, in chunks of
 * `batchSize` (large chunks amortise per-op overhead; 1,000 keeps activations ≈ 20 MB). The chunk
 * is handed to predict as its batch size too: predict otherwise splits any input into batches of
 * 32, where per-call overhead dominates. `npm run bench -- engine` measures the evaluation's
 * images/s (its `eval img/s` column) and checks inference against its target.
 */
export function evaluateModel(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  labels: Uint8Array,
  batchSize = 1000,
): Evaluation {
  const count = images.shape[0];
  if (labels.length !== count) throw new Error(`evaluateModel: ${count} images but ${labels.length} labels`);
  const probabilities = new Float32Array(count * CLASS_COUNT);
  const predicted = new Uint8Array(count);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [probs, loss] = tf.tidy(() => {
      const x = images.slice([start, 0, 0, 0], [n, -1, -1, -1]);
      const logits = model.predict(x, { batchSize: n }) as tf.Tensor2D;
      const y = tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(start, start + n)), 'int32'), CLASS_COUNT);
      const lossTotal = dataLoss(model, y, logits, tf.Reduction.SUM);
      return [tf.softmax(logits), lossTotal] as const;
    });
    probabilities.set(probs.dataSync() as Float32Array, start * CLASS_COUNT);
    lossSum += (loss.dataSync() as Float32Array)[0];
    tf.dispose([probs, loss]);
    for (let i = start; i < start + n; i++) {
      const cls = argmaxRow(probabilities, i);
      predicted[i] = cls;
      if (cls === labels[i]) correct++;
    }
  }
  return { loss: lossSum / count, accuracy: correct / count, predicted, probabilities };
}

/** First index of the largest of the 10 values in row `row` (NaN rows give class 0). */
function argmaxRow(values: Float32Array, row: number): number {
  const base = row * CLASS_COUNT;
  let best = 0;
  for (let c = 1; c < CLASS_COUNT; c++) if (values[base + c] > values[base + best]) best = c;
  return best;
}

/** Row-major confusion matrix: rows = true class, columns = predicted class. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>): number[] {
  const m = new Array<number>(CLASS_COUNT * CLASS_COUNT).fill(0);
  for (let i = 0; i < labels.length; i++) m[labels[i] * CLASS_COUNT + predicted[i]]++;
  return m;
}

/**
 * Precision (of column c), recall (of row c) and F1 per class. A class never predicted has
 * precision 0, one never present has recall 0 (scikit-learn's zero_division=0).
 */
export function classMetrics(confusion: number[]): ClassMetrics {
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    const tp = confusion[c * CLASS_COUNT + c];
    let predictedC = 0;
    let actualC = 0;
    for (let k = 0; k < CLASS_COUNT; k++) {
      predictedC += confusion[k * CLASS_COUNT + c];
      actualC += confusion[c * CLASS_COUNT + k];
    }
    const p = predictedC > 0 ? tp / predictedC : 0;
    const r = actualC > 0 ? tp / actualC : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
  }
  return { confusion, precision, recall, f1 };
}
