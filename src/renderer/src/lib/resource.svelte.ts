/**
 * "Latest request wins, with loading, error and data": the one helper for everything the window
 * fetches from main, modelled on runed's `resource(source, fetcher)`.
 *
 * - `current` is the last answer's data; it stays while a newer request is in flight (panels dim
 *   it rather than blank it) and until a newer answer replaces it.
 * - `error` is the last answer's `{ code, message }`; a success clears it. By default it stays
 *   while a retry is in flight, so an error note does not flicker to "Loading…".
 * - An answer to a request that a newer one (or `reset`/`cancel`) superseded is dropped, so a slow
 *   answer to an old question never overwrites a newer one.
 * - Calls go through `settle`: a rejected invoke is an error like any other, never a throw.
 */
import { untrack } from 'svelte';
import type { ApiError, Result } from '@shared/errors';
import { settle } from './api';

export interface ResourceOptions {
  /** Clear `error` when a request starts (the panel shows its loading state while retrying). */
  clearErrorOnFetch?: boolean;
}

export class Resource<T> {
  current = $state.raw<T | undefined>(undefined);
  loading = $state(false);
  error = $state.raw<ApiError | null>(null);

  readonly #clearErrorOnFetch: boolean;
  #generation = 0;
  #last: (() => Promise<Result<T>>) | null = null;

  constructor(options: ResourceOptions = {}) {
    this.#clearErrorOnFetch = options.clearErrorOnFetch ?? false;
  }

  /**
   * Ask main; answers the `Result`, or null when a newer request (or `reset`/`cancel`) superseded
   * this one before its answer came, in which case nothing here changed.
   */
  async fetch(request: () => Promise<Result<T>>): Promise<Result<T> | null> {
    const generation = ++this.#generation;
    this.#last = request;
    this.loading = true;
    if (this.#clearErrorOnFetch) this.error = null;
    const result = await settle(request);
    if (generation !== this.#generation) return null;
    this.loading = false;
    if (result.ok) {
      this.current = result.data;
      this.error = null;
    } else {
      this.error = result.error;
    }
    return result;
  }

  /** Ask the last question again (a retry, or fresher data after an event). */
  refetch(): Promise<Result<T> | null> {
    return this.#last ? this.fetch(this.#last) : Promise.resolve(null);
  }

  /** Replace the data with what another call answered (e.g. an action that returns it). */
  mutate(value: T | undefined): void {
    this.current = value;
  }

  /** Drop the answer in flight; what is shown stays. */
  cancel(): void {
    this.#generation++;
    this.loading = false;
  }

  /** Nothing to ask any more: drop the answer in flight and forget data and error. */
  reset(): void {
    this.cancel();
    this.#last = null;
    this.current = undefined;
    this.error = null;
  }
}

/**
 * A `Resource` that follows `source`: whenever what `source` reads changes, `fetcher(source())`
 * is asked and the previous question's answer dropped. A `source` answering null, undefined or
 * false means there is nothing to ask: the resource is `reset`. Only `source` is tracked, never
 * the fetcher. Call it while a component initialises (it owns an `$effect`).
 */
export function resource<K, T>(
  source: () => K | null | undefined | false,
  fetcher: (key: K) => Promise<Result<T>>,
  options?: ResourceOptions,
): Resource<T> {
  const r = new Resource<T>(options);
  $effect(() => {
    const key = source();
    untrack(() => {
      if (key == null || key === false) r.reset();
      else void r.fetch(() => fetcher(key));
    });
    // The question changed or the component went away: its answer is no longer wanted.
    return () => r.cancel();
  });
  return r;
}
