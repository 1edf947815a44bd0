/**
 * Journey: best or at-epoch values, seed groups with mean ± std (n), and Export → Report from
 * Compare. Six synthetic runs written through the real store (two learning rates × three seeds,
 * eight epochs; one stopped after three). Runs shows each run's last, best or epoch-4 test
 * accuracy with the epoch it comes from, "—" and the reason for the run that stopped early, and
 * saves those values as CSV; Compare does the same in its tables, writes each seed group as
 * "89.40% ± 0.30 (n=3)" and saves a report of the comparison. A range test is kept out of
 * comparisons: Runs does not offer it to Compare, and Compare refuses it by name.
 * Every expected figure is worked out here from the stored epochs, not by the code under test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import type { EpochMetrics } from '../../src/shared/runs';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../support/studio-page';
import { clippedText } from './clipping';

const out = mkdtempSync(join(tmpdir(), 'lenet-values-ui-'));
const SIZES = [
  { width: 1280, height: 800 },
  { width: 960, height: 640 },
];

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const testAccuracies = (epochs: EpochMetrics[]) => epochs.map((e) => ({ epoch: e.epoch, v: e.testAccuracy! }));
/** The highest test accuracy and its epoch (the earliest of a tie), by a plain scan. */
function highest(epochs: EpochMetrics[]) {
  let top = testAccuracies(epochs)[0];
  for (const p of testAccuracies(epochs)) if (p.v > top.v) top = p;
  return top;
}
/** Mean ± sample std of percentages, as the groups write them, with n. */
function meanStd(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return `${(mean * 100).toFixed(2)}% ± ${(std * 100).toFixed(2)} (n=${values.length})`;
}

