/**
 * Per-epoch snapshots for the inspector's epoch slider. About 13 KB an epoch, so a 200-epoch run
 * stays well inside its 5 MB budget:
 * - kernels: C1 and C3 kernels and biases (2,572 numbers) as int8, one scale per group
 *   (value = byte × scale; the scale is max |value| / 127), groups in `kernel_scales_json` order
 *   c1, c1 bias, c3, c3 bias;
 * - confusion_json: the 10×10 test confusion;
 * - outcomes: one byte per test image, predicted class in the low 4 bits and round(15 × p(true
 *   class)) in the high 4 bits.
 * Runs recorded before this migration simply have no rows (the slider says so).
 */
import type { Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'epoch_snapshots',
  sql: /* sql */ `
    CREATE TABLE epoch_snapshots (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      epoch INTEGER NOT NULL,
      kernels BLOB NOT NULL,
      kernel_scales_json TEXT NOT NULL,
      confusion_json TEXT NOT NULL,
      outcomes BLOB NOT NULL,
      PRIMARY KEY (run_id, epoch)
    );
  `,
};
