/**
 * One run as its page shows it: the stored detail from `runs:get`, plus the training events that
 * arrive after it. Per-epoch metrics and batch losses are `$state.raw` arrays replaced (never
 * mutated) so charts see a new array; batch events are gathered and applied a few times a second,
 * so a fast trainer does not redraw the charts for every batch.
 *
 * Events that arrive while the first `runs:get` is in flight are kept and applied on top of its
 * answer, so nothing between the fetch and the subscription is lost or counted twice.
 */
import type { ApiError } from '@shared/errors';
import { isFinalStatus, type BatchPoint, type EpochMetrics, type RunDetail, type RunStatus } from '@shared/runs';
import { type BackendName } from '@shared/training';
import { batchPointOf, epochRowOf, type RunEventPayload, type StoredDelta } from '@shared/run-events';
import { invoke } from './api';
import { Resource } from './resource.svelte';
import { isFinalEvent, runEvents } from './run-events';
import { throttle } from './throttle';

/** A confusion-matrix cell (both classes), a class row (true class only), or nothing: all mistakes. */
export interface CellPick {
  trueClass: number | null;
  predictedClass: number | null;
}

export interface LiveState {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  imagesPerSec: number | null;
  /** performance.now() of the last batch event. */
  at: number;
}

export class RunView {
  readonly id: number;
  detail = $state.raw<RunDetail | null>(null);
  epochs = $state.raw<EpochMetrics[]>([]);
  batches = $state.raw<BatchPoint[]>([]);
  /**
   * The run's status as main stored it: from `runs:get`, then from each event's `stored.status`
   * (ahead of the detail between re-fetches). The window never works a status out of event types.
   */
  status = $state<RunStatus | null>(null);
  live = $state.raw<LiveState | null>(null);
  backend = $state<BackendName | null>(null);
  batchesPerEpoch = $state<number | null>(null);
  /** The trainer's latest words before training starts ("Reading FashionMNIST from …"). */
  preparing = $state<string | null>(null);
  /** A final event's words (diverged/failed) before the stored error arrives. */
  eventError = $state<string | null>(null);
  /** Why the last `runs:get` failed; null once one succeeds. */
  get loadError(): ApiError | null {
    return this.#detail.error;
  }
  /** Bumped when evaluations may have changed (confusion and gallery panels re-fetch on it). */
  evaluationsVersion = $state(0);

  readonly #detail = new Resource<RunDetail>();
  #buffered: Array<[RunEventPayload, StoredDelta | undefined]> = [];
  #pendingBatches: BatchPoint[] = [];
  #pendingLive: LiveState | null = null;
  #disposed = false;
  #flush = throttle(() => this.#applyPending(), 200);
  #refetch = throttle(() => void this.refresh(), 800);

  constructor(id: number) {
    this.id = id;
  }

  /** Subscribe, then fetch; returns the cleanup. */
  start(): () => void {
    const off = runEvents.listenTo(this.id, ({ event, stored }) => {
      if (!this.detail) this.#buffered.push([event, stored]);
      else this.#apply(event, stored);
    });
    void this.refresh();
    return () => {
      this.#disposed = true;
      off();
      this.#detail.cancel();
      this.#flush.cancel();
      this.#refetch.cancel();
    };
  }

  async refresh(): Promise<void> {
    // A newer refresh's answer wins; an older one arriving after it is dropped.
    const result = await this.#detail.fetch(() => invoke('runs:get', { id: this.id }));
    if (!result?.ok || this.#disposed) return;
    const d = result.data;
    const first = this.detail === null;
    this.detail = d;
    this.status = d.status;
    this.backend = d.backend;
    this.batchesPerEpoch = d.batchesPerEpoch;
    // The stored series are the truth; keep only live points newer than what was stored.
    this.epochs = mergeEpochs(
      d.epochMetrics,
      this.epochs.filter((e) => !d.epochMetrics.some((s) => s.epoch === e.epoch)),
    );
    const lastStep = d.batches.length ? d.batches[d.batches.length - 1].step : 0;
    this.batches = d.batches.concat(this.batches.filter((b) => b.step > lastStep));
    if (!isActive(d.status)) this.live = null;
    this.evaluationsVersion++;
    if (first) {
      const buffered = this.#buffered;
      this.#buffered = [];
      for (const [e, stored] of buffered) this.#apply(e, stored);
    }
  }

  /**
   * What main stored comes with the event (`stored`): the run's row, the epoch row, the batch
   * point. It is applied as it is; only what an event does not carry (evaluations, checkpoints,
   * the end of a run) is asked for again.
   */
  #apply(event: RunEventPayload, stored?: StoredDelta): void {
    if (stored) {
      if (stored.summary && this.detail) this.detail = { ...this.detail, ...stored.summary };
      this.#setStatus(stored.status);
    }
    if (isFinalEvent(event)) {
      this.#flush.flush();
      if (event.type === 'failed') this.eventError = event.error;
      if (event.type === 'diverged')
        this.eventError = `the loss became ${event.loss} at epoch ${event.epoch}, batch ${event.batch}`;
      // finishedAt, the end reason and the stored error come with the stored row: fetch it now.
      this.#refetch();
      this.#refetch.flush();
      return;
    }
    switch (event.type) {
      case 'started':
        this.backend = event.backend;
        this.batchesPerEpoch = event.batchesPerEpoch;
        if (!stored?.summary) this.#refetch();
        return;
      case 'batch': {
        const bpe = event.batchesPerEpoch;
        const point = stored?.batchPoint ?? batchPointOf(event);
        const last = this.#pendingBatches.at(-1)?.step ?? this.batches.at(-1)?.step ?? 0;
        if (point.step > last) this.#pendingBatches.push(point);
        this.#pendingLive = {
          epoch: event.epoch,
          batch: event.batch,
          batchesPerEpoch: bpe,
          imagesPerSec: event.imagesPerSec,
          at: performance.now(),
        };
        this.#flush();
        return;
      }
      case 'epoch': {
        this.#flush.flush();
        const row = stored?.epochRow ?? epochRowOf(event);
        this.epochs = mergeEpochs(
          this.epochs.filter((e) => e.epoch !== event.epoch),
          [row],
        );
        // Best/final figures come with the stored row; ask only when it did not come.
        if (!stored?.summary) this.#refetch();
        return;
      }
      case 'evaluation':
      case 'checkpoint':
        this.#refetch();
        return;
      case 'status':
        this.preparing = event.message;
        return;
    }
  }

  /** A run that is no longer queued or running shows no live progress; its last batches still count. */
  #setStatus(status: RunStatus): void {
    this.status = status;
    if (isActive(status)) return;
    this.#flush.flush();
    this.live = null;
  }

  #applyPending(): void {
    if (this.#pendingBatches.length) {
      this.batches = this.batches.concat(this.#pendingBatches);
      this.#pendingBatches = [];
    }
    if (this.#pendingLive && this.status && isActive(this.status)) this.live = this.#pendingLive;
    this.#pendingLive = null;
  }
}

function mergeEpochs(a: EpochMetrics[], b: EpochMetrics[]): EpochMetrics[] {
  return a.concat(b).sort((x, y) => x.epoch - y.epoch);
}

/** Queued or running: the run is still expected to change. */
export function isActive(status: RunStatus): boolean {
  return !isFinalStatus(status);
}
