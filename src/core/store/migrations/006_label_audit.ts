/**
 * The label audit (issue 26): per-run area-under-the-margin sums, and the user's marks on
 * training images.
 *
 * `run_margins`: one row per run, replaced after each epoch. `sums` is float32 little-endian per
 * image of the training file (file order; NaN = not trained on), `believed` one byte per image (the
 * largest other class at its latest epoch, 255 = not trained on), `labels` the labels it trained
 * with. 60,000 images: 240 KB + 60 KB + 60 KB = 360 KB per run, whatever its number of epochs.
 * Runs recorded before this migration have no row: the audit says so.
 *
 * `label_marks`: the user's own data, so no foreign key to a run (deleting a run keeps them). A
 * mark is keyed by the training file it was made on (the SHA-256 of its images and labels files)
 * and the image's index in it; the folder and the label the image had are kept so that a folder
 * whose files changed since is recognised and its old marks kept and shown as such.
 */
import type { Migration } from './types';

export const migration006: Migration = {
  version: 6,
  name: 'label_audit',
  sql: /* sql */ `
    CREATE TABLE run_margins (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      epochs INTEGER NOT NULL CHECK (epochs >= 1),
      image_count INTEGER NOT NULL CHECK (image_count >= 1),
      sums BLOB NOT NULL,
      believed BLOB NOT NULL,
      labels BLOB NOT NULL
    );
    CREATE TABLE label_marks (
      images_sha256 TEXT NOT NULL,
      labels_sha256 TEXT NOT NULL,
      image_index INTEGER NOT NULL CHECK (image_index >= 0),
      dataset_dir TEXT NOT NULL,
      given_label INTEGER NOT NULL CHECK (given_label BETWEEN 0 AND 9),
      mark TEXT NOT NULL CHECK (mark IN ('wrong', 'ambiguous', 'fine')),
      marked_at TEXT NOT NULL,
      PRIMARY KEY (images_sha256, labels_sha256, image_index)
    );
    CREATE INDEX label_marks_by_dir ON label_marks (dataset_dir);
  `,
};
