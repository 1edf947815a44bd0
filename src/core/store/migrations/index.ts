/**
 * Every migration in order. Add a step as `NNN_what.ts` and list it here; never edit a shipped one.
 * Steps are applied by which versions are recorded, not by the highest one, so branches that add
 * numbered steps in parallel (002 on one, 003 on another) merge cleanly: a database that has
 * 1 and 3 gets 2 when it arrives. Steps must therefore not depend on a step with a higher number.
 */
import { migration001 } from './001_initial';
import { migration003 } from './003_sweeps';
import { migration002 } from './002_epoch_snapshots';
import { migration004 } from './004_backend_choice';
import { migration005 } from './005_relative_checkpoints';
import { migration006 } from './006_label_audit';
import { migration007 } from './007_lr_range_tests';
import { migration008 } from './008_left_out_images';
import { migration009 } from './009_softmax_output';
import { migration010 } from './010_margins_source';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
];

/** The schema version this build writes; a database recording a higher one is refused. */
export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
