/**
 * A user's image as FashionMNIST was made (Xiao et al. 2017, "Fashion-MNIST", section 2): trim to
 * the object, resize the longest edge to 28, centre on 28×28, and negate the grey levels so the
 * object is light on black when its background is light. An image that already is 28×28 grey on a
 * dark background is used exactly as it is (so a test image written as a PNG comes back unchanged).
 * Decoding is pngjs / jpeg-js (pure JS: nothing native to rebuild for Electron).
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { MAX_IMAGE_FILE_BYTES, MAX_IMAGE_SIDE, type Conversion } from '../../shared/inspect';
import { pngOverBudget } from './png-budget';

const SIDE = 28;

/** A file that cannot be used as an image: the message names the file and what is wrong. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
}

export interface GreyImage {
  width: number;
  height: number;
  /** 0–255, row-major. */
  grey: Uint8Array;
  /** Every pixel had r = g = b (and was opaque). */
  wasGrey: boolean;
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

function checkSide(name: string, width: number, height: number): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new ImageInputError(
      `${name} is ${width}×${height} pixels: images may be at most ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}.`,
    );
  if (width < 1 || height < 1) throw new ImageInputError(`${name} has no pixels.`);
}

/** Refuse an empty file or one over the size limit, by name, before reading it as an image. */
export function checkFileSize(name: string, byteLength: number): void {
  if (byteLength === 0) throw new ImageInputError(`${name} is empty (0 bytes).`);
  if (byteLength > MAX_IMAGE_FILE_BYTES)
    throw new ImageInputError(
      `${name} is ${(byteLength / 1024 / 1024).toFixed(1)} MB: images may be at most ${MAX_IMAGE_FILE_BYTES / 1024 / 1024} MB.`,
    );
}

/** Decode a PNG or JPEG file's bytes to grey levels; refuses anything else by name. */
export function decodeImage(name: string, bytes: Uint8Array): GreyImage {
  checkFileSize(name, bytes.byteLength);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (isPng(bytes)) {
      // IHDR's width and height (bytes 16–23) are checked before anything is inflated, and the
      // data may inflate only to what they describe (png-budget.ts).
      if (bytes.length >= 24) checkSide(name, buffer.readUInt32BE(16), buffer.readUInt32BE(20));
      const overBudget = pngOverBudget(buffer);
      if (overBudget) throw new ImageInputError(`${name} cannot be used: ${overBudget}.`);
      rgba = PNG.sync.read(buffer);
    } else if (isJpeg(bytes)) {
      rgba = jpeg.decode(buffer, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: (MAX_IMAGE_SIDE * MAX_IMAGE_SIDE) / 1e6,
        maxMemoryUsageInMB: 256,
      });
    } else {
      throw new ImageInputError(`${name} is not a PNG or JPEG image.`);
    }
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    if (/maxResolutionInMP|resolution/i.test(why))
      throw new ImageInputError(`${name} is larger than ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE} pixels.`);
    throw new ImageInputError(`${name} could not be decoded as an image (${why}).`);
  }
  checkSide(name, rgba.width, rgba.height);
  return toGrey(rgba);
}

/** Luma (ITU-R 601, as PIL's "L"), transparent pixels composited over white. */
function toGrey({ width, height, data }: { width: number; height: number; data: Uint8Array }): GreyImage {
  const grey = new Uint8Array(width * height);
  let wasGrey = true;
  for (let i = 0; i < grey.length; i++) {
    const r = data[4 * i];
    const g = data[4 * i + 1];
    const b = data[4 * i + 2];
    const a = data[4 * i + 3] / 255;
    if (r !== g || g !== b || a !== 1) wasGrey = false;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    grey[i] = Math.round(luma * a + 255 * (1 - a));
  }
  return { width, height, grey, wasGrey };
}

/** The median of the border pixels: the background's grey level. */
function borderLevel({ width, height, grey }: GreyImage): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(grey[x], grey[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(grey[y * width], grey[y * width + width - 1]);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/** Grey levels at least this far from the background belong to the object (for trimming). */
const OBJECT_THRESHOLD = 24;

/** The user's image as the network's 28×28 input, and how it was converted. */
export function toFashionMnist(image: GreyImage): { pixels: Uint8Array; conversion: Conversion } {
  const { width, height } = image;
  const background = borderLevel(image);
  if (width === SIDE && height === SIDE && image.wasGrey && background < 128) {
    return {
      pixels: image.grey.slice(),
      conversion: { width, height, asIs: true, negated: false, box: [0, 0, width, height] },
    };
  }
  const negated = background >= 128;
  const level = negated ? image.grey.map((v) => 255 - v) : image.grey;
  const ground = negated ? 255 - background : background;

  // Trim: the bounding box of what differs from the background (the whole image if nothing does).
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (level[y * width + x] - ground >= OBJECT_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) [x0, y0, x1, y1] = [0, 0, width - 1, height - 1];
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;

  // Longest edge to 28 (area averaging), centred on black.
  const scale = SIDE / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale));
  const outH = Math.max(1, Math.round(boxH * scale));
  const resized = resizeArea(level, width, [x0, y0, boxW, boxH], outW, outH);
  const pixels = new Uint8Array(SIDE * SIDE);
  const left = Math.floor((SIDE - outW) / 2);
  const top = Math.floor((SIDE - outH) / 2);
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      // Subtract the background so it is black, as FashionMNIST's is.
      const v = resized[y * outW + x] - ground;
      pixels[(top + y) * SIDE + left + x] = Math.max(
        0,
        Math.min(255, Math.round((v * 255) / Math.max(1, 255 - ground))),
      );
    }
  return { pixels, conversion: { width, height, asIs: false, negated, box: [x0, y0, boxW, boxH] } };
}

/**
 * Resample the box of `src` to outW × outH: each output pixel is the mean of the source area it
 * covers, with fractional edges weighted (no aliasing when shrinking; bilinear-like when growing).
 */
function resizeArea(
  src: Uint8Array,
  srcW: number,
  [bx, by, bw, bh]: [number, number, number, number],
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = bw / outW;
  const sy = bh / outH;
  for (let oy = 0; oy < outH; oy++) {
    const ya = oy * sy;
    const yb = ya + sy;
    for (let ox = 0; ox < outW; ox++) {
      const xa = ox * sx;
      const xb = xa + sx;
      let sum = 0;
      let weight = 0;
      for (let y = Math.floor(ya); y < Math.min(bh, Math.ceil(yb)); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.min(bw, Math.ceil(xb)); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += src[(by + y) * srcW + bx + x] * wx * wy;
          weight += wx * wy;
        }
      }
      out[oy * outW + ox] = weight > 0 ? sum / weight : 0;
    }
  }
  return out;
}
