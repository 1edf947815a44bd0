/**
 * What a training run reports. The trainer process emits `TrainerEvent`s; the run service stores
 * each one and forwards a renderer-sized copy (`RunEvent`, ./run-events.ts) to the window.
 * Payloads are plain objects, arrays and typed arrays only: they cross Electron's structured clone
 * and the test bridge unchanged.
 */
import type { Hyperparams } from './hyperparams';
import type { LrPoint, LrRangeOptions, LrStopReason, LrSuggestion } from './lr-range';

/** `--keep-checkpoints`: best and last only (default), or every epoch's model as well. */
export const KEEP_CHECKPOINTS = ['best-last', 'all'] as const;
export type KeepCheckpoints = (typeof KEEP_CHECKPOINTS)[number];

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const DATASET_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];

/** Where the data came from and whether it is byte-for-byte the official FashionMNIST. */
export interface DatasetIdentity {
  source: 'user' | 'cache' | 'system' | 'download';
  dir: string;
  /** SHA-256 of each *decompressed* file. */
  sha256: Record<DatasetFile, string>;
  /** False: valid IDX, but not the official FashionMNIST; every run using it is flagged. */
  official: boolean;
}

/**
 * The images the user marked "label is wrong" on one training file (the label audit's marks,
 * keyed by the SHA-256 of its images and labels files), for a run that leaves them out.
 */
export interface MarkedImages {
  imagesSha256: string;
  labelsSha256: string;
  /** Indices in the training file, ascending. */
  indices: number[];
}

/** Commands main sends to a trainer process. */
export type TrainerCommand =
  | {
      type: 'start';
      runId: number;
      config: Hyperparams;
      /** A folder the user chose; otherwise the usual search order applies. */
      dataDir?: string;
      /** App cache folder for downloaded data. */
      cacheDir?: string;
      /** Where this run's checkpoints go (one folder per run). */
      checkpointDir?: string;
      /** Force a backend (`--backend`, tests, bench); default: the fastest by measurement. */
      backend?: BackendName;
      /** Emit a `batch` event every N batches. */
      batchEvery?: number;
      /** Continue from `<checkpointDir>/last` (a resumed or extended run). */
      resume?: boolean;
      /** `all`: keep every epoch's checkpoint too (default best and last). */
      keepCheckpoints?: KeepCheckpoints;
      /**
       * Compute threads for this trainer, exactly (capped at the machine's cores): a supervisor
       * running several trainers at once passes 1. Without it: $LENET5_THREADS (the CLI's
       * `--threads`), else `maxThreads`, else every core; one for batches under 128 images
       * unless set exactly (see core/trainer/threads.ts).
       */
      threads?: number;
      /**
       * After completing one of these epochs (its checkpoints written), wait for main's verdict:
       * `continue`, or `stop` to end there (a sweep's successive-halving rungs). Judging takes
       * main a moment; waiting makes "stop after that epoch" exact instead of racing the next one.
       */
      verdictAfterEpochs?: number[];
      /** The app's thread cap (its `app:max-threads` setting) for a trainer that runs alone. */
      maxThreads?: number;
      /** The backend-choice cache file (core/engine/backend/choice.ts); without it, every start measures. */
      backendChoiceFile?: string;
      /** Run a learning-rate range test (shared/lr-range.ts) of `config` instead of training it. */
      lrRangeTest?: LrRangeOptions;
      /**
       * For `config.excludeMarked`: the marked images of each training file main knows marks on
       * (the trainer uses those of the file it loads), or, for a resumed run, exactly the images
       * it left out when it started.
       */
      markedWrong?: MarkedImages[];
    }
  | { type: 'stop' }
  /** Go on past a verdict epoch. */
  | { type: 'continue' };

/** The trainer events that end a run; after one, a trainer sends nothing more. */
export const FINAL_EVENT_TYPES = ['completed', 'stopped', 'diverged', 'failed'] as const;
export type FinalStatus = (typeof FINAL_EVENT_TYPES)[number];

/** A final event: the run has ended, and its trainer sends nothing more. */
export function isFinalEvent<E extends { type: string }>(event: E): event is Extract<E, { type: FinalStatus }> {
  return (FINAL_EVENT_TYPES as readonly string[]).includes(event.type);
}

