/**
 * Starts one trainer process per run, relays its events, stops it, and turns a trainer that dies
 * without a final event into a `failed` event. Electron-free: how a process is started is injected
 * (`forkTrainer`), so the app can use utilityProcess and the CLI and tests child_process.fork.
 *
 * Main must never crash because a trainer did: every callback into the owner is guarded, and a
 * process that errors, exits or is killed only ever produces events.
 */
import { isFinalEvent, type TrainerCommand, type TrainerEvent } from '../../shared/training';
import { childEntry, forkChild, type ChildHandle, type ForkChildOptions } from '../child';

/** A trainer process, whatever started it: commands go in, events come out. */
export type TrainerHandle = ChildHandle<TrainerCommand, TrainerEvent>;

export type ForkTrainer = () => TrainerHandle;

/** A start command without the fields the supervisor fills in. */
export type StartOptions = Omit<Extract<TrainerCommand, { type: 'start' }>, 'type' | 'runId'>;

export type RunEventListener = (runId: number, event: TrainerEvent) => void;

export interface TrainerSupervisorOptions {
  /** Default: `forkTrainerProcess()` (child_process.fork of the trainer entry). */
  forkTrainer?: ForkTrainer;
  /** Receives every run's events (in addition to the per-start listener). */
  onEvent?: RunEventListener;
  /** After a final event, how long the process may take to exit before it is killed. */
  exitGraceMs?: number;
  /** After `stop`, how long to wait for the trainer's `stopped` before killing it. */
  stopTimeoutMs?: number;
}

interface ActiveRun {
  handle: TrainerHandle;
  listener?: (event: TrainerEvent) => void;
  /** A final event has been relayed: nothing more is. */
  final: boolean;
  exited: boolean;
  /** Epochs completed so far (from `epoch` events), for a forced stop's `stopped` event. */
  epochs: number;
  stopRequested: boolean;
  timers: NodeJS.Timeout[];
  exitWaiters: (() => void)[];
}

export class TrainerSupervisor {
  /** Each run's newest trainer. */
  private readonly runs = new Map<number, ActiveRun>();
  /**
   * Trainers that sent their final event but have not exited yet, replaced in `runs` by a newer
   * trainer of the same run (Resume pressed right after a stop): app quit still waits for them.
   */
  private readonly replaced = new Set<ActiveRun>();
  private readonly forkTrainer: ForkTrainer;
  private readonly exitGraceMs: number;
  private readonly stopTimeoutMs: number;

  constructor(private readonly options: TrainerSupervisorOptions = {}) {
    this.forkTrainer = options.forkTrainer ?? (() => forkTrainerProcess());
    this.exitGraceMs = options.exitGraceMs ?? 3_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  }

  /**
   * Start a trainer for `runId` and send it the start command. Events go to `listener` and to
   * the constructor's `onEvent`. Throws if the run is already active or the process cannot be
   * created (nothing is left running then). A trainer that has sent its final event no longer
   * counts as the run's, even while its process is still exiting.
   */
  start(runId: number, options: StartOptions, listener?: (event: TrainerEvent) => void): void {
    const previous = this.runs.get(runId);
    if (previous && !previous.final) throw new Error(`run ${runId} already has a trainer`);
    const handle = this.forkTrainer();
    const run: ActiveRun = {
      handle,
      listener,
      final: false,
      exited: false,
      epochs: 0,
      stopRequested: false,
      timers: [],
      exitWaiters: [],
    };
    if (previous) this.replaced.add(previous);
    this.runs.set(runId, run);
    handle.onMessage((event) => this.onTrainerEvent(runId, run, event));
    handle.onExit((code, signal) => this.onTrainerExit(runId, run, code, signal));
    try {
      handle.postMessage({ type: 'start', runId, ...options });
    } catch (err) {
      this.safeKill(run);
      this.forget(runId, run);
      throw err;
    }
  }

  /** Ask the run's trainer to stop after its current batch. False if it is not running. */
  stop(runId: number): boolean {
    const run = this.runs.get(runId);
    if (!run || run.final) return false;
    if (run.stopRequested) return true;
    run.stopRequested = true;
    try {
      run.handle.postMessage({ type: 'stop' });
    } catch {
      // The channel is gone: the exit handler reports what happened.
    }
    // A trainer stuck outside the batch loop (e.g. a hung download) is stopped by force.
    run.timers.push(
      setTimeout(() => {
        if (run.final || run.exited) return;
        this.relay(runId, run, { type: 'stopped', epochs: run.epochs });
        this.safeKill(run);
      }, this.stopTimeoutMs),
    );
    return true;
  }

