/**
 * The report's seed groups say mean ± std and n as Compare does (`89.40% ± 0.30 (n=2)`): the
 * figures recomputed here by hand from the runs' stored best test accuracies.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/core/store/index';
import { buildReport } from '../../src/core/report';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { tempDir } from './store-fixtures';

let store: Store;
afterEach(() => store?.close());

const blankImages = async (indices: number[]) => ({ images: new Uint8Array(indices.length * 784) });

describe('report seed groups', () => {
  it('give each group its mean ± std with n, in the words Compare uses', async () => {
    store = openStore(join(tempDir(), 'studio.db'));
    const ids: number[] = [];
    for (const [learningRate, plateau] of [
      [0.005, 0.85],
      [0.002, 0.8],
    ])
      for (const seed of [1, 2])
        ids.push(
          seedRun(store, { epochs: 2, seed: seed * 3 + plateau * 100, plateau, config: { learningRate, seed } }),
        );
    const html = await buildReport(store, ids, blankImages);
    for (const members of [ids.slice(0, 2), ids.slice(2)]) {
      const [a, b] = members.map((id) => store.getRun(id).bestTestAccuracy!);
      const mean = (a + b) / 2;
      const std = Math.abs(a - b) / Math.SQRT2; // sample std of two values
      const text = `${(mean * 100).toFixed(2)}% ± ${(std * 100).toFixed(2)} (n=2)`;
      expect(html).toContain(`<td>${members.map((id) => `#${id}`).join(', ')}</td><td class="num">${text}</td>`);
    }
    expect(html).toContain('<th>Best test accuracy, mean ± std (n)</th>');
  });
});
