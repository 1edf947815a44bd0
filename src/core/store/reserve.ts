/**
 * A little space kept back for a run's last word. On a full disk SQLite cannot add the `failed`
 * event to its log, and the run would stay `running` until the next open called it `interrupted`,
 * losing the real reason (ENOSPC). So a writable store keeps a small reserve file beside the
 * database; when a final event cannot be written for lack of space, the reserve is released and
 * the write tried once more, and the reserve is made again when there is room.
 */
import { rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { DB_RESERVE_SUFFIX } from '../paths';

/** Enough for a few WAL frames of 4 KB pages: the run's row, its status index, the commit. */
export const RESERVE_BYTES = 256 * 1024;

const reservePath = (dbFile: string): string => `${dbFile}${DB_RESERVE_SUFFIX}`;

/** Make the reserve if it is not whole; without room it is simply not there (tried again later). */
export function ensureReserve(dbFile: string): void {
  const path = reservePath(dbFile);
  try {
    if (statSync(path).size === RESERVE_BYTES) return;
  } catch {
    // Not there yet.
  }
  try {
    // Zeros really written (not a sparse file), so the blocks are held.
    writeFileSync(path, Buffer.alloc(RESERVE_BYTES));
  } catch {
    rmSync(path, { force: true });
  }
}

/** Give the reserve's space back; false when there was none to give. */
export function releaseReserve(dbFile: string): boolean {
  try {
    unlinkSync(reservePath(dbFile));
    return true;
  } catch {
    return false;
  }
}

/** SQLite's "database or disk is full", or the OS's ENOSPC, however wrapped. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null; e; e = e.cause as typeof e) {
    if (e.code === 'SQLITE_FULL' || e.code === 'ENOSPC' || e.code === 'EDQUOT') return true;
  }
  return false;
}
