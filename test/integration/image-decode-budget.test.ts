/**
 * Bounded decoding: a PNG's image data may inflate only to the size its header describes (at most
 * 128 MiB, a 4096×4096 16-bit RGBA image). A small interlaced "bomb" whose data inflates to 400 MB
 * is refused by name before it is inflated past that, in a process whose memory stays small, while
 * an honest interlaced PNG built by the PNG specification still decodes.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../unit/store-fixtures';

const CHILD = resolve(__dirname, 'decode-child.ts');

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit greyscale PNG whose IDAT is `scanlines` deflated, as the PNG specification lays it out. */
function greyPng(width: number, height: number, interlaced: boolean, scanlines: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[12] = interlaced ? 1 : 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Adam7 as the PNG specification draws it: which pass (1–7) each pixel of an 8×8 tile is sent in. */
const ADAM7_TILE = ['16462646', '77777777', '56565656', '77777777', '36463646', '77777777', '56565656', '77777777'];

/** The seven passes' sub-images of a width×height image, each row a filter byte (0) and `level`s. */
function adam7Scanlines(width: number, height: number, level: number): Buffer {
  const rows: Buffer[] = [];
  for (let pass = 1; pass <= 7; pass++) {
    for (let y = 0; y < height; y++) {
      let pixels = 0;
      for (let x = 0; x < width; x++) if (Number(ADAM7_TILE[y % 8][x % 8]) === pass) pixels++;
      if (pixels > 0) rows.push(Buffer.concat([Buffer.from([0]), Buffer.alloc(pixels, level)]));
    }
  }
  return Buffer.concat(rows);
}

function decodeInChild(file: string): {
  ok?: boolean;
  width?: number;
  first?: number;
  error?: string;
  maxRssMb: number;
} {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, file], { encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`the decode child printed nothing: ${r.stderr}`);
  return JSON.parse(line);
}

describe('decoding a PNG within its budget', () => {
  const dir = tempDir('decode-budget-');

  it('still decodes an honest interlaced PNG', () => {
    const file = join(dir, 'honest.png');
    writeFileSync(file, greyPng(37, 29, true, adam7Scanlines(37, 29, 200)));
    expect(decodeInChild(file)).toMatchObject({ ok: true, width: 37, first: 200 });
  });

  it('refuses a small interlaced PNG whose data inflates to 400 MB, by name, without growing', () => {
    const file = join(dir, 'bomb.png');
    const bomb = greyPng(4096, 4096, true, Buffer.alloc(400 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024); // well under the 10 MB file limit
    writeFileSync(file, bomb);
    const report = decodeInChild(file);
    expect(report.ok).toBeUndefined();
    expect(report.error).toMatch(
      /^bomb\.png cannot be used: its image data inflates past the [\d,]+ bytes its 4096×4096 header allows/,
    );
    // Node, tsx and the test's own modules take ~150 MB; inflating the bomb would add 400 MB.
    expect(report.maxRssMb).toBeLessThan(300);
  });
});