export type TrainerEvent =
  | { type: 'status'; message: string }
  | {
      type: 'started';
      backend: BackendName;
      tfjsVersion: string;
      /** How the backend was chosen: `wasm ×1 thread, chosen by measurement wasm 4,900 vs tensorflow 3,100 img/s`. */
      backendChoice?: string;
      dataset: DatasetIdentity;
      trainSize: number;
      validationSize: number;
      testSize: number;
      epochs: number;
      batchesPerEpoch: number;
      parameterCount: number;
      /** The test set's labels in order (10,000 bytes), so the store can answer prediction queries. */
      testLabels?: Uint8Array;
      /**
       * With `excludeMarked`: the training-file indices left out of this run's training images,
       * ascending (possibly none). Recorded with the run, so it is known after the marks change.
       */
      leftOut?: Uint32Array;
    }
  | {
      type: 'batch';
      epoch: number; // 1-based
      batch: number; // 1-based within the epoch
      batchesPerEpoch: number;
      loss: number;
      accuracy: number;
      imagesPerSec: number;
    }
  | {
      type: 'epoch';
      epoch: number; // 1-based
      trainLoss: number;
      trainAccuracy: number;
      validationLoss: number | null;
      validationAccuracy: number | null;
      testLoss: number;
      testAccuracy: number;
      learningRate: number;
      seconds: number;
      imagesPerSec: number;
    }
  | {
      type: 'evaluation';
      epoch: number;
      /** `best`: the best epoch so far (by validation accuracy, else test); `final`: the last. */
      role: 'best' | 'final';
      /** Row-major 10×10, rows = true class, columns = predicted class. */
      confusion: number[];
      precision: number[];
      recall: number[];
      f1: number[];
      /** Predicted class of each test image, in test-set order. */
      predicted: Uint8Array;
      /** 10 probabilities per test image, row-major [testSize × 10]. */
      probabilities: Float32Array;
    }
  | { type: 'checkpoint'; epoch: number; role: 'best' | 'last'; path: string }
  | EpochSnapshotEvent
  /** A learning-rate range test's batch (shared/lr-range.ts). */
  | ({ type: 'lr-point' } & LrPoint)
  /** A range test's outcome, sent once before its final event. */
  | ({ type: 'lr-range-result'; stopReason: LrStopReason; steps: number } & LrSuggestion)
  /** `range-test`: a learning-rate range test that ran to its end (its stopReason says which). */
  | MarginsEvent
  | { type: 'completed'; epochs: number; reason: 'epochs' | 'early-stopping' | 'range-test' }
  /** `reason`: why main stopped it, when not at the user's request (successive halving). */
  | { type: 'stopped'; epochs: number; reason?: string }
  | { type: 'diverged'; epoch: number; batch: number; loss: number }
  | { type: 'failed'; error: string };

/**
 * What a run keeps of each epoch for the inspector's epoch slider (sent after `epoch`): C1 and C3
 * kernels and biases ([out][in][5][5], 2,572 numbers), the test confusion, and each test image's
 * predicted class and true-class probability quantised to round(15·p).
 */
export interface EpochSnapshotEvent {
  type: 'snapshot';
  epoch: number;
  kernels: Float32Array;
  confusion: number[];
  predicted: Uint8Array;
  trueProbability: Uint8Array;
}

/**
 * Area under the margin so far (core/engine/margins.ts), sent after `epoch`: per image of the
 * dataset's training file, in file order, the sum over `epochs` epochs of (its label's logit −
 * the largest other logit). For the label audit; main stores it and sends it to no window.
 */
export interface MarginsEvent {
  type: 'margins';
  epoch: number;
  /** Epochs summed into `sums` (the run's epochs so far, resumed ones included). */
  epochs: number;
  /** NaN for an image this run does not train on (validation, outside its subset). */
  sums: Float32Array;
  /** The class of the largest other logit at the image's latest epoch; 255 when not trained on. */
  believed: Uint8Array;
  /** The labels it trained with (the training file's, in file order). */
  labels: Uint8Array;
}
