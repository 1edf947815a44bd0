/**
 * Starting and stopping sweeps: expand the definition, record the sweep, queue its runs (each
 * linked to it) with the sweep's number of trainers at once, and stop all of them together.
 */
import { expandSweep, parseSweepDefinition, SweepError, CONFIRM_RUNS_ABOVE, describeValues } from '../../shared/sweep';
import type { SweepDefinitionInput, SweepDetail, SweepPreview, SweepRunPlan } from '../../shared/sweep';
import { StudioError } from '../errors';
import type { RunService, RungJudge } from './run-service';
import type { Store } from '../store';
import { estimateRunSeconds, planOf, type MeasuredSpeed } from '../../shared/run-estimate';
import { expectedEpochs, prunedReason, survivesRung, type Halving } from '../../shared/halving';
import { selectionAccuracy } from '../../shared/runs';
import { startSequentialSweep } from './sequential-sweep';

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
  // The same estimate New run shows for one run, for the epochs halving is expected to leave each
  // run, summed and shared among the trainers.
  const speed = store.machineSpeed();
  const seconds = (p: SweepRunPlan, speed: MeasuredSpeed) =>
    estimateRunSeconds({ ...planOf(p.config), epochs: expectedEpochs(parsed.halving, p.config.epochs) }, speed);
  const serial = speed && plans.reduce((s, p) => s + seconds(p, speed), 0);
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
  const sweepId = store.createSweep({ name, definition: parsed, runCount: plans.length, parallel });
  const halving = parsed.halving && rungJudge(store, sweepId, parsed.halving);
  if (parsed.method === 'tpe') {
    startSequentialSweep(store, runService, {
      sweepId,
      name,
      definition: parsed,
      queueOptions: { parallel, ...(halving && { halving }) },
    });
    return store.getSweep(sweepId);
  }
  for (const plan of plans) {
    const run = runService.start(
      { config: plan.config, name: `${name} · ${describeValues(plan.values)}`, preset: parsed.preset },
      { parallel, ...(halving && { halving }) },
    );
    store.linkRunToSweep({ sweepId, runId: run.id });
  }
  return store.getSweep(sweepId);
}

/**
 * Successive halving over the sweep's runs: a run that completed a rung is ranked against every
 * run of the sweep that has completed it so far (the store holds its own row by then) and stops
 * unless it is in the top half.
 */
function rungJudge(store: Store, sweepId: number, halving: Halving): RungJudge {
  return {
    epochs: halving.epochs,
    judge(runId, epoch) {
      const entries = store.rungEntries({ sweepId, epoch });
      const score = (e: (typeof entries)[number]): number => selectionAccuracy(e) ?? -Infinity;
      const own = entries.find((e) => e.runId === runId);
      if (!own) return null; // its epoch row could not be stored: judge nothing rather than guess
      return survivesRung(score(own), entries.map(score)) ? null : prunedReason(epoch);
    },
  };
}

/** Stop every run of the sweep: the queued ones first, so none starts as a running one ends. */
export function stopSweep(store: Store, runService: RunService, id: number): SweepDetail {
  const sweep = store.getSweep(id);
  store.markSweepStopped(id);
  const queued = sweep.runs.filter((r) => r.status === 'queued').map((r) => r.id);
  const running = sweep.runs.filter((r) => r.status === 'running').map((r) => r.id);
  for (const runId of [...queued, ...running]) {
    if (runService.isActive(runId)) runService.stop(runId);
  }
  return store.getSweep(id);
}
