/**
 * Starting and stopping sweeps: expand the definition, record the sweep, queue its runs (each
 * linked to it) with the sweep's number of trainers at once, and stop all of them together.
 */
import { expandSweep, parseSweepDefinition, SweepError, CONFIRM_RUNS_ABOVE, describeValues } from '../shared/sweep';
import type { SweepDefinitionInput, SweepDetail, SweepPreview, SweepRunPlan } from '../shared/sweep';
import { StudioError } from './errors';
import type { RunService } from './run-service';
import type { Store } from './store';
import { createSweep, getSweep, linkRunToSweep, markSweepStopped } from './store/sweeps';
import { latestMachineSpeed } from './store/queries/machine-speed';
import { estimateRunSeconds, planOf } from '../shared/run-estimate';

function checked(definition: SweepDefinitionInput) {
  try {
    const parsed = parseSweepDefinition(definition);
    return { parsed, plans: expandSweep(parsed) };
  } catch (err) {
    if (err instanceof SweepError) throw new StudioError('invalid-input', err.message);
    throw err;
  }
}

export function previewSweep(store: Store, definition: SweepDefinitionInput, defaultParallel: number): SweepPreview {
  const { parsed, plans } = checked(definition);
  const parallel = parsed.parallel ?? defaultParallel;
  // The same estimate New run shows for one run, summed and shared among the trainers.
  const speed = store.run(latestMachineSpeed, undefined);
  const serial = speed && plans.reduce((s, p: SweepRunPlan) => s + estimateRunSeconds(planOf(p.config), speed), 0);
  return {
    runCount: plans.length,
    sample: plans.slice(0, 5).map((p) => describeValues(p.values)),
    parallel,
    estimatedSeconds: serial === null ? null : serial / parallel,
    needsConfirmation: plans.length > CONFIRM_RUNS_ABOVE,
  };
}

export function startSweep(
  store: Store,
  runService: RunService,
  request: { definition: SweepDefinitionInput; confirmed?: boolean },
  defaultParallel: number,
): SweepDetail {
  const { parsed, plans } = checked(request.definition);
  if (plans.length > CONFIRM_RUNS_ABOVE && !request.confirmed) {
    throw new StudioError(
      'conflict',
      `This sweep makes ${plans.length.toLocaleString('en-US')} runs, more than ${CONFIRM_RUNS_ABOVE.toLocaleString('en-US')}: confirm to start it.`,
    );
  }
  const parallel = parsed.parallel ?? defaultParallel;
  const name = parsed.name ?? `sweep of ${parsed.vary.map((v) => v.flag).join(', ')}`;
  const sweepId = store.run(createSweep, { name, definition: parsed, runCount: plans.length, parallel });
  for (const plan of plans) {
    const run = runService.start(
      { config: plan.config, name: `${name} · ${describeValues(plan.values)}`, preset: parsed.preset },
      { parallel },
    );
    store.run(linkRunToSweep, { sweepId, runId: run.id });
  }
  return store.run(getSweep, sweepId);
}

/** Stop every run of the sweep: the queued ones first, so none starts as a running one ends. */
export function stopSweep(store: Store, runService: RunService, id: number): SweepDetail {
  const sweep = store.run(getSweep, id);
  store.run(markSweepStopped, id);
  const queued = sweep.runs.filter((r) => r.status === 'queued').map((r) => r.id);
  const running = sweep.runs.filter((r) => r.status === 'running').map((r) => r.id);
  for (const runId of [...queued, ...running]) {
    if (runService.isActive(runId)) runService.stop(runId);
  }
  return store.run(getSweep, id);
}
