/** Starts a training run from the New-run form. */
import type { Result, StartRunRequest } from '../../../shared/api';
import type { RunSummary } from '../../../shared/runs';
import { api } from './api';
import { call } from './call';

export type { StartRunRequest };
/** Main's answer: the new run's row (queued). */
export type StartedRun = RunSummary;

/** `api.runs.start`, never throwing: a preload without the method answers `unknown-channel`. */
export function startRun(request: StartRunRequest): Promise<Result<StartedRun>> {
  return call(() => api.runs.start(request));
}
