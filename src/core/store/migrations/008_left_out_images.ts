/**
 * Runs that leave out the images the user marked "label is wrong" (hyperparameter `excludeMarked`,
 * issue 26): which images a run left out is resolved when it starts, from the marks on the
 * training file it loaded, and kept here, so the run's record (Compare's "left out 37 marked
 * images", a resume) does not change when the marks change later.
 *
 * `indices`: uint32 little-endian training-file indices, ascending (4 bytes per image left out);
 * `images_sha256`/`labels_sha256` name the training file they index. Runs without the option, and
 * runs recorded before this migration, have no row: they left nothing out.
 */
import type { Migration } from './types';

export const migration008: Migration = {
  version: 8,
  name: 'left_out_images',
  sql: /* sql */ `
    CREATE TABLE run_left_out (
      run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      images_sha256 TEXT NOT NULL,
      labels_sha256 TEXT NOT NULL,
      image_count INTEGER NOT NULL CHECK (image_count >= 0),
      indices BLOB NOT NULL
    );
  `,
};
