import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStoreBench } from '../../tools/bench/store';
import { tempDir } from '../unit/store-fixtures';

describe('store bench (small)', () => {
  it('builds a database, times every operation and writes its JSON', () => {
    const dir = tempDir();
    const out = join(dir, 'store.json');
    const result = runStoreBench({ runs: 60, epochs: 50, dir, out, print: false });
    expect(result.timings.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'list a page of runs (sort + filters)',
        "a page of runs' values (best, at epoch N)",
        'compare 20 runs',
        'predictions page (filter + sort)',
        'write one epoch event',
      ]),
    );
    for (const t of result.timings) expect(t.medianMs).toBeGreaterThan(0);
    expect(result.footprint.oneRunBytes).toBeLessThanOrEqual(1_000_000);
    expect(JSON.parse(readFileSync(out, 'utf8')).runs).toBe(60);
    expect(existsSync(join(dir, 'bench.db'))).toBe(false); // cleaned up
  });
});
