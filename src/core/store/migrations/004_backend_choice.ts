/**
 * How a run's backend was chosen (`wasm ×1 thread, chosen by measurement wasm 4,900 vs tensorflow
 * 3,100 img/s`, `…, forced`), beside the backend name the runs table already had. Runs recorded
 * before this migration have NULL: the name is all that is known of them.
 */
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'backend_choice',
  sql: /* sql */ `
    ALTER TABLE runs ADD COLUMN backend_choice TEXT;
  `,
};
