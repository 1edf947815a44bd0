/**
 * The trainer room's front door: what main, the CLI and the run service need to run trainers,
 * without loading tfjs. The trainer process itself (process.ts, which loads run-trainer.ts and the
 * engine lazily) is an entry, not imported: the supervisor forks it.
 */
export {
  TrainerSupervisor,
  forkTrainerProcess,
  defaultTrainerEntry,
  type ForkTrainer,
  type ForkTrainerOptions,
  type RunEventListener,
  type StartOptions,
  type TrainerHandle,
  type TrainerSupervisorOptions,
} from './supervisor';
export {
  DEFAULT_THREADS,
  THREADED_MIN_BATCH,
  THREADS_ENV,
  resolveThreadCount,
  trainerThreads,
  type ThreadRequest,
} from './threads';
export { probeBackend, tfjsNodeLooksInstalled, wasmAvailable } from './backend-probe';
