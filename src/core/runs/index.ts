/**
 * The runs room's front door: the queue that starts runs on trainers (RunService), sweeps as a
 * whole (sweep-service.ts), and which runs may continue and from where (resume-policy.ts).
 */
export { RunService, forRenderer, type QueueOptions, type RunServiceOptions, type RungJudge } from './run-service';
export { previewSweep, startSweep, stopSweep } from './sweep-service';
export { checkResumable, type ResumePlan } from './resume-policy';