describe('journey: best and at-epoch values, seed groups, report from Compare', () => {
  let studio: StudioPage;
  let saveTo: string | null = null;
  const ids: number[] = [];
  const epochs = new Map<number, EpochMetrics[]>();
  let stoppedEarly = 0;
  let rangeTest = 0;

  beforeAll(async () => {
    studio = await openStudio({
      label: 'journey-values',
      dialog: (type) => (type === 'save' && saveTo ? { canceled: false, filePath: saveTo } : { canceled: true }),
    });
    const store = studio.store();
    // Fixture seeds whose noisy curves peak before their last epoch (found by replaying
    // seedRun's generator), so that a run's best and last values differ.
    for (const [learningRate, plateau, fixtureSeeds] of [
      [0.005, 0.86, [2, 4, 12]],
      [0.002, 0.82, [2, 4, 10]],
    ] as const)
      for (const seed of [1, 2, 3]) {
        const early = learningRate === 0.002 && seed === 1;
        const id = seedRun(store, {
          epochs: early ? 3 : 8,
          seed: fixtureSeeds[seed - 1],
          plateau,
          config: { learningRate, seed, epochs: 8 },
          end: early ? 'stopped' : 'completed',
          name: `lr ${learningRate} seed ${seed}`,
        });
        ids.push(id);
        if (early) stoppedEarly = id;
      }
    for (const id of ids) epochs.set(id, store.getRun(id).epochMetrics);
    rangeTest = store.createLrRangeTest(structuredClone(PRESETS.seed), { steps: 50 });
    await studio.page.setViewportSize(SIZES[0]);
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(out, { recursive: true, force: true });
  });

  const row = (id: number) => studio.page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
  const shownText = async (id: number) => (await row(id).getByTestId('run-shown').textContent())?.trim();

  it('the fixture has runs whose best epoch is not their last (else best and last could not be told apart)', () => {
    expect(ids.filter((id) => highest(epochs.get(id)!).epoch !== epochs.get(id)!.length).length).toBeGreaterThan(0);
  });

  it('Runs shows each run’s last, then best, then epoch-4 test accuracy with the epoch it comes from', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(6);
    for (const id of ids) {
      const series = testAccuracies(epochs.get(id)!);
      const last = series.at(-1)!;
      await expect.poll(() => shownText(id)).toBe(`${pct(last.v)}@${last.epoch}`);
    }

    await page.getByTestId('runs-value-kind').selectOption('best');
    await expect.poll(() => page.locator('th[data-col="final"]').textContent()).toContain('Highest');
    for (const id of ids) {
      const top = highest(epochs.get(id)!);
      await expect.poll(() => shownText(id)).toBe(`${pct(top.v)}@${top.epoch}`);
    }
    await studio.screenshot('runs-best');

    await page.getByTestId('runs-value-kind').selectOption('epoch');
    await page.getByTestId('runs-value-epoch').fill('4');
    await expect.poll(() => page.locator('th[data-col="final"]').textContent()).toContain('Epoch 4');
    for (const id of ids.filter((x) => x !== stoppedEarly)) {
      const at4 = testAccuracies(epochs.get(id)!).find((p) => p.epoch === 4)!;
      await expect.poll(() => shownText(id)).toBe(`${pct(at4.v)}@4`);
    }
    const missing = row(stoppedEarly).getByTestId('run-final');
    await expect.poll(() => missing.textContent()).toBe('—');
    expect(await missing.getAttribute('title')).toBe('Did not reach epoch 4: its last epoch is 3');
    await studio.screenshot('runs-at-epoch-4');
  });

  it('names an epoch it cannot read and keeps showing the last good one', async () => {
    const { page } = studio;
    await page.getByTestId('runs-value-epoch').fill('0');
    await expect
      .poll(() => page.getByTestId('runs-value-problem').textContent())
      .toBe('"0" is not an epoch: write a whole number from 1');
    expect(await page.locator('th[data-col="final"]').textContent()).toContain('Epoch 4');
    await page.getByTestId('runs-value-epoch').fill('4');
    await expect.poll(() => page.getByTestId('runs-value-problem').count()).toBe(0);
  });

  it('saves the picked runs’ epoch-4 values as CSV, the stopped run’s left empty', async () => {
    const { page } = studio;
    for (const id of ids) await row(id).getByTestId('run-select').check();
    saveTo = join(out, 'at-4.csv');
    await page.getByTestId('runs-export-values').click();
    await expect.poll(() => page.getByTestId('runs-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    const [head, ...lines] = readFileSync(saveTo, 'utf8').trimEnd().split('\r\n');
    const columns = head.split(',');
    const byId = new Map(lines.map((l) => [Number(l.split(',')[0]), l.split(',')]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const id of ids) {
      const cells = byId.get(id)!;
      const at4 = epochs.get(id)!.find((e) => e.epoch === 4);
      expect(cells[columns.indexOf('value')]).toBe('epoch:4');
      expect(cells[columns.indexOf('test_accuracy')]).toBe(at4 ? String(at4.testAccuracy) : '');
      expect(cells[columns.indexOf('test_accuracy_epoch')]).toBe(at4 ? '4' : '');
    }
    await studio.screenshot('runs-values-saved');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      expect(await clippedText(page)).toEqual([]);
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('Compare shows the chosen values with their epochs and each seed group as mean ± std (n)', async () => {
    const { page } = studio;
    await page.getByTestId('compare-open').click();
    await page.getByTestId('compare-groups').waitFor();
    // The groups' heads (their legend) give best test accuracy's mean ± std and n, and so does the table.
    const groupA = ids.slice(0, 3).map((id) => studio.store().getRun(id).bestTestAccuracy!);
    const groupB = ids.slice(3).map((id) => studio.store().getRun(id).bestTestAccuracy!);
    expect((await page.getByTestId('group-head-figure').allTextContents()).map((t) => t.trim())).toEqual([
      meanStd(groupA),
      meanStd(groupB),
    ]);
    expect((await page.getByTestId('group-cell').first().textContent())?.trim()).toBe(meanStd(groupA));

    // Each run's highest test accuracy, beside the one at its best epoch (picked by validation accuracy).
    await page.getByTestId('compare-value-kind').selectOption('best');
    const highestRow = page.locator('[data-testid="compare-best"] tr', {
      hasText: 'Test accuracy (best of all epochs)',
    });
    await expect.poll(() => highestRow.count()).toBe(1);
    const highestCells = highestRow.getByTestId('shown-cell');
    for (const [i, id] of ids.entries()) {
      const top = highest(epochs.get(id)!);
      expect((await highestCells.nth(i).textContent())!.replace('★', '').trim()).toBe(`${pct(top.v)}@${top.epoch}`);
    }

    await page.getByTestId('compare-value-kind').selectOption('epoch');
    await page.getByTestId('compare-value-epoch').fill('4');
    const accuracyRow = page.locator('[data-testid="compare-best"] tr', { hasText: 'Test accuracy (at epoch 4)' });
    await expect.poll(() => accuracyRow.count()).toBe(1);
    const cells = accuracyRow.getByTestId('shown-cell');
    for (const [i, id] of ids.entries()) {
      const at4 = epochs.get(id)!.find((e) => e.epoch === 4);
      const text = (await cells.nth(i).textContent())!.replace('★', '').trim();
      if (at4) expect(text).toBe(`${pct(at4.testAccuracy!)}@4`);
      else {
        expect(text).toBe('—');
        expect(await cells.nth(i).getByTestId('shown-value').getAttribute('title')).toBe(
          'Did not reach epoch 4: its last epoch is 3',
        );
      }
    }
    // Group B's epoch-4 figure: two of its three runs reached epoch 4, and the cell says n=2.
    const at4 = (list: number[]) =>
      list.flatMap((id) => epochs.get(id)!.filter((e) => e.epoch === 4)).map((e) => e.testAccuracy!);
    const groupRow = page.locator('[data-testid="compare-groups"] tr', { hasText: 'Test accuracy (at epoch 4)' });
    expect((await groupRow.getByTestId('group-cell').allTextContents()).map((t) => t.trim())).toEqual([
      meanStd(at4(ids.slice(0, 3))),
      meanStd(at4(ids.slice(3))),
    ]);
    expect(await groupRow.getByTestId('group-cell').nth(1).getAttribute('title')).toBe(
      "1 of the group's 3 runs have no value here",
    );
    await page.getByTestId('compare-groups').scrollIntoViewIfNeeded();
    await studio.screenshot('compare-groups-at-epoch-4');
    await page.getByTestId('compare-best').scrollIntoViewIfNeeded();
    await studio.screenshot('compare-values-at-epoch-4');
  });

  it('Compare → Export → Report saves the comparison with its seed groups', async () => {
    const { page } = studio;
    await page.getByTestId('compare-toolbar').scrollIntoViewIfNeeded();
    saveTo = join(out, 'compare.html');
    await page.getByTestId('compare-export-report').click();
    await expect.poll(() => page.getByTestId('compare-export-outcome').textContent()).toContain(`Saved to ${saveTo}`);
    const html = readFileSync(saveTo, 'utf8');
    expect(html).toContain(`6 runs compared: ${ids.map((id) => `#${id}`).join(', ')}`);
    const groupA = ids.slice(0, 3).map((id) => studio.store().getRun(id).bestTestAccuracy!);
    expect(html).toContain(`<td class="num">${meanStd(groupA)}</td>`);
    await studio.screenshot('compare-report-saved');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // Six runs side by side, the settings table included (its cells wrap between words).
      expect(await clippedText(page)).toEqual([]);
    }
    await page.setViewportSize(SIZES[0]);
  });

  it('Runs keeps a range test out of Compare: the listed runs leave it out, picking it holds Compare back', async () => {
    const { page } = studio;
    await page.evaluate(() => (location.hash = '#/runs'));
    await page.getByTestId('compare-clear').click();
    await page.getByTestId('runs-filter-kind').selectOption('all');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(7);
    expect(await page.getByTestId('runs-compare-visible').textContent()).toBe('Compare the 6 listed');
    await row(rangeTest).getByTestId('run-select').check();
    await row(ids[0]).getByTestId('run-select').check();
    await expect
      .poll(() => page.getByTestId('compare-range-tests').textContent())
      .toBe(`#${rangeTest}: a range test is never compared with training runs.`);
    expect(await page.getByTestId('compare-open').isDisabled()).toBe(true);
    await studio.screenshot('runs-range-test-picked');
    await row(rangeTest).getByTestId('run-select').uncheck();
    await row(ids[1]).getByTestId('run-select').check();
    expect(await page.getByTestId('compare-open').isDisabled()).toBe(false);
  });

  it('Compare refuses a range test by name', async () => {
    const { page } = studio;
    await page.evaluate((list) => (location.hash = `#/compare/${list}`), `${ids[0]},${rangeTest}`);
    await expect
      .poll(() => page.getByTestId('compare-error').textContent())
      .toContain(
        `Run #${rangeTest} is a learning-rate range test, not a training run: it is left out of every comparison.`,
      );
    // The refusal stands alone: no chips of the runs compared before.
    expect(await page.getByTestId('compare-run-chip').count()).toBe(0);
    await studio.screenshot('compare-range-test-refused');
  });
});
