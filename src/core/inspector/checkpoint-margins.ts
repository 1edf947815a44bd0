/**
 * The final network's margins for a run recorded before trainers kept per-image margins (issue
 * 26): its last checkpoint evaluated over exactly the training images it trained on (the same
 * split, subset and left-out images as its trainer, from `trainingPlan`), margin = given label's
 * logit − largest other logit, as the trainer records it (margins.ts) but once, in inference mode,
 * for the final weights: not an area under the margin over training, and the audit says so.
 */
import * as tf from '@tensorflow/tfjs';
import { holdsTrainingFiles, IMAGE_PIXELS, loadFashionMnist, type FashionMnist } from '../dataset';
import { imagesToTensor, MarginRecorder, marginRows, trainingPlan } from '../engine';
import { StudioError } from '../errors';
import type { CheckpointMargins, CheckpointMarginsInput } from './protocol';

/** Images per forward pass (bounded memory: 1,000 images are a 3 MB input). */
const BATCH = 1000;

export async function checkpointMargins(
  model: tf.LayersModel,
  input: CheckpointMarginsInput,
  onProgress: (progress: { share: number; stage: string }) => void,
): Promise<CheckpointMargins> {
  onProgress({ share: 0, stage: 'reading the training images' });
  const data = await trainingFile(input);
  const plan = trainingPlan(input.config, data, input.leftOut);
  const { trainSet, trainIndices } = plan;
  const recorder = new MarginRecorder(trainIndices, data.train.labels);
  for (let start = 0; start < trainSet.count; start += BATCH) {
    const size = Math.min(BATCH, trainSet.count - start);
    const part = {
      images: trainSet.images.subarray(start * IMAGE_PIXELS, (start + size) * IMAGE_PIXELS),
      labels: trainSet.labels.subarray(start, start + size),
      count: size,
    };
    const rows = tf.tidy(() => {
      const logits = model.predict(imagesToTensor(part)) as tf.Tensor2D;
      const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from(part.labels), 'int32'), 10).toFloat() as tf.Tensor2D;
      return marginRows(logits, oneHot);
    });
    const values = rows.dataSync() as Float32Array;
    rows.dispose();
    recorder.add(
      Array.from({ length: size }, (_, k) => start + k),
      values,
    );
    const done = start + size;
    onProgress({
      share: done / trainSet.count,
      stage: `margins of ${done.toLocaleString('en-US')} of ${trainSet.count.toLocaleString('en-US')} training images`,
    });
  }
  const { sums, believed, labels } = recorder.endEpoch(1);
  return { sums, believed, labels };
}

/** The first location whose training files are the run's; a clear error when none is. */
async function trainingFile(input: CheckpointMarginsInput): Promise<FashionMnist> {
  const problems: string[] = [];
  for (const location of input.locations) {
    try {
      const data = await loadFashionMnist({ ...location, allowDownload: false });
      if (holdsTrainingFiles(data, input.trainFiles)) return data;
      problems.push(`${data.identity.dir} holds other training files`);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  throw new StudioError(
    'not-found',
    `The training files this run trained on were not found (${problems.join('; ')}): its margins cannot be computed.`,
  );
}
