/**
 * The feature map's cache: files beside a checkpoint (saveCheckpoint replaces the whole folder, so
 * a rewritten checkpoint drops them). Layout: "LNFEAT01", a u32 header length, the header as
 * JSON, the payload, then the SHA-256 of everything before it. A file that is short, altered,
 * from another format version or made for other weights is not trusted: `readFeatureCache`
 * answers null and the caller recomputes (and rewrites it).
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const MAGIC = Buffer.from('LNFEAT01', 'ascii');
const DIGEST_BYTES = 32;

/** What a cache file was made from; a file is used only when every field matches. */
export interface CacheKey {
  /** e.g. "train-C5", "map-F6-umap". */
  kind: string;
  /** SHA-256 of the checkpoint's weights.bin. */
  weights: string;
}

export interface CacheEntry<Meta> {
  meta: Meta;
  payload: Uint8Array;
}

export function writeFeatureCache<Meta>(file: string, key: CacheKey, meta: Meta, payload: Uint8Array): void {
  const header = Buffer.from(JSON.stringify({ key, meta }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const body = Buffer.concat([MAGIC, length, header, payload]);
  const digest = createHash('sha256').update(body).digest();
  // Write then rename: a crash mid-write leaves a stray .partial, never a half file under the name.
  const partial = `${file}.partial`;
  writeFileSync(partial, Buffer.concat([body, digest]));
  renameSync(partial, file);
}

/** The entry, or null when the file is missing, damaged or made for another key. */
export function readFeatureCache<Meta>(file: string, key: CacheKey): CacheEntry<Meta> | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const parsed = parse<Meta>(bytes, key);
  // A damaged file is removed so the next write does not race a reader of the bad one.
  if (!parsed) rmSync(file, { force: true });
  return parsed;
}

function parse<Meta>(bytes: Buffer, key: CacheKey): CacheEntry<Meta> | null {
  if (bytes.length < MAGIC.length + 4 + DIGEST_BYTES) return null;
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - DIGEST_BYTES))) return null;
  const headerLength = body.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > body.length) return null;
  let header: { key?: CacheKey; meta?: Meta };
  try {
    header = JSON.parse(body.subarray(MAGIC.length + 4, headerEnd).toString('utf8')) as typeof header;
  } catch {
    return null;
  }
  if (header.key?.kind !== key.kind || header.key.weights !== key.weights) return null;
  // A copy, aligned at 0, so callers can view it as Float32Array.
  return { meta: header.meta as Meta, payload: new Uint8Array(body.subarray(headerEnd)) };
}
