/**
 * The label audit finds planted label errors (issue 26). A copy of 3,000 real FashionMNIST
 * training images (never the shipped files) has the labels of a known 2% (60) flipped to another
 * class; the seed network trains on it for a few epochs with margins recorded, and the audit's top
 * 60 must hold at least 60% of the flipped images (precision = recall at k = the number flipped).
 * The same subset without flips: few images flagged.
 */
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist, selectImages, SYSTEM_DATASET_DIR, type FashionMnist } from '../../src/core/dataset';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { train } from '../../src/core/engine/train';
import { rankAudit } from '../../src/shared/audit';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import { mulberry32 } from '../../src/shared/random';
import type { MarginsEvent } from '../../src/shared/training';

const SUBSET = 3000;
const FLIPPED = SUBSET * 0.02;
/** Shirt, T-shirt/top, Pullover, Coat: FashionMNIST's look-alike tops. */
const CONFUSABLE = new Set([0, 2, 4, 6]);

let backend: SelectedBackend;
let base: FashionMnist;
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-audit-'));

beforeAll(async () => {
  backend = await selectBackend('wasm');
  const full = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, cacheDir: scratch, allowDownload: false });
  const first = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
  base = {
    identity: full.identity,
    train: selectImages(full.train, first(SUBSET)),
    test: selectImages(full.test, first(500)),
  };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const config: Hyperparams = { ...PRESETS.seed, epochs: 8, validationFraction: 0, trainSubset: 0 };

async function marginsAfterTraining(dataset: FashionMnist): Promise<MarginsEvent> {
  let last: MarginsEvent | null = null;
  await train({
    config,
    dataset,
    backend,
    emit: (e) => {
      if (e.type === 'margins') last = e;
    },
  });
  expect(last).not.toBeNull();
  return last!;
}

describe('label audit on planted errors', () => {
  it('recovers most of 60 flipped labels among 3,000 images in its top 60', async () => {
    const random = mulberry32(2026);
    const labels = base.train.labels.slice();
    const flipped = new Set<number>();
    while (flipped.size < FLIPPED) flipped.add(Math.floor(random() * SUBSET));
    // Each to a different class, uniformly among the other nine.
    for (const i of flipped) labels[i] = (labels[i] + 1 + Math.floor(random() * 9)) % 10;
    const margins = await marginsAfterTraining({ ...base, train: { ...base.train, labels } });

    expect(margins.epochs).toBe(config.epochs);
    expect(Array.from(margins.labels)).toEqual(Array.from(labels));
    const { entries, covered } = rankAudit(margins, { top: FLIPPED });
    expect(covered).toBe(SUBSET);
    const hits = entries.filter((e) => flipped.has(e.index)).length;
    // k = the number flipped, so precision and recall are the same figure.
    const precision = hits / entries.length;
    const recall = hits / FLIPPED;
    console.log(`planted errors: precision@${FLIPPED} ${precision.toFixed(3)}, recall@${FLIPPED} ${recall.toFixed(3)}`);
    expect(precision).toBeGreaterThanOrEqual(0.6);
    expect(recall).toBeGreaterThanOrEqual(0.6);
  });

  it('without flips flags few images (and says which classes they mix up)', async () => {
    const margins = await marginsAfterTraining(base);
    const { flagged, entries } = rankAudit(margins, { top: SUBSET });
    const flaggedEntries = entries.filter((e) => e.flag === 'likely-mislabeled');
    expect(flaggedEntries.length).toBe(flagged);
    const confusable = flaggedEntries.filter((e) => CONFUSABLE.has(e.given) && CONFUSABLE.has(e.believed)).length;
    // Reported, not required: on 3,000 images after 8 epochs of the seed network about a quarter
    // of the flagged images are tops mistaken for tops (12 of the 90 class pairs, 13% by chance).
    console.log(`no flips: ${flagged} of ${SUBSET} flagged, ${confusable} between shirt/T-shirt/pullover/coat`);
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(SUBSET * 0.05);
  });
});
