/** User images → the network's 28×28 input, and every bad file refused with its name. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, toFashionMnist } from '../../src/core/inspector/image-convert';
import { MAX_IMAGE_FILE_BYTES } from '../../src/shared/inspect';

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(image));
}

describe('toFashionMnist', () => {
  it('uses a 28×28 grey image on a dark background exactly as it is', () => {
    const grey = (x: number, y: number) => (x > 8 && x < 20 && y > 4 && y < 24 ? (x * 7 + y * 3) % 256 : 0);
    const bytes = png(28, 28, (x, y) => [grey(x, y), grey(x, y), grey(x, y), 255]);
    const { pixels, conversion } = toFashionMnist(decodeImage('shirt.png', bytes));
    expect(conversion.asIs).toBe(true);
    expect(Array.from(pixels)).toEqual(Array.from({ length: 784 }, (_, i) => grey(i % 28, Math.floor(i / 28))));
  });

  it('trims, fits the longest edge to 28, centres, and negates a light background', () => {
    // A dark 40×20 bar on white, in a 200×100 image, off centre.
    const bytes = png(200, 100, (x, y) =>
      x >= 20 && x < 60 && y >= 10 && y < 30 ? [10, 10, 10, 255] : [250, 250, 250, 255],
    );
    const { pixels, conversion } = toFashionMnist(decodeImage('bar.png', bytes));
    expect(conversion).toMatchObject({ asIs: false, negated: true, width: 200, height: 100, box: [20, 10, 40, 20] });
    // 40×20 → 28×14, centred: rows 7–20 light, the rest black.
    const at = (x: number, y: number) => pixels[y * 28 + x];
    expect(at(0, 14)).toBeGreaterThan(240);
    expect(at(27, 7)).toBeGreaterThan(240);
    expect(at(14, 6)).toBe(0);
    expect(at(14, 21)).toBe(0);
    expect(at(14, 0)).toBe(0);
  });

  it('keeps a dark background (a drawing: light strokes on black) un-negated, and reads JPEG', () => {
    const raw = { width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4) };
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const v = Math.abs(x - 32) < 6 && y > 10 && y < 54 ? 255 : 0;
        raw.data.set([v, v, v, 255], (y * 64 + x) * 4);
      }
    const bytes = new Uint8Array(jpeg.encode(raw, 95).data);
    const { pixels, conversion } = toFashionMnist(decodeImage('stroke.jpg', bytes));
    expect(conversion.negated).toBe(false);
    expect(pixels[14 * 28 + 14]).toBeGreaterThan(200);
    expect(pixels[14 * 28 + 1]).toBeLessThan(30);
  });
});

describe('bad files', () => {
  it('a file that is not an image is refused by name', () => {
    expect(() => decodeImage('notes.txt', new TextEncoder().encode('hello, not a picture'))).toThrow(
      'notes.txt is not a PNG or JPEG image.',
    );
  });
  it('an empty file is refused by name', () => {
    expect(() => decodeImage('empty.png', new Uint8Array(0))).toThrow('empty.png is empty (0 bytes).');
  });
  it('a file over 10 MB is refused before decoding', () => {
    const big = new Uint8Array(MAX_IMAGE_FILE_BYTES + 1);
    big.set([0x89, 0x50, 0x4e, 0x47]);
    expect(() => decodeImage('huge.png', big)).toThrow('huge.png is 10.0 MB: images may be at most 10 MB.');
  });
  it('an image over 4096×4096 pixels is refused from its header', () => {
    const bytes = png(8, 8, () => [0, 0, 0, 255]);
    // Rewrite IHDR's width to 5000: refused before any inflating (the CRC is never reached).
    new DataView(bytes.buffer).setUint32(16, 5000);
    expect(() => decodeImage('wide.png', bytes)).toThrow('wide.png is 5000×8 pixels: images may be at most 4096×4096.');
  });
  it('a truncated PNG says it could not be decoded', () => {
    const bytes = png(8, 8, () => [0, 0, 0, 255]).slice(0, 40);
    expect(() => decodeImage('cut.png', bytes)).toThrow(/cut\.png could not be decoded as an image/);
  });
});
