/**
 * The Runs place's state: the query (sort, filters, page), the page of rows main returned, the
 * runs picked for Compare, and the live progress of training runs. One instance, so filters and
 * the selection survive a visit to a run's page and back.
 *
 * Paging is done by main (`runs:list` limit/offset): the table holds one page of rows, so a
 * database of thousands of runs costs the window no more than fifty.
 */
import type { PresetName } from '@shared/hyperparams';
import type { ApiError } from '@shared/errors';
import {
  MAX_COMPARE_RUNS,
  type ListRunsQuery,
  type ListRunsResult,
  type RunSortColumn,
  type RunStatus,
  type RunSummary,
} from '@shared/runs';
import { changesRunRow, type RunEvent } from '@shared/run-events';
import { LAST_VALUE, type ValueChoice } from '@shared/metric-value';
import { invoke } from './api';
import { Resource } from './resource.svelte';
import { runEvents } from './run-events';
import { throttle } from './throttle';

export type PresetFilter = PresetName | 'custom';

/** What a running run is doing right now, from its batch events (display only). */
export interface LiveProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  epochs: number | null;
  imagesPerSec: number;
}

/** Columns an epoch changes: a list sorted by one of them is asked again after each epoch. */
const EPOCH_SORTS: ReadonlySet<RunSortColumn> = new Set([
  'bestTestAccuracy',
  'finalTestAccuracy',
  'bestEpoch',
  'epochsDone',
  'duration',
]);

/** Text columns sort A→Z first; numbers and dates newest/largest first. */
const ASCENDING_FIRST = new Set<RunSortColumn>([
  'name',
  'status',
  'preset',
  'optimizer',
  'convActivation',
  'pooling',
  'backend',
]);

export class RunsList {
  sort = $state<RunSortColumn>('createdAt');
  direction = $state<'asc' | 'desc'>('desc');
  status = $state<RunStatus | ''>('');
  preset = $state<PresetFilter | ''>('');
  /** '' = training runs only (the default list); range tests are shown only when asked for. */
  kind = $state<'' | 'lr-range-test' | 'all'>('');
  tag = $state('');
  text = $state('');
  page = $state(0);
  readonly pageSize: number;

  rows = $state.raw<RunSummary[]>([]);
  total = $state(0);
  /** True once the first answer arrived (until then the table shows a skeleton, not "no runs"). */
  loaded = $state(false);
  get loading(): boolean {
    return this.#list.loading;
  }
  get error(): ApiError | null {
    return this.#list.error;
  }

  /** Which test accuracy the shown column holds: each run's last, its best, or the one at an epoch. */
  valueChoice = $state<ValueChoice>(LAST_VALUE);

  /** Runs picked for Compare, in the order they were picked. */
  selected = $state<number[]>([]);
  /** The range tests among the rows seen so far: never compared, so picking one holds Compare back. */
  #rangeTests = $state<number[]>([]);
  /** Training runs' progress by id. */
  live = $state.raw<Record<number, LiveProgress>>({});

