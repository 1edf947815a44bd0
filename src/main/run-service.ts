/**
 * Starting, queueing and stopping runs, and the one path every trainer event takes: into the store
 * (one transaction per event, so a crash loses at most the event in flight), then to the window
 * without the 10,000-row arrays. The desktop app and the CLI both use this class.
 */
import type { StartRunRequest } from '../shared/api';
import type { KeepCheckpoints } from '../shared/inspect';
import type { RunSummary } from '../shared/runs';
import {
  batchPointOf,
  changesRunRow,
  epochRowOf,
  isFinalEvent,
  type BackendName,
  type RunEvent,
  type StoredDelta,
  type RunEventPayload,
  type TrainerEvent,
} from '../shared/training';
import { runCheckpointDir, type Store } from './store';
import { getSummaries } from './store/runs';
import type { StartOptions, TrainerSupervisor } from './trainer/supervisor';
import { StudioError } from './errors';

export interface RunServiceOptions {
  store: Store;
  supervisor: TrainerSupervisor;
  /** Each run's checkpoints go to `<checkpointRoot>/run-<id>`. */
  checkpointRoot: string;
  /** The dataset folder the user chose, read when a run starts. */
  dataDir(): string | undefined;
  cacheDir: string;
  /** Where renderer-sized events go (the window, or the CLI's progress printer). */
  publish(event: RunEvent): void;
  /** Force a backend (tests, bench); default the fastest that loads. */
  backend?: BackendName;
  /** Runs training at once; the rest wait as `queued`. One fits a 2-core machine. */
  concurrency?: number;
  /** Batch events every N batches. */
  batchEvery?: number;
  /** Log store write failures (the run goes on; the next event may succeed). */
  onError?(message: string): void;
}

/** The event as the renderer receives it: prediction arrays and test labels stay in main. */
export function forRenderer(event: Exclude<TrainerEvent, { type: 'snapshot' }>): RunEventPayload {
  if (event.type === 'evaluation') {
    const { predicted: _p, probabilities: _q, ...rest } = event;
    return rest;
  }
  if (event.type === 'started') {
    const { testLabels: _l, ...rest } = event;
    return rest;
  }
  return event;
}

/** What the store now holds because of `event`, in the shapes the window reads it in. */
function storedDelta(store: Store, id: number, event: TrainerEvent): StoredDelta | undefined {
  if (event.type === 'batch') return { batchPoint: batchPointOf(event) };
  if (!changesRunRow(event)) return undefined;
  const [summary] = store.run(getSummaries, [id]);
  return event.type === 'epoch' ? { summary, epochRow: epochRowOf(event) } : { summary };
}

export class RunService {
  private readonly queue: number[] = [];
  private readonly active = new Set<number>();
  /** `--keep-checkpoints` of runs not started yet (not a hyperparameter: it changes no result). */
  private readonly keepCheckpoints = new Map<number, KeepCheckpoints>();
  /** Resolves when a run reaches a final event (CLI waits on it). */
  private readonly finished = new Map<number, { promise: Promise<TrainerEvent>; resolve(e: TrainerEvent): void }>();

  constructor(private readonly options: RunServiceOptions) {}

  /** Record a run as queued and start it as soon as a trainer slot is free. */
  start(request: StartRunRequest): RunSummary {
    const { store } = this.options;
    const id = store.createRun(request.config, {
      name: request.name,
      preset: request.preset,
      tags: request.tags,
      notes: request.notes,
    });
    let resolve!: (e: TrainerEvent) => void;
    const promise = new Promise<TrainerEvent>((r) => (resolve = r));
    this.finished.set(id, { promise, resolve });
    if (request.keepCheckpoints) this.keepCheckpoints.set(id, request.keepCheckpoints);
    this.queue.push(id);
    this.pump();
    return store.getRun(id);
  }

  /** Stop after the current batch; a queued run is marked stopped without ever starting. */
  stop(id: number): { id: number } {
    const queued = this.queue.indexOf(id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.keepCheckpoints.delete(id);
      this.handle(id, { type: 'stopped', epochs: 0 });
      return { id };
    }
    if (!this.active.has(id)) {
      const run = this.options.store.getRun(id); // throws not-found for an unknown id
      throw new StudioError('conflict', `Run #${id} is not training (it is ${run.status}).`);
    }
    this.options.supervisor.stop(id);
    return { id };
  }

  /** The final event of a run started by this service. */
  whenFinished(id: number): Promise<TrainerEvent> {
    const entry = this.finished.get(id);
    if (!entry) throw new Error(`run ${id} was not started here`);
    return entry.promise;
  }

  isActive(id: number): boolean {
    return this.active.has(id) || this.queue.includes(id);
  }

  /** Stop everything (app quit): running runs end `stopped` after their batch, queued ones too. */
  async shutdown(): Promise<void> {
    for (const id of [...this.queue]) this.stop(id);
    await this.options.supervisor.stopAll();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 1;
    while (this.active.size < limit && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.launch(id);
    }
  }

  private launch(id: number): void {
    const { store, supervisor, checkpointRoot } = this.options;
    const run = store.getRun(id);
    this.active.add(id);
    const start: StartOptions = {
      config: run.config,
      dataDir: this.options.dataDir(),
      cacheDir: this.options.cacheDir,
      checkpointDir: runCheckpointDir(checkpointRoot, id),
      backend: this.options.backend,
      batchEvery: this.options.batchEvery,
      keepCheckpoints: this.keepCheckpoints.get(id),
    };
    this.keepCheckpoints.delete(id);
    try {
      supervisor.start(id, start, (event) => this.handle(id, event));
    } catch (err) {
      this.handle(id, { type: 'failed', error: `the trainer could not start: ${(err as Error).message}` });
    }
  }

  private handle(id: number, event: TrainerEvent): void {
    const { store } = this.options;
    let stored: StoredDelta | undefined;
    try {
      store.recordEvent(id, event); // 'started' also files the test labels for prediction queries
      stored = storedDelta(store, id, event);
    } catch (err) {
      this.options.onError?.(`run ${id}: could not record ${event.type}: ${(err as Error).message}`);
    }
    // A snapshot is for the inspector's epoch slider, which reads it from the store when asked.
    if (event.type !== 'snapshot')
      this.options.publish({ runId: id, event: forRenderer(event), ...(stored && { stored }) });
    if (isFinalEvent(event)) {
      this.active.delete(id);
      this.finished.get(id)?.resolve(event);
      this.pump();
    }
  }
}
