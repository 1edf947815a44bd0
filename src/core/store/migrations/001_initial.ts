/**
 * The first schema. SQL lives in TS modules (not .sql files) so the bundler carries it into the
 * packaged app without a loader or a copy step.
 *
 * Times are INTEGER milliseconds since the Unix epoch. Child tables cascade on run deletion and
 * lead with run_id in their key, so the cascade and per-run reads are index lookups.
 */
import type { Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued','running','completed','stopped','diverged','failed','interrupted')),
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER,
      -- The full validated Hyperparams; the columns below copy the fields people sort and filter by.
      config_json TEXT NOT NULL,
      preset TEXT,
      optimizer TEXT NOT NULL,
      learning_rate REAL NOT NULL,
      batch_size INTEGER NOT NULL,
      epochs INTEGER NOT NULL,
      seed INTEGER NOT NULL,
      conv_activation TEXT NOT NULL,
      pooling TEXT NOT NULL,
      backend TEXT,
      tfjs_version TEXT,
      dataset_json TEXT,
      dataset_official INTEGER,
      -- SHA-256 of the decompressed t10k labels file: the key of test_labels.
      test_labels_sha256 TEXT,
      train_size INTEGER,
      validation_size INTEGER,
      test_size INTEGER,
      batches_per_epoch INTEGER,
      parameter_count INTEGER,
      notes TEXT NOT NULL DEFAULT '',
      error TEXT,
      end_reason TEXT,
      best_validation_accuracy REAL,
      best_test_accuracy REAL,
      final_test_accuracy REAL,
      best_epoch INTEGER,
      epochs_done INTEGER NOT NULL DEFAULT 0,
      checkpoint_dir TEXT,
      -- The process that records this run's events; a run whose owner is gone is interrupted.
      owner_pid INTEGER,
      owner_host TEXT,
      owner_token TEXT
    );
    CREATE INDEX runs_by_created_at ON runs (created_at);
    CREATE INDEX runs_by_status ON runs (status);
    CREATE INDEX runs_by_best_test_accuracy ON runs (best_test_accuracy);
    CREATE INDEX runs_by_preset ON runs (preset);

    CREATE TABLE run_tags (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      tag TEXT NOT NULL,
      position INTEGER NOT NULL, -- keeps the order the user typed them in
      PRIMARY KEY (run_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX run_tags_by_tag ON run_tags (tag, run_id);

    CREATE TABLE epoch_metrics (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      epoch INTEGER NOT NULL,
      train_loss REAL,
      train_accuracy REAL,
      validation_loss REAL,
      validation_accuracy REAL,
      test_loss REAL,
      test_accuracy REAL,
      learning_rate REAL,
      seconds REAL,
      images_per_sec REAL,
      PRIMARY KEY (run_id, epoch)
    ) WITHOUT ROWID;

    -- The per-batch curve, downsampled: each run is cut into at most ~2,000 equal slices of its
    -- planned batches and each slice keeps the mean of the events that fell into it.
    CREATE TABLE batch_points (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      slice INTEGER NOT NULL,
      step INTEGER NOT NULL,
      epoch INTEGER NOT NULL,
      batch INTEGER NOT NULL,
      loss_sum REAL,
      accuracy_sum REAL,
      samples INTEGER NOT NULL,
      PRIMARY KEY (run_id, slice)
    ) WITHOUT ROWID;

    CREATE TABLE evaluations (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('best','final')),
      epoch INTEGER NOT NULL,
      accuracy REAL NOT NULL,
      confusion_json TEXT NOT NULL,
      precision_json TEXT NOT NULL,
      recall_json TEXT NOT NULL,
      f1_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (run_id, role)
    );

    -- Kept apart from evaluations so reading a run's evaluations never walks 110 KB overflow chains.
    -- predicted: one byte per test image; probabilities: 10 bytes per image, round(p × 255).
    CREATE TABLE predictions (
      evaluation_id INTEGER PRIMARY KEY REFERENCES evaluations (id) ON DELETE CASCADE,
      count INTEGER NOT NULL,
      encoding TEXT NOT NULL,
      predicted BLOB NOT NULL,
      probabilities BLOB NOT NULL
    );

    -- True test labels, once per distinct labels file, so prediction queries need no dataset file.
    CREATE TABLE test_labels (
      sha256 TEXT PRIMARY KEY,
      count INTEGER NOT NULL,
      labels BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE checkpoints (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('best','last')),
      epoch INTEGER NOT NULL,
      path TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (run_id, role)
    ) WITHOUT ROWID;
  `,
};
