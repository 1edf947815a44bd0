/**
 * A PNG's image data may inflate to exactly what its header describes, and no further. pngjs
 * bounds a plain PNG's inflation by that size, but inflates an interlaced one without a limit, so a
 * small file claiming 4096×4096 (allowed) whose data inflates to gigabytes grew the process past
 * 2 GB before it was refused. Here the IDAT stream is inflated first with zlib's maxOutputLength
 * set to the header's size, which stops inflating the moment it is passed; only a PNG that fits is
 * handed to pngjs. The largest allowed image (4096×4096, 16-bit RGBA) inflates to 128 MiB.
 */
import { inflateSync } from 'node:zlib';

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Samples per pixel by PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7's seven passes: first column and row, then column and row steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes the filtered scanlines of `header`'s image take once inflated (a filter byte per row). */
export function inflatedSize({ width, height, bitDepth, colorType, interlaced }: Header): number {
  const bitsPerPixel = (CHANNELS[colorType] ?? 4) * bitDepth;
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? (Math.ceil((w * bitsPerPixel) / 8) + 1) * h : 0);
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce(
    (sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)),
    0,
  );
}

/** The header and the concatenated IDAT data of a PNG, read chunk by chunk (nothing inflated). */
function readChunks(png: Buffer): { header: Header | null; idat: Buffer } {
  let header: Header | null = null;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, Math.min(png.length, at + 8 + length));
    if (type === 'IHDR' && data.length >= 13)
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8],
        colorType: data[9],
        interlaced: data[12] === 1,
      };
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return { header, idat: Buffer.concat(idat) };
}

/**
 * Why `png`'s image data cannot be decoded within its header's size, or null when it can (or when
 * it is too damaged to tell: pngjs then names the damage).
 */
export function pngOverBudget(png: Buffer): string | null {
  const { header, idat } = readChunks(png);
  if (!header || idat.length === 0) return null;
  const allowed = inflatedSize(header);
  try {
    inflateSync(idat, { maxOutputLength: Math.max(allowed, 1) });
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return null;
    return `its image data inflates past the ${allowed.toLocaleString('en-US')} bytes its ${header.width}×${header.height} header allows (refused there, before decoding)`;
  }
}
