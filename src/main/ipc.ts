/**
 * Main's IPC handlers, without an `electron` import so tests can drive them for real: the app
 * passes `ipcMain` and a `send` that targets the window; the UI tests pass a bridge to a browser.
 */
import type { z } from 'zod';
import type {
  ApiError,
  AppInfo,
  Channel,
  DatasetInfo,
  DatasetSamples,
  Events,
  EventChannel,
  RequestOf,
  ResponseOf,
  Result,
} from '../shared/api';
import { requestSchemas } from './ipc-schemas';

/** The slice of Electron's `ipcMain` we use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler?(channel: string): void;
}

/** Sends a main → renderer event to the window (no-op when there is none). */
export type SendFn = <E extends EventChannel>(channel: E, payload: Events[E]) => void;

/** What the handlers need from the rest of main; each issue adds its services here. */
export interface Services {
  appInfo(): Promise<AppInfo>;
  dataset: {
    info(): Promise<DatasetInfo>;
    samples(perClass: number): Promise<DatasetSamples>;
    images(indices: number[]): Promise<DatasetSamples>;
    download(): Promise<DatasetInfo>;
    chooseFolder(): Promise<DatasetInfo | null>;
  };
}

/** An error a handler throws on purpose: its code and message reach the renderer as they are. */
export class HandlerError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}

type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Registers one validated handler per channel. Returns the channels registered. */
export function registerHandlers(ipcMain: IpcMainLike, _send: SendFn, services: Services): Channel[] {
  const handlers: Handlers = {
    'app:info': () => services.appInfo(),
    'dataset:info': () => services.dataset.info(),
    'dataset:samples': ({ perClass }) => services.dataset.samples(perClass),
    'dataset:images': ({ indices }) => services.dataset.images(indices),
    'dataset:download': () => services.dataset.download(),
    'dataset:choose-folder': () => services.dataset.chooseFolder(),
  };

  const channels = Object.keys(handlers) as Channel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (_event, ...args) => invokeHandler(channel, args, handlers));
  }
  return channels;
}

/** Validate, run, and wrap as a Result; never throws, so the renderer always gets an answer. */
export async function invokeHandler<C extends Channel>(
  channel: C,
  args: unknown[],
  handlers: Handlers,
): Promise<Result<ResponseOf<C>>> {
  if (args.length > 1) {
    return fail('invalid-input', `${channel}: expected at most one argument, got ${args.length}`);
  }
  const parsed = requestSchemas[channel].safeParse(args[0]);
  if (!parsed.success) {
    return fail('invalid-input', `${channel}: ${describeZodError(parsed.error)}`);
  }
  try {
    const data = await handlers[channel](parsed.data as RequestOf<C>);
    return { ok: true, data };
  } catch (err) {
    if (err instanceof HandlerError) return fail(err.code, err.message);
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'internal';
    return fail(code, `${channel}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fail(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}
