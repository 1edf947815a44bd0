/**
 * The decompressed bytes of a gzip IDX file, kept once in a cache folder with their SHA-256.
 * Decompressing the 26 MB training images and hashing the result cost ≈ 0.8–1.3 s at every trainer
 * start here; reading the 47 MB back costs ≈ 50 ms. An entry is keyed by the source's path, size and
 * mtime, so a replaced file is decompressed again. The cache only ever saves time: any failure to
 * read or write it falls back to decompressing, and what is read is validated like a fresh file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../save-file';

export interface DecodedIdx {
  bytes: Uint8Array;
  sha256: string;
}

/** What is stored beside the bytes: their hash (the dataset identity) and length (a torn write check). */
interface Sidecar {
  sha256: string;
  length: number;
}

/** `<file name>.<16 hex of the source stamp>`: one entry per version of each source file. */
async function entryName(path: string): Promise<string> {
  const s = await stat(path);
  const stamp = createHash('sha256').update(`${path}\0${s.size}\0${s.mtimeMs}`).digest('hex').slice(0, 16);
  return `${basename(path)}.${stamp}`;
}

async function readEntry(base: string): Promise<DecodedIdx | null> {
  try {
    const sidecar = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Sidecar;
    const bytes = await readFile(`${base}.idx`);
    if (typeof sidecar.sha256 !== 'string' || bytes.length !== sidecar.length) return null;
    return { bytes, sha256: sidecar.sha256 };
  } catch {
    return null;
  }
}

/**
 * Write-then-rename, bytes before the sidecar: a reader sees a whole entry or none, and a write
 * that fails (a full disk) leaves no temporary file taking the space.
 */
async function writeEntry(dir: string, name: string, decoded: DecodedIdx): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Older versions of this file are never read again.
  const sameFile = name.slice(0, name.lastIndexOf('.') + 1);
  for (const old of await readdir(dir)) {
    if (old.startsWith(sameFile) && !old.startsWith(name)) {
      await rm(join(dir, old), { force: true });
    }
  }
  const base = join(dir, name);
  await writeFileAtomic(`${base}.idx`, decoded.bytes);
  const sidecar: Sidecar = { sha256: decoded.sha256, length: decoded.bytes.length };
  await writeFileAtomic(`${base}.json`, JSON.stringify(sidecar));
}

/**
 * The decoded bytes of `path` from `cacheDir` when an entry for this version of the file is there,
 * else `decode()`'s result, stored for next time.
 */
export async function cachedDecode(
  path: string,
  cacheDir: string,
  decode: () => Promise<DecodedIdx>,
): Promise<DecodedIdx> {
  let name: string;
  try {
    name = await entryName(path);
  } catch {
    return decode(); // the source cannot be stat'ed: let decode() name the problem
  }
  const hit = await readEntry(join(cacheDir, name));
  if (hit) return hit;
  const decoded = await decode();
  await writeEntry(cacheDir, name, decoded).catch(() => {
    // A read-only or full disk costs the next start a decompression, nothing more.
  });
  return decoded;
}
