/**
 * The feature cache file: read back as written; a truncated, altered, foreign or other-weights
 * file is not trusted (null, and removed) so the inspector recomputes it. And the neighbours
 * sentence.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeatureCache, writeFeatureCache } from '../../src/core/features/feature-cache';
import { majorityClass, neighbourSummary } from '../../src/shared/features';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lenet-feature-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const key = { kind: 'map-F6-pca', weights: 'ab'.repeat(32) };
const payload = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);

describe('feature cache file', () => {
  it('reads back what was written', () => {
    const file = join(dir, 'f.bin');
    writeFeatureCache(file, key, { n: 100 }, payload);
    const entry = readFeatureCache<{ n: number }>(file, key);
    expect(entry?.meta).toEqual({ n: 100 });
    expect(entry?.payload).toEqual(payload);
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 10)],
    ['one payload byte altered', (b: Buffer) => Buffer.from(b).fill(b[100] ^ 1, 100, 101)],
    ['not a cache file', () => Buffer.from('{"some":"json"}')],
    ['empty', () => Buffer.alloc(0)],
  ])('a %s file is not trusted and is removed', (_what, damage) => {
    const file = join(dir, 'f.bin');
    writeFeatureCache(file, key, { n: 100 }, payload);
    writeFileSync(file, damage(readFileSync(file)));
    expect(readFeatureCache(file, key)).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('a file made for other weights or another map is not used', () => {
    const file = join(dir, 'f.bin');
    writeFeatureCache(file, key, { n: 100 }, payload);
    expect(readFeatureCache(file, { ...key, weights: 'cd'.repeat(32) })).toBeNull();
    writeFeatureCache(file, key, { n: 100 }, payload);
    expect(readFeatureCache(file, { ...key, kind: 'map-C5-pca' })).toBeNull();
  });

  it('a missing file is simply absent', () => {
    expect(readFeatureCache(join(dir, 'none.bin'), key)).toBeNull();
  });
});

describe('the neighbours sentence', () => {
  it('names the class and the neighbours’ majority, in the plural', () => {
    expect(neighbourSummary(6, [0, 0, 0, 0, 0, 0, 0, 0])).toBe(
      'LeNet5 thinks this Shirt looks like these T-shirts/tops.',
    );
    expect(neighbourSummary(3, [3, 3, 4, 3, 3, 3, 3, 3])).toBe(
      'LeNet5 thinks this Dress looks like these Dresses (7 of the 8).',
    );
    expect(majorityClass([2, 4, 4, 2])).toBe(2);
    expect(majorityClass([])).toBeNull();
  });
});
