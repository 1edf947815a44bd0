/**
 * The IPC contract, typed once. main's handlers, the preload and the renderer all derive from the
 * `Channels` map below: adding a channel is one entry here, one request schema in
 * `src/main/ipc-schemas.ts` and one handler in `src/main/ipc.ts`.
 *
 * Every invoke answers a `Result`: Electron's invoke drops custom fields of a thrown Error, so
 * errors travel as data with a stable `code`.
 */
import type { Hyperparams, PresetName } from './hyperparams';
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
} from './runs';
import type { BackendName, DatasetIdentity, RunEvent } from './training';

export type ErrorCode = 'invalid-input' | 'not-found' | 'unknown-channel' | 'busy' | 'dataset' | 'store' | 'internal';

export interface ApiError {
  code: ErrorCode | string;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** What main knows about the machine, shown in the status bar. */
export interface AppInfo {
  appVersion: string;
  /** The backend a new run would train on: `tensorflow` where tfjs-node loads, else `wasm`. */
  backend: BackendName;
  tfjsVersion: string;
  dataset: DatasetLocation;
  dbPath: string;
  /** Why the run database could not be opened (corrupt, newer schema, …); null when it is fine. */
  dbError: string | null;
  /** True when the database opened read-only: runs can be viewed, not started or edited. */
  dbReadOnly: boolean;
  platform: string;
}

export interface DatasetLocation {
  found: boolean;
  dir: string | null;
  source: DatasetIdentity['source'] | null;
}

/** The Dataset place: where the data is and whether it is the official FashionMNIST. */
export interface DatasetInfo {
  location: DatasetLocation;
  /** Null until the files have been read and hashed (or when they are missing). */
  identity: DatasetIdentity | null;
  /** A validation error naming the file, when the files exist but are unusable. */
  error: string | null;
}

/** A few test-set images of each class, as raw 28×28 pixels. */
export interface DatasetSamples {
  /** `count` images of 784 bytes each, row-major. */
  images: Uint8Array;
  labels: number[];
  count: number;
}

export interface DownloadProgress {
  file: string;
  received: number;
  total: number | null;
}

/** `runs:start`: a validated configuration plus how to file the run. */
export interface StartRunRequest {
  config: Hyperparams;
  name?: string;
  /** The preset the form started from (null/absent: custom). */
  preset?: PresetName;
  tags?: string[];
  notes?: string;
}

export interface ExportRequest {
  ids: number[];
  format: 'json' | 'csv';
}

/** Where main saved an export; null when the user cancelled the save dialog. */
export type ExportResult = { path: string; bytes: number } | null;

export interface RunPair {
  a: number;
  b: number;
  role: EvaluationRole;
}

/** channel → request payload and response data. `void` requests take no argument. */
export interface Channels {
  'app:info': { request: void; response: AppInfo };
  'dataset:info': { request: void; response: DatasetInfo };
  'dataset:samples': { request: { perClass: number }; response: DatasetSamples };
  /** Test-set images by index (for galleries of predictions); at most 1,000 per call. */
  'dataset:images': { request: { indices: number[] }; response: DatasetSamples };
  'dataset:download': { request: void; response: DatasetInfo };
  /** Opens a folder picker in main; null when the user cancels. */
  'dataset:choose-folder': { request: void; response: DatasetInfo | null };
  'runs:list': { request: ListRunsQuery; response: ListRunsResult };
  'runs:get': { request: { id: number }; response: RunDetail };
  /** Records the run (queued) and hands it to the trainer; runs train one at a time. */
  'runs:start': { request: StartRunRequest; response: RunSummary };
  /** Stops a run after its current batch (a queued run never starts). */
  'runs:stop': { request: { id: number }; response: { id: number } };
  'runs:update': { request: { id: number; patch: RunPatch }; response: RunSummary };
  'runs:delete': { request: { id: number }; response: DeleteRunResult };
  'runs:compare': { request: { ids: number[] }; response: CompareRunsResult };
  'runs:confusion': { request: { runId: number; role: EvaluationRole }; response: ConfusionResult };
  'runs:confusion-diff': { request: RunPair; response: ConfusionDiffResult };
  'runs:predictions': { request: PredictionsQuery; response: PredictionsResult };
  'runs:disagreements': { request: RunPair; response: DisagreementsResult };
  /** Saves runs as JSON or their metrics as CSV through a save dialog in main. */
  'runs:export': { request: ExportRequest; response: ExportResult };
}

export type Channel = keyof Channels;
export type RequestOf<C extends Channel> = Channels[C]['request'];
export type ResponseOf<C extends Channel> = Channels[C]['response'];

/** main → renderer event channels and their payloads. */
export interface Events {
  'run:event': RunEvent;
  'dataset:progress': DownloadProgress;
}
export type EventChannel = keyof Events;

/** What the preload exposes as `window.api`: named methods only, never ipcRenderer itself. */
export interface Api {
  app: {
    info(): Promise<Result<AppInfo>>;
  };
  dataset: {
    info(): Promise<Result<DatasetInfo>>;
    samples(request: { perClass: number }): Promise<Result<DatasetSamples>>;
    images(request: { indices: number[] }): Promise<Result<DatasetSamples>>;
    download(): Promise<Result<DatasetInfo>>;
    chooseFolder(): Promise<Result<DatasetInfo | null>>;
  };
  runs: {
    list(query: ListRunsQuery): Promise<Result<ListRunsResult>>;
    get(id: number): Promise<Result<RunDetail>>;
    start(request: StartRunRequest): Promise<Result<RunSummary>>;
    stop(id: number): Promise<Result<{ id: number }>>;
    update(id: number, patch: RunPatch): Promise<Result<RunSummary>>;
    remove(id: number): Promise<Result<DeleteRunResult>>;
    compare(ids: number[]): Promise<Result<CompareRunsResult>>;
    confusion(runId: number, role: EvaluationRole): Promise<Result<ConfusionResult>>;
    confusionDiff(pair: RunPair): Promise<Result<ConfusionDiffResult>>;
    predictions(query: PredictionsQuery): Promise<Result<PredictionsResult>>;
    disagreements(pair: RunPair): Promise<Result<DisagreementsResult>>;
    exportRuns(request: ExportRequest): Promise<Result<ExportResult>>;
  };
  onDatasetProgress(listener: (progress: DownloadProgress) => void): () => void;
  /** Subscribe to training events; returns the unsubscribe function. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
}
