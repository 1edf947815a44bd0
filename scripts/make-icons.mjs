// `npm run icons`: rasterize resources/icon.svg into the PNGs packaging wants. electron-builder
// takes resources/icon.png (512 px; it derives .ico and .icns from it) and, for Linux, one PNG per
// size in resources/icons/ named WxH.png. The PNGs are committed; run this after editing the SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resources = join(root, 'resources');
const svg = readFileSync(join(resources, 'icon.svg'));
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];

function render(size) {
  // The icon is shapes only, so no system fonts are loaded: the output is the same on any machine.
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  const png = resvg.render();
  if (png.width !== size || png.height !== size) {
    throw new Error(`icon.svg rendered at ${png.width}x${png.height}, expected ${size}x${size}: keep it square`);
  }
  return png.asPng();
}

function write(path, data) {
  writeFileSync(path, data);
  console.log(`wrote ${relative(root, path)}`);
}

mkdirSync(join(resources, 'icons'), { recursive: true });
write(join(resources, 'icon.png'), render(512));
for (const size of LINUX_SIZES) write(join(resources, 'icons', `${size}x${size}.png`), render(size));
