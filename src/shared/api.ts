/**
 * The app's and the dataset's shapes as the window sees them, and what a run is started with.
 * The operations that answer them are declared in `procedures.ts`.
 */
import type { LrRangeOptions } from './lr-range';
import type { KeepCheckpoints } from './training';
import type { Hyperparams, PresetName } from './hyperparams';
import type { EvaluationRole } from './runs';
import type { DatasetIdentity, BackendName } from './training';

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
  /** The folder found; when not found, the folder the user chose (null when none was chosen). */
  dir: string | null;
  source: DatasetIdentity['source'] | null;
  /**
   * Why the folder the user chose cannot be used, naming the folder and the files. Such a folder
   * is never replaced by another copy: runs refuse to start until it is fixed or forgotten.
   */
  problem: string | null;
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
  /** `all`: keep every epoch's checkpoint, so the inspector's slider can show its activations. */
  keepCheckpoints?: KeepCheckpoints;
}

/** `runs:find-lr`: a learning-rate range test of the form's configuration. */
export interface FindLrRequest {
  config: Hyperparams;
  preset?: PresetName;
  /** Settings of the sweep (shared/lr-range.ts); defaults 1e-6 → 1 over 300 batches. */
  range?: Partial<LrRangeOptions>;
}

export interface ExportRequest {
  ids: number[];
  format: 'json' | 'csv';
}

/** A run an export left out because its stored row is damaged, and why. */
export interface SkippedRun {
  id: number;
  reason: string;
}

/**
 * Where an export was written, its size, how many runs it holds and which damaged runs it left
 * out; null when the dialog was cancelled.
 */
/** `runs:report`: where the HTML report went; null when the save dialog was cancelled. */
export type ReportResult = { path: string; bytes: number; runs: number } | null;

export type ExportResult = { path: string; bytes: number; runs: number; skipped: SkippedRun[] } | null;

export interface RunPair {
  a: number;
  b: number;
  role: EvaluationRole;
}
