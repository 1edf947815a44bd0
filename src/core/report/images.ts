/** FashionMNIST images as `data:` URIs (grayscale PNG), so the report carries its pictures. */
import { PNG } from 'pngjs';

const SIDE = 28;

/** A 28×28 grayscale image (784 bytes) as a data:image/png URI. */
export function pngDataUri(pixels: Uint8Array): string {
  const png = new PNG({ width: SIDE, height: SIDE, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(pixels);
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
  return `data:image/png;base64,${bytes.toString('base64')}`;
}
