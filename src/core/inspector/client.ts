/**
 * Main's side of the inspector: starts the process on the first request, sends requests by id and
 * resolves each with its answer. A process that dies fails the requests in flight (with a message
 * that says so) and the next request starts a fresh one, so main and the window stay usable.
 * How the process is started is injected: utilityProcess in the app, child_process.fork elsewhere.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors';
import { childEntry, forkChild, type ChildHandle } from '../child';
import { StudioError } from '../errors';
import type {
  InspectorAnswers,
  InspectorProgress,
  InspectorRequest,
  InspectorRequestBody,
  InspectorResponse,
} from './protocol';

/** The inspector process, whatever started it: requests go in, responses come out. */
export type InspectorHandle = ChildHandle<InspectorRequest, InspectorResponse>;
export type ForkInspector = () => InspectorHandle;

/** A request the process has not answered in this long fails (the process is restarted). */
const REQUEST_TIMEOUT_MS = 60_000;
/**
 * Whole-dataset requests get longer: the first on a checkpoint runs 10,000 (map) or 60,000
 * (neighbours) images through the network, and UMAP on a busy machine can take a minute for 10,000 points.
 */
const WHOLE_DATASET_TIMEOUT_MS = 15 * 60_000;
const WHOLE_DATASET_REQUESTS: ReadonlySet<string> = new Set(['feature-map', 'neighbours', 'margins']);

/**
 * A progress message as main accepts it: the inspector is our own code, but what crosses a process
 * boundary is checked before it reaches the window (a share outside 0–1 or an essay of a stage
 * is dropped, not shown).
 */
export const inspectorProgressSchema = z.strictObject({
  id: z.number().int().positive(),
  progress: z.strictObject({ share: z.number().min(0).max(1), stage: z.string().min(1).max(120) }),
});

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: InspectorProgress) => void;
  timer: NodeJS.Timeout;
}

export interface RequestOptions {
  /** Hears the request's progress messages (feature maps), each validated. */
  onProgress?: (progress: InspectorProgress) => void;
}

export class InspectorClient {
  private handle: InspectorHandle | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly forkInspector: ForkInspector = () => forkInspectorProcess()) {}

  request<T extends InspectorRequestBody['type']>(
    body: Extract<InspectorRequestBody, { type: T }>,
    options: RequestOptions = {},
  ): Promise<InspectorAnswers[T]> {
    const handle = this.started();
    const id = this.nextId++;
    const timeoutMs = WHOLE_DATASET_REQUESTS.has(body.type) ? WHOLE_DATASET_TIMEOUT_MS : REQUEST_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new StudioError('busy', `The inspector did not answer within ${timeoutMs / 1000} s.`));
        this.restart();
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, onProgress: options.onProgress });
      try {
        handle.postMessage({ ...body, id } as InspectorRequest);
      } catch (err) {
        this.settle(id, (p) =>
          p.reject(new StudioError('unavailable', `The inspector is not reachable: ${(err as Error).message}`)),
        );
      }
    });
  }

  /** The process's pid once started (tests, bench). */
  get pid(): number | undefined {
    return this.handle?.pid;
  }

  dispose(): void {
    this.restart();
  }

  private started(): InspectorHandle {
    if (this.handle) return this.handle;
    const handle = this.forkInspector();
    this.handle = handle;
    handle.onMessage((response) => {
      if (!response || typeof response !== 'object' || !response.id) return; // 0 = ready
      if ('progress' in response) return this.progress(response);
      this.settle(response.id, (p) =>
        response.ok
          ? p.resolve(response.result)
          : p.reject(
              new StudioError(
                (ERROR_CODES as readonly string[]).includes(response.error.code) ? response.error.code : 'internal',
                response.error.message,
              ),
            ),
      );
    });
    handle.onExit((code, signal) => {
      if (this.handle !== handle) return;
      this.handle = null;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      for (const id of [...this.pending.keys()])
        this.settle(id, (p) => p.reject(new StudioError('internal', `The inspector ${how}; try again.`)));
    });
    return handle;
  }

  private progress(message: unknown): void {
    const parsed = inspectorProgressSchema.safeParse(message);
    if (!parsed.success) return;
    const listener = this.pending.get(parsed.data.id)?.onProgress;
    try {
      listener?.(parsed.data.progress);
    } catch (err) {
      process.emitWarning(`inspector progress listener threw: ${(err as Error).message}`);
    }
  }

  private settle(id: number, fn: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    fn(pending);
  }

  private restart(): void {
    const handle = this.handle;
    this.handle = null;
    for (const id of [...this.pending.keys()])
      this.settle(id, (p) => p.reject(new StudioError('unavailable', 'The inspector was stopped.')));
    try {
      handle?.kill();
    } catch {
      // Already gone.
    }
  }
}

/**
 * The inspector entry: `process.ts` beside this file from source (tsx, vitest), else
 * `inspector.js` beside the bundle this file is in (the CLI's out/cli/inspector.js; the app forks
 * out/main/inspector.cjs through utilityProcess instead). `LENET5_INSPECTOR_ENTRY` overrides both.
 */
export function defaultInspectorEntry(): string {
  return childEntry({ from: import.meta.url, bundled: 'inspector.js', override: 'LENET5_INSPECTOR_ENTRY' });
}

/** child_process.fork of the inspector (see `forkChild`). */
export function forkInspectorProcess(entry = defaultInspectorEntry()): InspectorHandle {
  return forkChild({ entry });
}
