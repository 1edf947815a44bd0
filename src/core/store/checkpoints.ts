/**
 * Where a run's checkpoints are on disk (`best` and `last`; a newer one replaces the older path).
 *
 * A location inside the studio folder (the database's own folder, where `checkpoints/` lives) is
 * stored relative to it, so a studio folder that is moved, copied or restored elsewhere keeps
 * finding its checkpoints; one elsewhere (a custom folder on another drive) stays absolute.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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
    .run(runId, role, epoch, storedLocation(ctx.file, normalisePath(path)), Date.now());
}

/** `path` relative to `folder` when it lies inside it, else null. */
function inside(folder: string, path: string): string | null {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : null;
}

/**
 * How a location is stored for the database `dbFile`: relative to its folder (with '/' on every
 * platform, so a folder copied between systems still resolves) when inside it, else absolute.
 */
export function storedLocation(dbFile: string, absolute: string): string {
  const rel = inside(dirname(dbFile), resolve(absolute));
  return rel === null ? resolve(absolute) : rel.split(sep).join('/');
}

/** A stored location as an absolute path for the database `dbFile`. */
export function resolvedLocation(dbFile: string, stored: string): string {
  return isAbsolute(stored) ? stored : join(dirname(dbFile), ...stored.split('/'));
}

/**
 * An absolute location recorded before the studio folder moved, found again inside it: the
 * longest tail of the old path (at least `checkpoints/<run>`, two parts) that exists in the
 * studio folder now. Null when it is not there (it stays as recorded).
 */
export function relocated(dbFile: string, absolute: string): string | null {
  if (inside(dirname(dbFile), absolute) !== null) return storedLocation(dbFile, absolute);
  const parts = absolute.split(/[\\/]+/).filter(Boolean);
  for (let start = 1; start <= parts.length - 2; start++) {
    const tail = parts.slice(start).join('/');
    if (existsSync(resolvedLocation(dbFile, tail))) return tail;
  }
  return null;
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
  const rows = ctx
    .statement('SELECT role, epoch, path, created_at AS createdAt FROM checkpoints WHERE run_id = ? ORDER BY role')
    .all(runId) as CheckpointInfo[];
  return rows.map((row) => ({ ...row, path: resolvedLocation(ctx.file, row.path) }));
}
