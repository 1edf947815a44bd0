/**
 * The CLI bundle is rebuilt exactly when a source is newer than it (or it is missing): otherwise
 * `npm run train` after an edit would run stale code, or every start would pay a rebuild.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { isStale, newestMtime } from '../../scripts/cli-bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'lenet-cli-bundle-'));
const src = join(dir, 'src');
const nested = join(src, 'a', 'b.ts');
const config = join(dir, 'package.json');
const bundle = join(dir, 'index.js');

function touch(file: string, secondsAgo: number): void {
  writeFileSync(file, '');
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(file, t, t);
}

describe('CLI bundle staleness', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(src, 'a'), { recursive: true });

  it('is stale when the bundle is missing', () => {
    touch(nested, 100);
    expect(isStale(bundle, [src], [config])).toBe(true);
  });

  it('is fresh when the bundle is newer than every source, nested ones included', () => {
    touch(nested, 100);
    touch(config, 100);
    touch(bundle, 50);
    expect(isStale(bundle, [src], [config])).toBe(false);
  });

  it('is stale when a nested source or a listed file is newer than the bundle', () => {
    touch(bundle, 50);
    touch(nested, 10);
    expect(isStale(bundle, [src], [config])).toBe(true);
    touch(nested, 100);
    touch(config, 10);
    expect(isStale(bundle, [src], [config])).toBe(true);
  });

  it('ignores folders and files that do not exist', () => {
    expect(newestMtime([join(dir, 'nowhere')], [join(dir, 'none.json')])).toBe(0);
  });
});
