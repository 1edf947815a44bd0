/**
 * Sweeps: a stored definition (what varies, how, over how many seeds) and the runs it made, linked
 * by `runs.sweep_id`. Deleting a sweep keeps its runs (they become ordinary runs). Resume needs no
 * table: its state lives in the run's `last` checkpoint folder beside the weights.
 */
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'sweeps',
  sql: /* sql */ `
    CREATE TABLE sweeps (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      -- The validated SweepDefinition (shared/sweep.ts) it was started with.
      definition_json TEXT NOT NULL,
      run_count INTEGER NOT NULL,
      -- Trainers at once for this sweep's runs.
      parallel INTEGER NOT NULL,
      -- Set when the user stopped the sweep as a whole.
      stopped_at INTEGER
    );
    ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps (id) ON DELETE SET NULL;
    CREATE INDEX runs_by_sweep ON runs (sweep_id);
  `,
};
