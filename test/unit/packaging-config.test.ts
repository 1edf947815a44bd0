// electron-builder.yml as electron-builder will read it: the icons it names exist at the sizes their
// names claim, the files that must load from outside app.asar are unpacked, and the schema accepts it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Configuration } from 'electron-builder';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Configuration;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  productName?: string;
  main: string;
  scripts: Record<string, string>;
};

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the 8-byte signature). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), file).toBe(true);
  expect(bytes.subarray(12, 16).toString('latin1'), file).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The files an `asarUnpack` glob of the form `dir/*.ext` matches. */
function globFiles(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = join(ROOT, pattern.slice(0, slash));
  const name = pattern.slice(slash + 1);
  expect(name.startsWith('*.') && !dir.includes('*'), `only dir/*.ext globs are checked: ${pattern}`).toBe(true);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(name.slice(1))) : [];
}

type Validate = (config: Configuration, debugLogger: { isEnabled: boolean; add(): void }) => Promise<void>;
/** electron-builder's own schema check, the one `electron-builder` runs before it builds anything. */
function electronBuilderValidate(): Validate {
  // app-builder-lib is electron-builder's engine; resolve it from there, not from our node_modules top.
  const fromBuilder = createRequire(createRequire(join(ROOT, 'package.json')).resolve('electron-builder'));
  return (fromBuilder('app-builder-lib/out/util/config/config.js') as { validateConfiguration: Validate })
    .validateConfiguration;
}
const quietLogger = { isEnabled: false, add() {} };

describe('electron-builder.yml', () => {
  it('names the product as package.json does, and the agreed app id', () => {
    expect(pkg.productName).toBe('LeNet5 Studio');
    expect(config.productName).toBe(pkg.productName);
    expect(config.appId).toBe('org.lenet5studio.app');
  });

  it('packs the built bundles (where package.json main points), package.json and the window icon', () => {
    const files = ([] as unknown[]).concat(config.files ?? []);
    expect(files).toContain('out/**');
    expect(files).toContain('package.json');
    expect(pkg.main.replace(/^\.\//, '')).toMatch(/^out\//);
    // main (out/main/index.js) gives BrowserWindow `icon: join(here, '../../resources/icon.png')`.
    expect(files).toContain('resources/icon.png');
    expect(pngSize(join(ROOT, 'out/main', '../../resources/icon.png'))).toEqual({ width: 512, height: 512 });
    // tfjs ships ~200 MB of source maps that the app never reads.
    expect(files).toContain('!**/node_modules/**/*.map');
  });

  it('unpacks native addons and the tfjs wasm binaries, and the wasm glob matches installed files', () => {
    const unpack = ([] as string[]).concat(config.asarUnpack ?? []);
    expect(unpack).toContain('**/*.node');
    expect(unpack.some((p) => p.startsWith('node_modules/better-sqlite3/'))).toBe(true);
    const wasmGlob = unpack.find(
      (p) => p.startsWith('node_modules/@tensorflow/tfjs-backend-wasm/') && p.endsWith('.wasm'),
    );
    expect(wasmGlob, 'a tfjs-backend-wasm *.wasm glob').toBeDefined();
    // The backend loads these three; a glob that matches nothing would leave them in the archive.
    expect(globFiles(wasmGlob!).sort()).toEqual(
      expect.arrayContaining([
        'tfjs-backend-wasm-simd.wasm',
        'tfjs-backend-wasm-threaded-simd.wasm',
        'tfjs-backend-wasm.wasm',
      ]),
    );
  });

  it('rebuilds native dependencies for Electron and packs the installed runtime instead of downloading one', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.electronDist).toBe('node_modules/electron/dist');
  });

  it('writes installers to dist/, which git ignores', () => {
    expect(config.directories?.output ?? 'dist').toBe('dist');
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toContain('dist/');
  });

  it('takes build resources from resources/', () => {
    expect(config.directories?.buildResources).toBe('resources');
    expect(statSync(join(ROOT, 'resources')).isDirectory()).toBe(true);
  });

  it('names mac and Windows icons that are square PNGs of at least 512 px (the .icns/.ico source)', () => {
    for (const icon of [config.mac?.icon, config.win?.icon]) {
      expect(icon).toBe('resources/icon.png');
      const { width, height } = pngSize(join(ROOT, icon!));
      expect(width).toBe(height);
      expect(width).toBeGreaterThanOrEqual(512);
    }
  });

  it('names a Linux icon folder whose WxH.png files are the size their names say, 16 to 512 px', () => {
    expect(config.linux?.icon).toBe('resources/icons');
    const dir = join(ROOT, config.linux!.icon!);
    const pngs = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(pngs.sort()).toEqual(
      ['16x16', '32x32', '48x48', '64x64', '128x128', '256x256', '512x512'].map((s) => `${s}.png`).sort(),
    );
    for (const file of pngs) {
      const [w, h] = file
        .replace(/\.png$/, '')
        .split('x')
        .map(Number);
      expect(pngSize(join(dir, file)), file).toEqual({ width: w, height: h });
    }
  });

  it('keeps the icon source next to the PNGs made from it', () => {
    const svg = readFileSync(join(ROOT, 'resources/icon.svg'), 'utf8');
    expect(svg).toMatch(/<svg[^>]*viewBox="0 0 512 512"/);
  });

  it('asks for the agreed targets per platform', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Science');
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
  });

  it("passes electron-builder's own schema validation (which does reject a misspelt option)", async () => {
    const validate = electronBuilderValidate();
    await expect(validate(structuredClone(config), quietLogger)).resolves.toBeUndefined();
    await expect(
      validate({ ...structuredClone(config), asarUnpak: ['**/*.node'] } as Configuration, quietLogger),
    ).rejects.toThrow(/asarUnpak/);
  });
});

describe('package.json scripts for packaging', () => {
  it('has `npm run dist` and `npm run icons` on the committed scripts', () => {
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
    expect(pkg.scripts.icons).toBe('node scripts/make-icons.mjs');
    expect(existsSync(join(ROOT, 'scripts/dist.mjs'))).toBe(true);
    expect(existsSync(join(ROOT, 'scripts/make-icons.mjs'))).toBe(true);
  });
});