  readonly #list = new Resource<ListRunsResult>();
  #pendingLive: Record<number, LiveProgress> | null = null;
  #flushLive = throttle(() => {
    if (this.#pendingLive) this.live = this.#pendingLive;
    this.#pendingLive = null;
  }, 250);
  #refresh = throttle(() => void this.load(), 600);

  constructor(pageSize = 50) {
    this.pageSize = pageSize;
  }

  get filtered(): boolean {
    return (
      this.status !== '' || this.preset !== '' || this.kind !== '' || this.tag.trim() !== '' || this.text.trim() !== ''
    );
  }

  get pageCount(): number {
    return Math.max(1, Math.ceil(this.total / this.pageSize));
  }

  query(): ListRunsQuery {
    const q: ListRunsQuery = {
      sort: this.sort,
      direction: this.direction,
      limit: this.pageSize,
      offset: this.page * this.pageSize,
    };
    if (this.status) q.status = this.status;
    if (this.preset) q.preset = this.preset;
    if (this.kind) q.kind = this.kind;
    if (this.tag.trim()) q.tag = this.tag.trim();
    if (this.text.trim()) q.text = this.text.trim();
    return q;
  }

  /** Fetch the current page; an older answer arriving after a newer request is dropped. */
  async load(): Promise<void> {
    const result = await this.#list.fetch(() => invoke('runs:list', this.query()));
    if (!result) return;
    if (!result.ok) {
      this.loaded = true;
      return;
    }
    // Past the last page (runs deleted elsewhere, or a narrower filter): step back.
    if (result.data.rows.length === 0 && result.data.total > 0 && this.page > 0) {
      this.page = Math.max(0, Math.ceil(result.data.total / this.pageSize) - 1);
      return this.load();
    }
    this.rows = result.data.rows;
    const tests = this.rows.filter((r) => r.kind !== 'train' && !this.#rangeTests.includes(r.id)).map((r) => r.id);
    if (tests.length) this.#rangeTests = [...this.#rangeTests, ...tests];
    for (const row of this.rows) if (row.status !== 'running') this.#dropLive(row.id);
    this.total = result.data.total;
    this.loaded = true;
  }

  setSort(column: RunSortColumn): void {
    if (this.sort === column) this.direction = this.direction === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = column;
      this.direction = ASCENDING_FIRST.has(column) ? 'asc' : 'desc';
    }
    this.page = 0;
    void this.load();
  }

  /** Change a filter and go back to the first page. */
  setFilter(patch: Partial<Pick<RunsList, 'status' | 'preset' | 'kind' | 'tag' | 'text'>>): void {
    if (patch.status !== undefined) this.status = patch.status;
    if (patch.preset !== undefined) this.preset = patch.preset;
    if (patch.kind !== undefined) this.kind = patch.kind;
    if (patch.tag !== undefined) this.tag = patch.tag;
    if (patch.text !== undefined) this.text = patch.text;
    this.page = 0;
    void this.load();
  }

  clearFilters(): void {
    this.setFilter({ status: '', preset: '', kind: '', tag: '', text: '' });
  }

  goTo(page: number): void {
    const next = Math.max(0, Math.min(this.pageCount - 1, page));
    if (next === this.page) return;
    this.page = next;
    void this.load();
  }

  /** Swap in the row main answered after an edit, without re-fetching the page. */
  replace(row: RunSummary): void {
    this.rows = this.rows.map((r) => (r.id === row.id ? row : r));
  }

  /** Picked runs that are range tests, which Compare leaves out (main refuses them by name). */
  get selectedRangeTests(): number[] {
    return this.selected.filter((id) => this.#rangeTests.includes(id));
  }

  isSelected(id: number): boolean {
    return this.selected.includes(id);
  }

  toggle(id: number): void {
    if (this.selected.includes(id)) this.selected = this.selected.filter((x) => x !== id);
    else if (this.selected.length < MAX_COMPARE_RUNS) this.selected = [...this.selected, id];
  }

  /** Select (or clear) every row of this page, within the compare limit. */
  togglePage(): void {
    const ids = this.rows.map((r) => r.id);
    if (ids.every((id) => this.selected.includes(id))) {
      this.selected = this.selected.filter((id) => !ids.includes(id));
      return;
    }
    const next = [...this.selected];
    for (const id of ids) if (!next.includes(id) && next.length < MAX_COMPARE_RUNS) next.push(id);
    this.selected = next;
  }

  clearSelection(): void {
    this.selected = [];
  }

  forget(id: number): void {
    this.selected = this.selected.filter((x) => x !== id);
    this.#dropLive(id);
  }

  /**
   * Whether a row is live follows the status main stored with each event (the listed row's while
   * an event comes without one): running → its progress, from the numbers of `started` and batch
   * events; any other status → none. Row-changing events re-fetch the page (throttled).
   */
  handle({ runId, event, stored }: RunEvent): void {
    const status = stored?.status ?? this.rows.find((r) => r.id === runId)?.status;
    if (status === 'running') this.#progress(runId, event);
    else if (status !== undefined) this.#dropLive(runId);
    if (!changesRunRow(event)) return;
    // The stored row came with the event: show it at once. An epoch changes only figures of a row
    // already listed (unless the list is sorted by one of them); anything else may move it across
    // filters, pages or the order: ask main.
    const summary = stored?.summary;
    if (summary) this.rows = this.rows.map((r) => (r.id === summary.id ? summary : r));
    const inPlace =
      summary && event.type === 'epoch' && !EPOCH_SORTS.has(this.sort) && this.rows.some((r) => r.id === summary.id);
    if (!inPlace) this.#refresh();
  }

  /** A running run's progress bar moves with its batches (shown a few times a second). */
  #progress(runId: number, event: RunEvent['event']): void {
    const base = this.#pendingLive ?? this.live;
    let progress: LiveProgress;
    if (event.type === 'batch') {
      const { epoch, batch, batchesPerEpoch, imagesPerSec } = event;
      progress = { epoch, batch, batchesPerEpoch, epochs: base[runId]?.epochs ?? null, imagesPerSec };
    } else if (event.type === 'started') {
      progress = { epoch: 1, batch: 0, batchesPerEpoch: event.batchesPerEpoch, epochs: event.epochs, imagesPerSec: 0 };
    } else return;
    this.#pendingLive = { ...base, [runId]: progress };
    this.#flushLive();
  }

  /** No progress for a run that is not running (progress still held back is shown first). */
  #dropLive(runId: number): void {
    if (!(runId in this.live) && !(this.#pendingLive && runId in this.#pendingLive)) return;
    this.#flushLive.flush();
    const { [runId]: _done, ...rest } = this.live;
    this.live = rest;
  }

  /** Subscribe to training events; returns the unsubscribe function. */
  listen(): () => void {
    const off = runEvents.listen((e: RunEvent) => this.handle(e));
    return () => {
      off();
      this.#refresh.cancel();
    };
  }
}

export const runsList = new RunsList();