  /** Let a trainer waiting for a verdict (`verdictAfterEpochs`) go on. False if it is not running. */
  continueRun(runId: number): boolean {
    const run = this.runs.get(runId);
    if (!run || run.final || run.stopRequested) return false;
    try {
      run.handle.postMessage({ type: 'continue' });
    } catch {
      // The channel is gone: the exit handler reports what happened.
    }
    return true;
  }

  /** Stop every run and resolve when all their processes have exited. */
  async stopAll(): Promise<void> {
    const waits = [...this.replaced].map((run) => this.waitForExit(run));
    for (const [runId, run] of this.runs) {
      waits.push(this.waitForExit(run));
      this.stop(runId);
    }
    await Promise.all(waits);
  }

  /** The OS pid of the run's trainer, when the handle knows it. */
  pidOf(runId: number): number | undefined {
    return this.runs.get(runId)?.handle.pid;
  }

  isRunning(runId: number): boolean {
    const run = this.runs.get(runId);
    return run !== undefined && !run.final;
  }

  /** Runs whose trainer has not reported a final event yet. */
  get runningIds(): number[] {
    return [...this.runs].filter(([, run]) => !run.final).map(([id]) => id);
  }

  private onTrainerEvent(runId: number, run: ActiveRun, event: TrainerEvent): void {
    if (run.final) return; // e.g. a late status after the final event
    if (!event || typeof event !== 'object' || typeof (event as { type?: unknown }).type !== 'string') return;
    if (event.type === 'epoch') run.epochs = event.epoch;
    this.relay(runId, run, event);
  }

  private onTrainerExit(runId: number, run: ActiveRun, code: number | null, signal: string | null): void {
    if (run.exited) return;
    run.exited = true;
    for (const t of run.timers) clearTimeout(t);
    if (!run.final) {
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      this.relay(runId, run, { type: 'failed', error: `trainer ${how} before finishing the run` });
    }
    this.forget(runId, run);
    for (const resolve of run.exitWaiters.splice(0)) resolve();
  }

  /** Drop a trainer that is gone, without touching a newer trainer of the same run. */
  private forget(runId: number, run: ActiveRun): void {
    if (this.runs.get(runId) === run) this.runs.delete(runId);
    this.replaced.delete(run);
  }

  /** Deliver to the owner; a throwing listener must not take the supervisor (or main) down. */
  private relay(runId: number, run: ActiveRun, event: TrainerEvent): void {
    if (run.final) return;
    if (isFinalEvent(event)) {
      run.final = true;
      // The trainer exits by itself after its final event; make sure it does.
      run.timers.push(setTimeout(() => run.exited || this.safeKill(run), this.exitGraceMs));
    }
    const deliveries = [() => run.listener?.(event), () => this.options.onEvent?.(runId, event)];
    for (const deliver of deliveries) {
      try {
        deliver();
      } catch (err) {
        process.emitWarning(`trainer event listener threw on ${event.type}: ${(err as Error).message}`);
      }
    }
  }

  private waitForExit(run: ActiveRun): Promise<void> {
    if (run.exited) return Promise.resolve();
    return new Promise((resolve) => run.exitWaiters.push(resolve));
  }

  private safeKill(run: ActiveRun): void {
    try {
      run.handle.kill();
    } catch {
      // Already gone.
    }
  }
}

/** How to fork a trainer; the entry defaults to `defaultTrainerEntry()`. */
export type ForkTrainerOptions = Partial<ForkChildOptions>;

/**
 * The trainer entry: `process.ts` beside this file from source (tsx, vitest), else `trainer.js`
 * beside the bundle this file is in (the CLI's out/cli/trainer.js; the app forks
 * out/main/trainer.cjs through utilityProcess instead). `LENET5_TRAINER_ENTRY` overrides both.
 */
export function defaultTrainerEntry(): string {
  return childEntry({ from: import.meta.url, bundled: 'trainer.js', override: 'LENET5_TRAINER_ENTRY' });
}

/** The default `ForkTrainer`: child_process.fork of the trainer entry (see `forkChild`). */
export function forkTrainerProcess(options: ForkTrainerOptions = {}): TrainerHandle {
  return forkChild({ ...options, entry: options.entry ?? defaultTrainerEntry() });
}
