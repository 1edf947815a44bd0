/**
 * This machine's measured speed, for every estimate made before a run starts (New run's, a
 * sweep's preview): from the most recently finished runs, the first whose epochs were timed.
 */
import type { Hyperparams } from '../../../shared/hyperparams';
import { planOf, speedFromEpochs, type MachineSpeed } from '../../../shared/run-estimate';
import type { StoreContext } from '../context';
import { epochSeries } from '../metrics';

/** How many recent finished runs are looked at before giving up (older ones ran other code). */
const RECENT_RUNS = 5;

export function latestMachineSpeed(ctx: StoreContext): MachineSpeed | null {
  const rows = ctx
    .statement(
      `SELECT id, name, config_json FROM runs
       WHERE status IN ('completed', 'stopped') AND epochs_done > 0
       ORDER BY finished_at DESC, id DESC LIMIT ${RECENT_RUNS}`,
    )
    .all() as Array<{ id: number; name: string; config_json: string }>;
  for (const row of rows) {
    const config = JSON.parse(row.config_json) as Hyperparams;
    const speed = speedFromEpochs(epochSeries(ctx, row.id), planOf(config));
    if (speed) return { ...speed, runId: row.id, runName: row.name };
  }
  return null;
}
