/**
 * The runs room's front door: the queue that starts runs on trainers (RunService) and sweeps as a
 * whole (sweep-service.ts). Which runs may continue, and from where, is the service's own affair
 * (resume-policy.ts).
 */
export { RunService } from './run-service';
export { previewSweep, startSweep, stopSweep } from './sweep-service';
