/**
 * IDX reader (the MNIST file format: big-endian header, then unsigned bytes) for 28×28 image files
 * and label files, raw or gzip-compressed. It trusts nothing in the file: a wrong or truncated file
 * must fail here with a message naming the file, not later as NaN losses or an out-of-range label
 * inside a one-hot encoding.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { cachedDecode, type DecodedIdx } from './decoded-cache';
import { DatasetError, formatCount } from './errors';
import { CLASS_COUNT, IMAGE_PIXELS, IMAGE_SIDE } from './official';

// Async gunzip runs on libuv's thread pool, so a 26 MB decompression does not block the
// trainer's message loop (a `stop` must still be heard while the data loads).
const gunzipAsync = promisify(gunzip);

/** IDX magic numbers: 0x00000803 = unsigned bytes, 3 dimensions; 0x00000801 = bytes, 1 dimension. */
export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/** Decoded IDX images: `count` 28×28 images, row-major, one byte per pixel. */
export interface IdxImages {
  images: Uint8Array;
  count: number;
}

/** Decoded IDX labels: one class index 0–9 per image. */
export interface IdxLabels {
  labels: Uint8Array;
  count: number;
}

/** gzip streams start with 1f 8b; anything else is read as a raw IDX file. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Read a file and return its IDX bytes (decompressed when the content is gzip, whatever the
 * file is called) plus the SHA-256 of those decompressed bytes, which is the dataset identity.
 */
export async function readIdxBytes(path: string, decodedCacheDir?: string): Promise<DecodedIdx> {
  if (decodedCacheDir && path.endsWith('.gz')) return cachedDecode(path, decodedCacheDir, () => readIdxBytes(path));
  const name = basename(path);
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw new DatasetError(name, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  let bytes: Uint8Array = raw;
  if (isGzip(raw)) {
    try {
      bytes = await gunzipAsync(raw);
    } catch (error) {
      // zlib says "unexpected end of file" for a cut-off download; keep its words, add ours.
      throw new DatasetError(
        name,
        `corrupt or truncated gzip data (${(error as Error).message}); delete the file so it can be fetched again`,
        { cause: error },
      );
    }
  }
  return { bytes, sha256: sha256Hex(bytes) };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A plain Uint8Array copy from `start`. Not `bytes.slice()`: on a Buffer that is a view sharing
 * the (possibly pooled) memory, and a Buffer does not survive structured clone as a typed array.
 * The copy owns its whole ArrayBuffer (byteOffset 0), so it can be transferred.
 */
function ownedCopy(bytes: Uint8Array, start: number): Uint8Array {
  return new Uint8Array(bytes.subarray(start));
}

function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** The exact-length rule shared by both file kinds: too short is truncation, too long is foreign. */
function checkLength(
  name: string,
  bytes: Uint8Array,
  header: number,
  count: number,
  itemBytes: number,
  noun: string,
): void {
  const expected = header + count * itemBytes;
  if (bytes.length < expected) {
    throw new DatasetError(
      name,
      `truncated: header promises ${formatCount(count)} ${noun} (${formatCount(expected)} bytes) but the file has ${formatCount(bytes.length)} bytes`,
    );
  }
  if (bytes.length > expected) {
    throw new DatasetError(
      name,
      `${formatCount(bytes.length - expected)} unexpected bytes after the ${formatCount(count)} ${noun} the header promises (${formatCount(expected)} bytes expected, file has ${formatCount(bytes.length)})`,
    );
  }
}

function checkMagic(name: string, bytes: Uint8Array, headerBytes: number, expected: number, what: string): void {
  const tooShort = () =>
    new DatasetError(
      name,
      `truncated: ${formatCount(bytes.length)} bytes is shorter than the ${headerBytes}-byte IDX ${what} header`,
    );
  if (bytes.length < 4) throw tooShort();
  // The magic number first: "this is a label file" is more useful than "too short for images".
  const magic = readU32(bytes, 0);
  if (magic !== expected) {
    const hint =
      magic === IDX_IMAGES_MAGIC
        ? ' (that is an image file)'
        : magic === IDX_LABELS_MAGIC
          ? ' (that is a label file)'
          : '';
    throw new DatasetError(name, `not an IDX ${what} file: magic number is ${magic}${hint}, expected ${expected}`);
  }
  if (bytes.length < headerBytes) throw tooShort();
}

/**
 * Validate and decode an IDX image file's bytes (already decompressed).
 * @param name the file name used in error messages
 * @param expectedCount when given, the header's image count must equal it
 * @throws DatasetError on a wrong magic number, non-28×28 images, an unexpected count, or a
 *   length that differs from what the header promises
 */
export function decodeIdxImages(bytes: Uint8Array, name: string, expectedCount?: number): IdxImages {
  checkMagic(name, bytes, IMAGES_HEADER_BYTES, IDX_IMAGES_MAGIC, 'image');
  const count = readU32(bytes, 4);
  const rows = readU32(bytes, 8);
  const cols = readU32(bytes, 12);
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new DatasetError(name, `images are ${rows}×${cols}, expected ${IMAGE_SIDE}×${IMAGE_SIDE}`);
  }
  if (expectedCount !== undefined && count !== expectedCount) {
    throw new DatasetError(name, `header says ${formatCount(count)} images, expected ${formatCount(expectedCount)}`);
  }
  checkLength(name, bytes, IMAGES_HEADER_BYTES, count, IMAGE_PIXELS, 'images');
  return { images: ownedCopy(bytes, IMAGES_HEADER_BYTES), count };
}

/**
 * Validate and decode an IDX label file's bytes (already decompressed).
 * @throws DatasetError on a wrong magic number, an unexpected count, a length that differs from
 *   the header, or a label outside 0–9
 */
export function decodeIdxLabels(bytes: Uint8Array, name: string, expectedCount?: number): IdxLabels {
  checkMagic(name, bytes, LABELS_HEADER_BYTES, IDX_LABELS_MAGIC, 'label');
  const count = readU32(bytes, 4);
  if (expectedCount !== undefined && count !== expectedCount) {
    throw new DatasetError(name, `header says ${formatCount(count)} labels, expected ${formatCount(expectedCount)}`);
  }
  checkLength(name, bytes, LABELS_HEADER_BYTES, count, 1, 'labels');
  const labels = ownedCopy(bytes, LABELS_HEADER_BYTES);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= CLASS_COUNT) {
      throw new DatasetError(name, `label ${labels[i]} at index ${formatCount(i)} is outside 0–${CLASS_COUNT - 1}`);
    }
  }
  return { labels, count };
}

/** Read, decompress (or take from `decodedCacheDir`), validate with `decode` and hash an IDX file. */
async function readIdx<T>(
  decode: (bytes: Uint8Array, name: string, expectedCount?: number) => T,
  path: string,
  expectedCount?: number,
  decodedCacheDir?: string,
): Promise<T & { sha256: string }> {
  const { bytes, sha256 } = await readIdxBytes(path, decodedCacheDir);
  return { ...decode(bytes, basename(path), expectedCount), sha256 };
}

/** An IDX image file, read, validated and hashed (readIdx). */
export const readIdxImages = (path: string, expectedCount?: number, decodedCacheDir?: string) =>
  readIdx(decodeIdxImages, path, expectedCount, decodedCacheDir);

/** An IDX label file, read, validated and hashed (readIdx). */
export const readIdxLabels = (path: string, expectedCount?: number, decodedCacheDir?: string) =>
  readIdx(decodeIdxLabels, path, expectedCount, decodedCacheDir);
