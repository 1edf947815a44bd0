/**
 * Where a run's stored margins come from (issue 26): `training`, the trainer's per-epoch margins
 * summed over its epochs (area under the margin), or `checkpoint`, the final network's margins
 * computed afterwards from the run's last checkpoint for a run recorded before margins were kept
 * (one "epoch": the audit then ranks by the final network's margin only, and says so). Existing
 * rows were all written by trainers.
 */
import type { Migration } from './types';

export const migration010: Migration = {
  version: 10,
  name: 'margins_source',
  sql: /* sql */ `
    ALTER TABLE run_margins ADD COLUMN source TEXT NOT NULL DEFAULT 'training' CHECK (source IN ('training', 'checkpoint'));
  `,
};
