/**
 * A sequential (tpe) sweep: `parallel` combinations train at once; each time every seed of a
 * combination has ended, the next combination is proposed from the ended ones (shared/tpe.ts) and
 * queued, until the sweep's `samples` are spent or it is stopped. A combination's score is the mean
 * of its runs' best selection accuracy (validation, else test: shared/runs.ts), the figure
 * successive halving ranks by, so a run halving pruned counts with the accuracy it had when it
 * stopped — low, as it should. A combination whose runs all failed gives no observation.
 */
import { plansOf, searchSpace, describeValues, type SweepDefinition } from '../../shared/sweep';
import { proposeTpe, startupFor, type Observation } from '../../shared/tpe';
import { selectionAccuracy } from '../../shared/runs';
import type { Store } from '../store';
import type { QueueOptions, RunService } from './run-service';

export interface SequentialSweep {
  sweepId: number;
  name: string;
  definition: SweepDefinition;
  queueOptions: QueueOptions;
}

/** Queue the first combinations and keep proposing as they end. */
export function startSequentialSweep(store: Store, runService: RunService, sweep: SequentialSweep): void {
  const { definition } = sweep;
  const space = searchSpace(definition);
  const history: Observation[] = [];
  let proposed = 0;

  const launch = (): void => {
    const combo = proposeTpe(space, history, proposed, {
      seed: definition.samplingSeed,
      startup: startupFor(definition.samples),
    });
    proposed += 1;
    const ids = plansOf(definition, combo).map((plan) => {
      const run = runService.start(
        { config: plan.config, name: `${sweep.name} · ${describeValues(plan.values)}`, preset: definition.preset },
        sweep.queueOptions,
      );
      store.linkRunToSweep({ sweepId: sweep.sweepId, runId: run.id });
      return run.id;
    });
    // Synchronously on the last run's end: whoever waits on the sweep's runs (the CLI) sees the
    // next combination's runs linked before its own wait on that run resumes.
    void Promise.all(ids.map((id) => runService.whenFinished(id))).then(() => {
      const scores = ids.map((id) => bestSelection(store, id)).filter((v): v is number => v !== null);
      if (scores.length) history.push({ values: combo, score: scores.reduce((a, b) => a + b, 0) / scores.length });
      if (proposed < definition.samples && store.getSweep(sweep.sweepId).stoppedAt === null) launch();
    });
  };

  const parallelCombos = Math.max(1, Math.floor((sweep.queueOptions.parallel ?? 1) / definition.seeds));
  for (let k = 0; k < Math.min(parallelCombos, definition.samples); k++) launch();
}

/** The run's best selection accuracy over its stored epochs; null when it has none. */
function bestSelection(store: Store, id: number): number | null {
  const figures = store
    .getRun(id)
    .epochMetrics.map((e) => selectionAccuracy(e))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  return figures.length ? Math.max(...figures) : null;
}
