/**
 * Checkpoint locations relative to the studio folder (store/checkpoints.ts). Databases recorded
 * absolute paths; each one inside the database's folder, or found there again after the folder
 * was moved (the same `checkpoints/run-N/…` tail), becomes relative. A path found nowhere stays as
 * it was: it may be on a drive that is not plugged in.
 */
import type Database from 'better-sqlite3';
import { relocated } from '../checkpoints';
import type { Migration } from './types';

function rewritePaths(db: Database.Database, file: string): void {
  const checkpoints = db.prepare('SELECT run_id, role, path FROM checkpoints').all() as {
    run_id: number;
    role: string;
    path: string;
  }[];
  const setPath = db.prepare('UPDATE checkpoints SET path = ? WHERE run_id = ? AND role = ?');
  for (const row of checkpoints) {
    const found = relocated(file, row.path);
    if (found !== null && found !== row.path) setPath.run(found, row.run_id, row.role);
  }
  const runs = db.prepare('SELECT id, checkpoint_dir FROM runs WHERE checkpoint_dir IS NOT NULL').all() as {
    id: number;
    checkpoint_dir: string;
  }[];
  const setDir = db.prepare('UPDATE runs SET checkpoint_dir = ? WHERE id = ?');
  for (const row of runs) {
    const found = relocated(file, row.checkpoint_dir);
    if (found !== null && found !== row.checkpoint_dir) setDir.run(found, row.id);
  }
}

export const migration005: Migration = {
  version: 5,
  name: 'relative_checkpoints',
  sql: '',
  rewrite: rewritePaths,
};
