/**
 * Starting, queueing and stopping runs, and the one path every trainer event takes: into the store
 * (one transaction per event, so a crash loses at most the event in flight), then to the window
 * without the 10,000-row arrays. The desktop app and the CLI both use this class.
 */
import type { FindLrRequest, StartRunRequest } from '../../shared/api';
import type { KeepCheckpoints, MarkedImages } from '../../shared/training';
import type { RunSummary } from '../../shared/runs';
import { isFinalEvent, type BackendName, type TrainerEvent } from '../../shared/training';
import {
  batchPointOf,
  changesRunRow,
  epochRowOf,
  type RunEvent,
  type StoredDelta,
  type RunEventPayload,
} from '../../shared/run-events';
import { runCheckpointDir } from '../paths';
import type { Store } from '../store';
import type { StartOptions, TrainerSupervisor } from '../trainer';
import { StudioError } from '../errors';
import { checkResumable } from './resume-policy';

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
  /**
   * Runs training at once (read at every start, so a settings change applies to the next one);
   * the rest wait as `queued`. A run queued with its own limit (a sweep's) uses that instead.
   */
  concurrency?: number | (() => number);
  /** Batch events every N batches. */
  batchEvery?: number;
  /** The thread cap for a trainer running alone (the app's setting; read at every start). */
  maxThreads?: () => number | undefined;
  /** The backend-choice cache (core/engine/backend/choice.ts) every trainer reads and adds to. */
  backendChoiceFile?: string;
  /** Log store write failures (the run goes on; the next event may succeed). */
  onError?(message: string): void;
}

/** The event as the renderer receives it: prediction arrays and test labels stay in main. */
export function forRenderer(event: Exclude<TrainerEvent, { type: 'snapshot' | 'margins' }>): RunEventPayload {
  if (event.type === 'evaluation') {
    const { predicted: _p, probabilities: _q, ...rest } = event;
    return rest;
  }
  if (event.type === 'started') {
    const { testLabels: _l, leftOut, ...rest } = event;
    return leftOut ? { ...rest, leftOutCount: leftOut.length } : rest;
  }
  return event;
}

/**
 * Store `event`; what the store now holds because of it, in the shapes the window reads it in.
 * Progress text (`status` events) is for the window only: nothing is stored, nothing to send.
 */
function record(store: Store, id: number, event: TrainerEvent): StoredDelta | undefined {
  if (event.type === 'status') return undefined;
  const status = store.recordEvent(id, event); // 'started' also files the test labels for prediction queries
  if (event.type === 'batch') return { status, batchPoint: batchPointOf(event) };
  if (!changesRunRow(event)) return { status };
  const [summary] = store.runSummaries([id]);
  return event.type === 'epoch' ? { status, summary, epochRow: epochRowOf(event) } : { status, summary };
}

const maxThreadsOption = (cap: number | undefined): { maxThreads?: number } =>
  cap === undefined ? {} : { maxThreads: cap };

/** Options of one queued run. */
export interface QueueOptions {
  /** Trainers at once while this run waits to start (a sweep's `parallel`). */
  parallel?: number;
  /** `--keep-checkpoints` (not a hyperparameter: it changes no result). */
  keepCheckpoints?: KeepCheckpoints;
  /** A sweep's successive halving: the run is judged after each rung epoch. */
  halving?: RungJudge;
}

/** Successive-halving rungs and the judge of a run that completed one (sweep-service.ts). */
export interface RungJudge {
  epochs: readonly number[];
  /** Why the run must stop after `epoch` (its epoch row is stored by then), or null to go on. */
  judge(runId: number, epoch: number): string | null;
}

/**
 * The images a run with `excludeMarked` leaves out: a resumed run exactly those it left out when
 * it started (recorded then), so its training set does not change with the marks; otherwise the
 * marks as they are now, per training file (the trainer takes those of the file it loads).
 */
export function markedWrongFor(
  store: Pick<Store, 'leftOutOf' | 'markedWrongByFile'>,
  id: number,
  resume: boolean,
): MarkedImages[] {
  const recorded = resume ? store.leftOutOf(id) : null;
  return recorded ? [recorded] : store.markedWrongByFile();
}

export class RunService {
  private readonly queue: number[] = [];
  private readonly active = new Set<number>();
  private readonly queueOptions = new Map<number, QueueOptions>();
  /** Queued runs that continue from their last checkpoint. */
  private readonly resuming = new Set<number>();
  /** Training runs judged at rung epochs, and why a judged run was stopped. */
  private readonly judges = new Map<number, RungJudge>();
  private readonly stopReasons = new Map<number, string>();
  /** Resolves when a run reaches a final event (CLI waits on it). */
  private readonly finished = new Map<number, { promise: Promise<TrainerEvent>; resolve(e: TrainerEvent): void }>();

  constructor(private readonly options: RunServiceOptions) {}

  /** Record a run as queued and start it as soon as a trainer slot is free. */
  start(request: StartRunRequest, queueOptions: QueueOptions = {}): RunSummary {
    const { store } = this.options;
    const id = store.createRun(request.config, {
      name: request.name,
      preset: request.preset,
      tags: request.tags,
      notes: request.notes,
    });
    this.enqueue(id, { ...queueOptions, keepCheckpoints: request.keepCheckpoints });
    return store.getRun(id);
  }

  /**
   * Record a learning-rate range test of `request.config` (a run of kind `lr-range-test`) and
   * start it like a run: same queue, trainer, events and store.
   */
  findLearningRate(request: FindLrRequest): RunSummary {
    const { store } = this.options;
    const id = store.createLrRangeTest(request.config, request.range ?? {}, {
      name: `LR range test${request.preset ? ` (${request.preset})` : ''}`,
      preset: request.preset,
    });
    this.enqueue(id, {});
    return store.getRun(id);
  }

