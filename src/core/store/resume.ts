/**
 * Putting a stopped, interrupted or failed run (or a completed one being extended) back in the
 * queue: its curves continue on the same run, so what was recorded after the checkpoint it
 * resumes from (an epoch that finished after the last checkpoint was written) is dropped.
 */
import type { Hyperparams } from '../../shared/hyperparams';
import { inWriteTransaction, type StoreContext } from './context';
import { currentProcess } from './owner';
import { nextStatus } from './run-status';
import { requireRunRow } from './runs';

export interface ResumeInput {
  id: number;
  /** The configuration to continue with (a larger `epochs` when extending). */
  config: Hyperparams;
  /** The epoch of the `last` checkpoint the trainer continues from. */
  fromEpoch: number;
}

export function requeueForResume(ctx: StoreContext, input: ResumeInput): void {
  const { id, config, fromEpoch } = input;
  const owner = currentProcess();
  inWriteTransaction(ctx, () => {
    const status = nextStatus(requireRunRow(ctx, id), 'resume');
    ctx.statement('DELETE FROM epoch_metrics WHERE run_id = ? AND epoch > ?').run(id, fromEpoch);
    ctx.statement('DELETE FROM batch_points WHERE run_id = ? AND epoch > ?').run(id, fromEpoch);
    ctx
      .statement(
        `UPDATE runs SET status = @status, finished_at = NULL, error = NULL, end_reason = NULL,
           config_json = @config, epochs = @epochs, epochs_done = @fromEpoch,
           owner_pid = @pid, owner_host = @host, owner_token = @token
         WHERE id = @id`,
      )
      .run({
        id,
        status,
        config: JSON.stringify(config),
        epochs: config.epochs,
        fromEpoch,
        pid: owner.pid,
        host: owner.host,
        token: owner.token,
      });
    ctx.plannedEpochs.set(id, config.epochs);
  });
}
