/**
 * Every migration in order. Add a step as `NNN_what.ts` and list it here; never edit a shipped one.
 */
import { migration001 } from './001_initial';
import { migration002 } from './002_epoch_snapshots';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002];

/** The schema version this build writes; a database recording a higher one is refused. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
