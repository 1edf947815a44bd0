/**
 * Writing files: whole or not at all, and never over what the studio owns.
 *
 * `writeFileAtomic` writes a temporary file in the target's own folder (so the rename cannot cross
 * file systems), flushes it and renames it into place; on any failure the temporary file is
 * removed, so a full disk gets its space back and the target keeps its old content.
 * `saveUserFile` is the one door for a path the user chose (export, any later "save as"): it
 * refuses the database, its -wal/-shm/-journal and everything in the studio's folder layout, by
 * name, however the path reaches them (relative, through a symlink, or as a hard link).
 */
import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { StudioError } from './errors';
import type { OwnedPlace } from './paths';

/** A hidden name beside `target`, unique to this process and call. */
function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Write `data` to `target` through a temporary file in the same folder and a rename. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      // A rename is only as durable as the data it points at.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The absolute path with the symlinks of every existing ancestor resolved; the rest as written. */
function realPathOf(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPathOf(parent), basename(absolute));
  }
}

// macOS and Windows file systems usually ignore case: Studio.DB is the database there.
const foldCase = (path: string): string =>
  process.platform === 'darwin' || process.platform === 'win32' ? path.toLowerCase() : path;

function sameOrInside(place: string, candidate: string, folder: boolean): boolean {
  const rel = relative(foldCase(place), foldCase(candidate));
  return rel === '' || (folder && !rel.startsWith('..') && !isAbsolute(rel));
}

/** Two names of one file (a hard link): same device and inode. */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Refuse (with 'forbidden', naming what it is) a target that is or lies inside a studio-owned place. */
export function refuseStudioOwned(target: string, places: readonly OwnedPlace[]): void {
  const real = realPathOf(target);
  for (const place of places) {
    const placeReal = realPathOf(place.path);
    if (sameOrInside(placeReal, real, place.folder) || (!place.folder && sameFile(target, place.path))) {
      const inside = place.folder && !sameOrInside(placeReal, real, false);
      throw new StudioError(
        'forbidden',
        `${target} is ${inside ? `inside ${place.what} (${place.path})` : place.what}: the studio will not write over its own files. Nothing was written; choose a file elsewhere.`,
      );
    }
  }
}

/** Words for a failed write, by the OS's code. */
function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'the folder is not writable';
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  return (error as Error | null)?.message ?? String(error);
}

/**
 * Save `data` at the user-chosen `target`: refused when the studio owns it, written whole or not
 * at all. Fails with a StudioError ('forbidden', 'invalid-input' or 'io') naming the file.
 */
export async function saveUserFile(
  target: string,
  data: string | Uint8Array,
  owned: readonly OwnedPlace[],
): Promise<void> {
  refuseStudioOwned(target, owned);
  let isFolder = false;
  try {
    isFolder = statSync(target).isDirectory();
  } catch {
    // Not there yet: the usual case.
  }
  if (isFolder) throw new StudioError('invalid-input', `${target} is a folder; choose a file name to save to.`);
  try {
    await writeFileAtomic(target, data);
  } catch (error) {
    throw new StudioError(
      'io',
      `${target} could not be saved (${writeFailure(error)}). Nothing was written there; any file already there is unchanged.`,
    );
  }
}
