/**
 * Learning-rate range tests (shared/lr-range.ts) are stored as runs of their own kind, so they
 * share the queue, the trainer, the status machine and deletion with training runs, and every
 * list that means "training runs" filters on `kind`. Runs recorded before this migration are
 * training runs (the default).
 *
 * lr_range_tests holds the sweep's settings (written when the test is queued) and its outcome
 * (written once at its end); lr_range_points its curve, one row per batch (a few hundred).
 */
import type { Migration } from './types';

export const migration007: Migration = {
  version: 7,
  name: 'lr_range_tests',
  sql: /* sql */ `
    ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'train' CHECK (kind IN ('train','lr-range-test'));
    CREATE INDEX runs_by_kind ON runs (kind, created_at);

    CREATE TABLE lr_range_tests (
      run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      min_lr REAL NOT NULL,
      max_lr REAL NOT NULL,
      steps INTEGER NOT NULL,
      -- NULL until the test ends; suggestion stays NULL when the loss never fell.
      suggestion REAL,
      rule TEXT,
      min_loss_lr REAL,
      stop_reason TEXT CHECK (stop_reason IN ('diverged','max-lr','stopped')),
      points INTEGER
    );

    CREATE TABLE lr_range_points (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      learning_rate REAL NOT NULL,
      loss REAL NOT NULL,
      smoothed_loss REAL NOT NULL,
      PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID;
  `,
};
