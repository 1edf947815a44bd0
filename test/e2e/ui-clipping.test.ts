/**
 * No number or label is cut, on any page, at the two window sizes the studio is used at: a large
 * window (1280×800) and the smallest it supports (960×640). The runs are recorded through the
 * store as the trainer would record them: a sweep (long names that differ at their ends), a
 * stopped run and completed runs whose matrices hold three-digit counts and 80-something percents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { parseSweepDefinition } from '../../src/shared/sweep';
import { seedMargins, seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';
import { clippedText } from './clipping';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 960, height: 640 },
];

describe('nothing on any page is cut', () => {
  let studio: StudioPage;
  const relu = { ...PRESETS.quick.model, convActivation: 'relu' as const };
  const runs: number[] = [];
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-clipping' });
    const store = studio.store();
    runs.push(seedRun(store, { epochs: 4, plateau: 0.81, seed: 3 }));
    runs.push(seedRun(store, { epochs: 4, plateau: 0.86, seed: 4, config: { model: relu } }));
    // The label audit's cards: margins as a trainer records them, one image marked.
    seedMargins(store, runs[0], { epochs: 4, seed: 3 });
    store.markImage({
      runId: runs[0],
      imageIndex: store.audit({ runId: runs[0], top: 1 }).entries[0].index,
      mark: 'wrong',
    });
    const name = 'sweep of lr, conv-activation';
    const definition = parseSweepDefinition({
      name,
      base: PRESETS.quick,
      preset: 'quick',
      vary: [
        { flag: 'lr', values: [0.01, 0.1] },
        { flag: 'conv-activation', values: ['sigmoid', 'relu'] },
      ],
    });
    const sweepId = store.createSweep({ name, definition, runCount: 4, parallel: 2 });
    for (const [i, lr] of [0.01, 0.1].entries())
      for (const [j, act] of (['sigmoid', 'relu'] as const).entries()) {
        const id = seedRun(store, {
          epochs: 3,
          plateau: 0.78 + i * 0.04 + j * 0.02,
          seed: 10 + i * 2 + j,
          name: `${name} · lr=${lr} conv-activation=${act}`,
          config: { learningRate: lr, model: { ...PRESETS.quick.model, convActivation: act } },
        });
        store.linkRunToSweep({ sweepId, runId: id });
        runs.push(id);
      }
    // A run at chance: its Runs row's marker and its page's note are text that must not be cut either.
    runs.push(seedRun(store, { epochs: 2, flatAccuracy: 0.1, seed: 21, name: 'at chance' }));
    runs.push(seedRun(store, { epochs: 2, plateau: 0.7, seed: 20, end: 'stopped' }));
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const PLACES = () => [
    { name: 'runs', hash: '#/runs', ready: 'runs-table' },
    { name: 'new-run', hash: '#/new', ready: 'start-run' },
    { name: 'run', hash: `#/run/${runs[0]}`, ready: 'cm-cell' },
    { name: 'stopped-run', hash: `#/run/${runs.at(-1)}`, ready: 'cm-cell' },
    { name: 'did-not-learn-run', hash: `#/run/${runs.at(-2)}`, ready: 'run-did-not-learn' },
    { name: 'compare-pair', hash: `#/compare/${runs[0]},${runs[1]}`, ready: 'cm-cell' },
    { name: 'compare-four', hash: `#/compare/${runs.slice(2, 6).join(',')}`, ready: 'hyperparam-diff' },
    { name: 'inspect', hash: `#/inspect/${runs[0]}`, ready: 'inspect-page' },
    // Seeded runs keep no checkpoint: the page's frame and its no-checkpoint note.
    { name: 'feature-map', hash: `#/features/${runs[0]}`, ready: 'feature-map-error' },
    { name: 'model', hash: '#/model', ready: 'summary-table' },
    { name: 'dataset', hash: '#/dataset', ready: 'dataset-status' },
    { name: 'label-audit-picker', hash: '#/audit', ready: 'audit-run' },
    { name: 'label-audit', hash: `#/audit/${runs[0]}`, ready: 'audit-entry' },
  ];

  for (const size of SIZES)
    it(`cuts nothing at ${size.width}×${size.height}`, async () => {
      const { page } = studio;
      await page.setViewportSize(size);
      // One line per place and kind of text: how many are cut, and the first few of them.
      const found = new Map<string, string[]>();
      for (const place of PLACES()) {
        await page.evaluate((hash) => (location.hash = hash), place.hash);
        await page.getByTestId(place.ready).first().waitFor();
        // Let charts, images and late panels settle before measuring.
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(400);
        for (const c of await clippedText(page)) {
          const key = `${place.name} ${size.width}: ${c.kind} in ${c.where}`;
          found.set(key, [...(found.get(key) ?? []), c.text]);
        }
        await studio.screenshot(`${place.name}-${size.width}`);
      }
      const report = [...found].map(([k, texts]) => `${k} (${texts.length}): ${texts.slice(0, 3).join(' | ')}`);
      expect(report).toEqual([]);
    });
});
