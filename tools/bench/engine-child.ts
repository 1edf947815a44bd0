/**
 * One engine-bench measurement, in a fresh process forked by engine.ts: `tsx engine-child.ts
 * --engine-bench-child JOB_JSON`. Answers one ChildMessage over IPC and exits.
 */
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { randomDataset } from '../../src/core/dataset';
import { PRESETS } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';
import { CHILD_FLAG, type ChildJob, type ChildMessage, type ChildResult } from './engine';

type Tf = typeof import('@tensorflow/tfjs');
type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;

const EPOCH_IMAGES = 60_000;
const TEST_IMAGES = 10_000;

async function measure(job: ChildJob): Promise<ChildResult> {
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend, train, evaluateModel, imagesToTensor, buildLeNet5 } = await import('../../src/core/engine');
  tf.enableProdMode();
  const backend = await selectBackend(job.backend, { threads: job.threads });
  const { dataset, data } = await benchDataset(job.dataDir);
  const preset = PRESETS[job.network];
  const config = {
    ...preset,
    batchSize: job.batchSize,
    epochs: 1,
    // The measured epoch trains on all 60,000 images; a slice keeps the preset's split so the
    // process holds what a real run holds (for the RSS figure).
    validationFraction: job.fullEpoch ? 0 : preset.validationFraction,
    trainSubset: 0,
    ...job.recipe,
  };

  // Training: the real loop; `batch` events every batch, timed after the warm-up.
  let timedImages = 0;
  let timedSeconds = 0;
  let batchesSeen = 0;
  let measured: EpochEvent | null = null;
  const stopAfter = job.warmupBatches + job.timedBatches;
  await train({
    config,
    dataset,
    backend,
    batchEvery: 1,
    emit: (event) => {
      if (event.type === 'batch') {
        batchesSeen = event.batch;
        if (event.batch > job.warmupBatches) {
          timedImages += job.batchSize;
          timedSeconds += job.batchSize / event.imagesPerSec;
        }
      } else if (event.type === 'epoch') {
        measured = event;
      }
    },
    stopRequested: () => !job.fullEpoch && batchesSeen >= stopAfter,
  });
  const trainImagesPerSec = timedImages / timedSeconds;

  // Inference on the test set with a fresh model (speed does not depend on the weights); the cpu
  // backend gets the first 1,000 images only, or this would take minutes.
  const model = buildLeNet5(preset.model, preset.seed);
  const evalCount = job.backend === 'cpu' ? Math.min(1000, dataset.test.count) : dataset.test.count;
  const evalSet = {
    images: dataset.test.images.subarray(0, evalCount * 784),
    labels: dataset.test.labels.subarray(0, evalCount),
    count: evalCount,
  };
  const testImages = imagesToTensor(evalSet);
  const timeEval = (batch: number): number => {
    evaluateModel(model, testImages, evalSet.labels, batch); // warm-up pass
    const start = performance.now();
    evaluateModel(model, testImages, evalSet.labels, batch);
    return (evalCount * 1000) / (performance.now() - start);
  };
  const evalImagesPerSec = timeEval(1000);
  const inferImagesPerSec = timePredict(tf, model, testImages, job.batchSize);
  testImages.dispose();
  model.dispose();

  const epoch = measured as EpochEvent | null;
  return {
    tfjsVersion: backend.tfjsVersion,
    trainImagesPerSec: epoch ? epoch.imagesPerSec : trainImagesPerSec,
    inferImagesPerSec,
    evalImagesPerSec,
    epochSeconds: epoch ? epoch.seconds : EPOCH_IMAGES / trainImagesPerSec + TEST_IMAGES / evalImagesPerSec,
    epochMethod: epoch ? 'measured' : 'extrapolated',
    trainImagesTimed: epoch ? EPOCH_IMAGES : timedImages,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    data,
  };
}

/**
 * `model.predict` at `batch` images per call (predict's own batch size too, or it splits them into
 * 32s), argmax read back.
 */
function timePredict(tf: Tf, model: LayersModel, images: Tensor4D, batch: number): number {
  const count = images.shape[0];
  const pass = (): void => {
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      tf.tidy(() =>
        (model.predict(images.slice([start, 0, 0, 0], [n, -1, -1, -1]), { batchSize: n }) as Tensor)
          .argMax(-1)
          .dataSync(),
      );
    }
  };
  pass();
  const start = performance.now();
  pass();
  return (count * 1000) / (performance.now() - start);
}

/** The real data when it can be found without downloading; otherwise random images (noted). */
async function benchDataset(dataDir?: string) {
  const { loadFashionMnist } = await import('../../src/core/dataset');
  try {
    return { dataset: await loadFashionMnist({ dataDir, allowDownload: false }), data: 'fashion-mnist' as const };
  } catch {
    return { dataset: randomDataset(60_000, 10_000, '(synthetic)'), data: 'synthetic' as const };
  }
}

if (process.argv[2] === CHILD_FLAG && process.send) {
  const send = (message: ChildMessage, code: number) => process.send!(message, () => process.exit(code));
  measure(JSON.parse(process.argv[3]) as ChildJob).then(
    (result) => send({ ok: true, result }, 0),
    (err: unknown) => send({ ok: false, error: err instanceof Error ? err.message : String(err) }, 1),
  );
}
