/** The training objective with label smoothing, and the plain cross-entropy reported beside it. */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean over the batch of −Σₖ tₖ·log softmax(z)ₖ with targets t = (1−ε)·y + ε/K (K classes):
 * written as (1−ε)·CE(y) + ε·(−mean_k log softmax(z)ₖ), so the plain cross-entropy CE(y) comes
 * out of the same log-softmax. Uses only ops every backend has (max, sub, exp, sum, log).
 * @param oneHot [batch, K] one-hot labels
 * @param logits [batch, K]
 * @param epsilon smoothing ε in [0, 1]
 */
export function smoothedCrossEntropy(
  oneHot: tf.Tensor,
  logits: tf.Tensor,
  epsilon: number,
): { objective: tf.Scalar; crossEntropy: tf.Scalar } {
  const logProbabilities = tf.logSoftmax(logits);
  const crossEntropy = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbabilities), -1))) as tf.Scalar;
  const uniform = tf.neg(tf.mean(logProbabilities)) as tf.Scalar;
  const objective = tf.add(tf.mul(crossEntropy, 1 - epsilon), tf.mul(uniform, epsilon)) as tf.Scalar;
  return { objective, crossEntropy };
}
