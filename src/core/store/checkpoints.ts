/**
 * Where a run's checkpoints are on disk (`best` and `last`; a newer one replaces the older path).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckpointInfo, CheckpointRole } from '../../shared/runs';
import type { StoreContext } from './context';
import { StoreError } from './errors';

export function recordCheckpoint(
  ctx: StoreContext,
  runId: number,
  role: CheckpointRole,
  epoch: number,
  path: string,
): void {
  if (role !== 'best' && role !== 'last')
    throw new StoreError('invalid-input', `Unknown checkpoint role ${String(role)}.`);
  if (typeof path !== 'string' || path.length === 0)
    throw new StoreError('invalid-input', 'A checkpoint event needs a path.');
  ctx
    .statement(
      `INSERT INTO checkpoints (run_id, role, epoch, path, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, role) DO UPDATE SET epoch = excluded.epoch, path = excluded.path, created_at = excluded.created_at`,
    )
    .run(runId, role, epoch, normalisePath(path), Date.now());
}

/** tfjs names save targets as file:// URLs; store a plain absolute path either way. */
function normalisePath(path: string): string {
  if (path.startsWith('file://')) {
    try {
      return fileURLToPath(path);
    } catch {
      return resolve(path.slice('file://'.length));
    }
  }
  return resolve(path);
}

export function checkpointsOf(ctx: StoreContext, runId: number): CheckpointInfo[] {
  return ctx
    .statement('SELECT role, epoch, path, created_at AS createdAt FROM checkpoints WHERE run_id = ? ORDER BY role')
    .all(runId) as CheckpointInfo[];
}
