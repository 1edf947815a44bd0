/**
 * Main's IPC handlers, without an `electron` import so tests can drive them for real: the app
 * passes `ipcMain` and a `send` that targets the window; the UI tests pass a bridge to a browser.
 */
import type {
  ApiError,
  AppInfo,
  Channel,
  DatasetInfo,
  DatasetSamples,
  Events,
  EventChannel,
  ExportRequest,
  ExportResult,
  RequestOf,
  ResponseOf,
  Result,
  RunPair,
  StartRunRequest,
} from '../shared/api';
import type {
  CompareRunsResult,
  ConfusionDiffResult,
  ConfusionResult,
  DeleteRunResult,
  DisagreementsResult,
  EvaluationRole,
  ListRunsQuery,
  ListRunsResult,
  PredictionsQuery,
  PredictionsResult,
  RunDetail,
  RunPatch,
  RunSummary,
} from '../shared/runs';
import { describeZodIssues } from '../shared/validation';
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
  runs: {
    list(query: ListRunsQuery): Promise<ListRunsResult>;
    get(id: number): Promise<RunDetail>;
    start(request: StartRunRequest): Promise<RunSummary>;
    stop(id: number): Promise<{ id: number }>;
    update(id: number, patch: RunPatch): Promise<RunSummary>;
    remove(id: number): Promise<DeleteRunResult>;
    compare(ids: number[]): Promise<CompareRunsResult>;
    confusion(runId: number, role: EvaluationRole): Promise<ConfusionResult>;
    confusionDiff(pair: RunPair): Promise<ConfusionDiffResult>;
    predictions(query: PredictionsQuery): Promise<PredictionsResult>;
    disagreements(pair: RunPair): Promise<DisagreementsResult>;
    exportRuns(request: ExportRequest): Promise<ExportResult>;
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

/** Registers one validated handler per channel. Returns the channels registered. */
export function registerHandlers(ipcMain: IpcMainLike, _send: SendFn, services: Services): Channel[] {
  const handlers: Handlers = {
    'app:info': () => services.appInfo(),
    'dataset:info': () => services.dataset.info(),
    'dataset:samples': ({ perClass }) => services.dataset.samples(perClass),
    'dataset:images': ({ indices }) => services.dataset.images(indices),
    'dataset:download': () => services.dataset.download(),
    'dataset:choose-folder': () => services.dataset.chooseFolder(),
    'runs:list': (query) => services.runs.list(query),
    'runs:get': ({ id }) => services.runs.get(id),
    'runs:start': (request) => services.runs.start(request),
    'runs:stop': ({ id }) => services.runs.stop(id),
    'runs:update': ({ id, patch }) => services.runs.update(id, patch),
    'runs:delete': ({ id }) => services.runs.remove(id),
    'runs:compare': ({ ids }) => services.runs.compare(ids),
    'runs:confusion': ({ runId, role }) => services.runs.confusion(runId, role),
    'runs:confusion-diff': (pair) => services.runs.confusionDiff(pair),
    'runs:predictions': (query) => services.runs.predictions(query),
    'runs:disagreements': (pair) => services.runs.disagreements(pair),
    'runs:export': (request) => services.runs.exportRuns(request),
  };

  const channels = Object.keys(handlers) as Channel[];
  for (const channel of channels) {
    ipcMain.handle(channel, async (_event, ...args) => invokeHandler(channel, args, handlers));
  }
  return channels;
}

/** Validate, run, and wrap as a Result; never throws, so the renderer always gets an answer. */
async function invokeHandler<C extends Channel>(
  channel: C,
  args: unknown[],
  handlers: Handlers,
): Promise<Result<ResponseOf<C>>> {
  if (args.length > 1) {
    return fail('invalid-input', `${channel}: expected at most one argument, got ${args.length}`);
  }
  const parsed = requestSchemas[channel].safeParse(args[0]);
  if (!parsed.success) {
    return fail('invalid-input', `${channel}: ${describeZodIssues(parsed.error).join('; ')}`);
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
