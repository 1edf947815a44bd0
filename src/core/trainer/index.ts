/**
 * The trainer room's front door: what main, the CLI and the run service need to run trainers,
 * without loading tfjs. The trainer process itself (process.ts, which loads run-trainer.ts and the
 * engine lazily) is an entry, not imported: the supervisor forks it.
 */
export { TrainerSupervisor, type ForkTrainer, type StartOptions, type TrainerHandle } from './supervisor';
export { DEFAULT_THREADS, THREADS_ENV, resolveThreadCount } from './threads';
export { probeBackend, tfjsNodeLooksInstalled, wasmAvailable } from './backend-probe';