  /**
   * Continue a stopped, interrupted or failed run from its last checkpoint, or (with `epochs`)
   * extend a run to that many epochs. Refused with the reason (code `conflict`) when the run is
   * training, completed (without `epochs`), diverged, has no checkpoint, or its checkpoint has no
   * or another configuration's optimizer state.
   */
  resume(id: number, epochs?: number): RunSummary {
    const { store } = this.options;
    const run = store.getRun(id); // not-found for an unknown id
    const plan = checkResumable(run, { active: this.isActive(id), epochs });
    store.requeueForResume({ id, config: plan.config, fromEpoch: plan.fromEpoch });
    this.resuming.add(id);
    this.enqueue(id, {});
    return store.getRun(id);
  }

  private enqueue(id: number, queueOptions: QueueOptions): void {
    let resolve!: (e: TrainerEvent) => void;
    const promise = new Promise<TrainerEvent>((r) => (resolve = r));
    this.finished.set(id, { promise, resolve });
    this.queueOptions.set(id, queueOptions);
    this.queue.push(id);
    this.pump();
  }

  /** Trainers at once from the settings (or the constructor's fixed number). */
  get concurrency(): number {
    const c = this.options.concurrency ?? 1;
    return Math.max(1, typeof c === 'function' ? c() : c);
  }

  /** Stop after the current batch; a queued run is marked stopped without ever starting. */
  stop(id: number): { id: number } {
    const queued = this.queue.indexOf(id);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.queueOptions.delete(id);
      this.resuming.delete(id);
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

  /** Start queued runs, in order, while the first one's limit leaves a slot free. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const limit = this.queueOptions.get(head)?.parallel ?? this.concurrency;
      if (this.active.size >= limit) return;
      this.queue.shift();
      this.launch(head, limit);
    }
  }

  private launch(id: number, limit: number): void {
    const { store, supervisor, checkpointRoot } = this.options;
    const run = store.getRun(id);
    this.active.add(id);
    const { keepCheckpoints, halving } = this.queueOptions.get(id) ?? {};
    this.queueOptions.delete(id);
    // A rung at or after the run's last epoch stops nothing (a sweep may vary the epochs).
    const rungs = halving?.epochs.filter((e) => e < run.config.epochs) ?? [];
    if (halving && rungs.length) this.judges.set(id, { epochs: rungs, judge: halving.judge });
    const resume = this.resuming.delete(id);
    const start: StartOptions = {
      config: run.config,
      dataDir: this.options.dataDir(),
      cacheDir: this.options.cacheDir,
      checkpointDir: runCheckpointDir(checkpointRoot, id),
      backend: this.options.backend,
      batchEvery: this.options.batchEvery,
      ...(resume && { resume }),
      // Several trainers on few cores: one thread each, or they fight over the cores. One alone
      // gets every core, up to the setting (core/trainer/threads.ts).
      ...(limit > 1 ? { threads: 1 } : maxThreadsOption(this.options.maxThreads?.())),
      ...(this.options.backendChoiceFile && { backendChoiceFile: this.options.backendChoiceFile }),
      keepCheckpoints,
      ...(rungs.length && { verdictAfterEpochs: rungs }),
      ...(run.kind === 'lr-range-test' && { lrRangeTest: store.lrRangeSettings(id) ?? undefined }),
      ...(run.config.excludeMarked === 'wrong' && { markedWrong: markedWrongFor(store, id, resume) }),
    };
    try {
      supervisor.start(id, start, (event) => this.handle(id, event));
    } catch (err) {
      this.handle(id, { type: 'failed', error: `the trainer could not start: ${(err as Error).message}` });
    }
  }

  private handle(id: number, received: TrainerEvent): void {
    const { store } = this.options;
    const reason = this.stopReasons.get(id);
    const event: TrainerEvent = received.type === 'stopped' && reason ? { ...received, reason } : received;
    let stored: StoredDelta | undefined;
    try {
      stored = record(store, id, event);
    } catch (err) {
      this.options.onError?.(`run ${id}: could not record ${event.type}: ${(err as Error).message}`);
    }
    // A snapshot is for the inspector's epoch slider and margins for the label audit, which read
    // them from the store when asked.
    if (event.type !== 'snapshot' && event.type !== 'margins')
      this.options.publish({ runId: id, event: forRenderer(event), ...(stored && { stored }) });
    if (event.type === 'epoch') this.judgeRung(id, event.epoch);
    if (isFinalEvent(event)) {
      this.judges.delete(id);
      this.stopReasons.delete(id);
      this.active.delete(id);
      this.finished.get(id)?.resolve(event);
      this.pump();
    }
  }

  /** At a rung epoch the trainer waits: stop it there (recording why) or let it go on. */
  private judgeRung(id: number, epoch: number): void {
    const gate = this.judges.get(id);
    if (!gate?.epochs.includes(epoch)) return;
    let reason: string | null = null;
    try {
      reason = gate.judge(id, epoch);
    } catch (err) {
      // A judge that cannot read the store must not leave the trainer waiting: it goes on.
      this.options.onError?.(`run ${id}: could not judge epoch ${epoch}: ${(err as Error).message}`);
    }
    if (reason) {
      this.stopReasons.set(id, reason);
      this.options.supervisor.stop(id);
    } else {
      this.options.supervisor.continueRun(id);
    }
  }
}
