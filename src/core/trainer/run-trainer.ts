/**
 * What a trainer process does with a `start` command: pick the backend, load the data, train,
 * and turn every failure into a `failed` event whose message says what went wrong (dataset
 * errors name the file). Loaded lazily by ./process.ts so its IPC listener is up first.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetIdentity, MarkedImages, TrainerCommand, TrainerEvent } from '../../shared/training';
import {
  ChoiceCache,
  chooseBackend,
  choiceKey,
  fusedStepConfigured,
  lrRangeTest,
  measureTrainingSpeed,
  selectBackend,
  train,
  type BackendChoice,
} from '../engine';
import { loadFashionMnist } from '../dataset';
import { trainerThreads } from './threads';

export type StartCommand = Extract<TrainerCommand, { type: 'start' }>;
export type FinalTrainerEvent = Extract<TrainerEvent, { type: 'completed' | 'stopped' | 'diverged' | 'failed' }>;

export interface TrainerIo {
  emit(event: TrainerEvent): void;
  stopRequested(): boolean;
  /** Aborted when a stop arrives (cancels a dataset download in progress). */
  stopSignal?: AbortSignal;
  /** Resolves at main's verdict after a `verdictAfterEpochs` epoch (a `continue` or a `stop`). */
  waitForVerdict?(): Promise<void>;
}

/** Run one start command to its final event (emitted, and returned). Never throws. */
export async function runTrainer(command: StartCommand, io: TrainerIo): Promise<FinalTrainerEvent> {
  const fail = (error: string): FinalTrainerEvent => {
    const event: FinalTrainerEvent = { type: 'failed', error };
    io.emit(event);
    return event;
  };
  try {
    // tfjs's "install tfjs-node" banner and kernel warnings would only clutter the app's log.
    tf.enableProdMode();
    const choice = await chooseTrainerBackend(command, (message) => io.emit({ type: 'status', message }));
    io.emit({ type: 'status', message: `Backend: ${choice.description} (tfjs ${choice.backend.tfjsVersion})` });

    const dataset = await loadFashionMnist({
      dataDir: command.dataDir,
      cacheDir: command.cacheDir,
      onStatus: (message) => io.emit({ type: 'status', message }),
      signal: io.stopSignal,
    });
    if (io.stopRequested()) {
      const event: FinalTrainerEvent = { type: 'stopped', epochs: 0 };
      io.emit(event);
      return event;
    }
    const markedWrong = marksOnFile(command.markedWrong, dataset.identity);
    if (command.lrRangeTest)
      return await lrRangeTest({
        config: command.config,
        range: command.lrRangeTest,
        dataset,
        markedWrong,
        backend: choice.backend,
        backendChoice: choice.description,
        emit: io.emit,
        stopRequested: io.stopRequested,
      });
    return await train({
      config: command.config,
      dataset,
      markedWrong,
      backend: choice.backend,
      backendChoice: choice.description,
      emit: io.emit,
      stopRequested: io.stopRequested,
      checkpointDir: command.checkpointDir,
      batchEvery: command.batchEvery,
      resume: command.resume,
      keepCheckpoints: command.keepCheckpoints,
      stepThreads: choice.backend.threads,
      ...(command.verdictAfterEpochs?.length &&
        io.waitForVerdict && { verdict: { epochs: command.verdictAfterEpochs, wait: io.waitForVerdict } }),
    });
  } catch (err) {
    if (io.stopRequested() && io.stopSignal?.aborted && isAbort(err)) {
      const event: FinalTrainerEvent = { type: 'stopped', epochs: 0 };
      io.emit(event);
      return event;
    }
    return fail(describeError(err));
  }
}

/** The marked images of the training file the trainer loaded (marks on other files do not apply). */
export function marksOnFile(marks: readonly MarkedImages[] | undefined, identity: DatasetIdentity): number[] {
  const images = identity.sha256['train-images-idx3-ubyte'];
  const labels = identity.sha256['train-labels-idx1-ubyte'];
  return marks?.find((m) => m.imagesSha256 === images && m.labelsSha256 === labels)?.indices ?? [];
}

/**
 * Threads for the wasm backend. A run the fused step trains (step-runner.ts) takes the trainer's
 * thread count without its small-batch rule: that rule is about XNNPACK's per-kernel threads,
 * while the fused step splits whole images over two threads, which pays at batch 32 (and its
 * evaluations run on XNNPACK at large batches, where threads pay too).
 */
function wasmThreads(command: StartCommand): number {
  return fusedStepConfigured(command.config)
    ? trainerThreads({ threads: command.threads, maxThreads: command.maxThreads })
    : trainerThreads(command);
}

/** The start command's backend: forced, cached, or measured now on the run's configuration. */
async function chooseTrainerBackend(command: StartCommand, say: (message: string) => void): Promise<BackendChoice> {
  const threads = trainerThreads(command);
  return chooseBackend({
    forced: command.backend,
    key: choiceKey(command.config, threads, tf.version.tfjs),
    cache: command.backendChoiceFile ? new ChoiceCache(command.backendChoiceFile, say) : undefined,
    load: (name) => selectBackend(name, { threads: name === 'wasm' ? wasmThreads(command) : threads }),
    measure: (backend) => {
      say(`Measuring ${backend.name} on this run's configuration…`);
      return measureTrainingSpeed(command.config, backend, { stepThreads: backend.threads });
    },
  });
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || /abort/i.test(err.message));
}

/**
 * The message a person can act on; unexpected errors keep their class name for the bug report,
 * and a full disk says so first (the OS's words alone, "ENOSPC … write", name no cause).
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const text = err.name === 'Error' || err.name === 'DatasetError' ? err.message : `${err.name}: ${err.message}`;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? `the disk is full (${text})` : text;
}
