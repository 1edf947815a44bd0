/**
 * Journey: is the mistake the network's or the label's? A short real run (real main, trainer and
 * store, real FashionMNIST), then in the built renderer: Dataset → Label audit → the run's ranked
 * training images (real images, label, favoured class, AUM) → a class-pair filter → mark the top
 * image "Label is wrong" (stored, shown back) → "Start a run without the 1 marked image" opens
 * New run with the run's settings and the option on → Start → the new run trains without it
 * (recorded with the run) → Compare names what changed. And the cases the audit must explain: a
 * run stopped before its first epoch, a run recorded before margins were kept, and a run whose
 * training file is no longer in its folder.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME } from '../../../src/core/paths';
import { PRESETS } from '../../../src/shared/hyperparams';
import { CLASS_NAMES } from '../../../src/shared/training';
import { OFFICIAL_SHA256 } from '../../../src/core/dataset';
import { seedMargins, seedRun } from '../../../tools/fixtures/synthetic-runs';
import { openStudio, type StudioPage } from '../../support/studio-page';
import { RELU_MAX } from '../../support/networks';

/**
 * A run small enough to finish in seconds that still learns something to dispute labels with:
 * 2,000 training images, two epochs, the modern network's relu and max pooling.
 */
const SHORT = { ...PRESETS.quick, model: RELU_MAX, learningRate: 0.002, trainSubset: 2000, epochs: 2 };

async function completed(studio: StudioPage, id: number): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { status } = await studio.call('runs:get', { id });
    if (status === 'completed') return;
    if (status !== 'queued' && status !== 'running') throw new Error(`run ${id} ended ${status}`);
    if (Date.now() > deadline) throw new Error(`run ${id} did not complete in 4 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('journey: label audit → mark → a run without the marked images → Compare', () => {
  let studio: StudioPage;
  let audited = 0;
  beforeAll(async () => {
    studio = await openStudio({ label: 'journey-label-audit' });
    audited = (await studio.call('runs:start', { config: SHORT, name: 'audited run' })).id;
    await completed(studio, audited);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('lists the run’s disputed training images, filters a pair, marks one, and trains without it', async () => {
    const { page } = studio;
    await page.evaluate(() => (window.location.hash = '#/dataset'));
    await page.getByTestId('dataset-open-audit').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/audit');
    await page.getByTestId('audit-run').selectOption(String(audited));
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/audit/${audited}`);

    const entries = page.getByTestId('audit-entry');
    await expect.poll(() => entries.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // What the store ranks (shared/audit.ts), read by the test's own connection.
    const ranked = studio.store().audit({ runId: audited });
    expect(ranked.state).toBe('ready');
    expect(await entries.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))))).toEqual(
      ranked.entries.map((e) => e.index),
    );
    const first = entries.first();
    const top = ranked.entries[0];
    expect(await first.getByTestId('audit-given').textContent()).toBe(CLASS_NAMES[top.given]);
    expect(await page.getByTestId('audit-message').textContent()).toMatch(
      /covers only the 2,000 of 60,000 training images this run trained on/,
    );
    // The images are drawn (one canvas per card) once main has read them from the training file.
    await expect.poll(() => first.locator('canvas').count(), { timeout: 30_000 }).toBe(1);
    await studio.screenshot('audit-list');

    // A class pair: only images given one class of it and favouring the other.
    await page.getByTestId('audit-pair-a').selectOption(String(top.given));
    await page.getByTestId('audit-pair-b').selectOption(String(top.believed));
    const inPair = studio.store().audit({ runId: audited, pair: [top.given, top.believed] });
    await expect
      .poll(() => entries.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index')))))
      .toEqual(inPair.entries.map((e) => e.index));
    expect(
      inPair.entries.every((e) => [e.given, e.believed].sort().join() === [top.given, top.believed].sort().join()),
    );
    await studio.screenshot('audit-pair');

    expect(await page.getByTestId('audit-start-without').isDisabled()).toBe(true);
    expect(await page.getByTestId('audit-start-note').textContent()).toMatch(/Mark images “Label is wrong” first/);
    // Mark the top image's label wrong: stored, and shown back on its card and on the button.
    await first.getByTestId('mark-wrong').click();
    await expect.poll(() => first.getAttribute('data-mark')).toBe('wrong');
    expect(studio.store().imagesMarkedWrong(audited)).toEqual([top.index]);
    const start = page.getByTestId('audit-start-without');
    expect(await start.isDisabled()).toBe(false);
    await expect.poll(() => start.textContent()).toBe('Start a run without the 1 marked image');
    await studio.screenshot('audit-marked');

    // New run, from the audited run's settings with the marked images left out.
    await start.click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/new');
    expect(await page.getByTestId('based-on').textContent()).toContain(
      'run “audited run” without the 1 image marked wrong',
    );
    expect(await page.getByTestId('option-excludeMarked-wrong').isChecked()).toBe(true);
    expect(await page.getByTestId('run-plan-left-out').textContent()).toMatch(/marked wrong in the label audit/);
    await studio.screenshot('audit-new-run');
    await page.getByTestId('start-run').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/run\/\d+$/);
    const without = Number((await page.evaluate(() => window.location.hash)).split('/')[2]);
    expect(without).not.toBe(audited);
    await completed(studio, without);
    const run = studio.store().getRun(without);
    expect(run.config).toEqual({ ...SHORT, excludeMarked: 'wrong' });
    expect(run.leftOut).toEqual({ count: 1, indices: [top.index] });
    expect(run.trainSize).toBe(1999);

    // Compare: the setting and what it left out, beside the usual differences.
    await page.evaluate(([a, b]) => (window.location.hash = `#/compare/${a},${b}`), [audited, without]);
    const leftOut = page.locator('[data-testid="hp-row"][data-key="leftOut"]');
    await leftOut.waitFor({ timeout: 30_000 });
    expect(await leftOut.getAttribute('data-differs')).toBe('true');
    expect((await leftOut.locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      'none',
      '1 image marked wrong',
    ]);
    const setting = page.locator('[data-testid="hp-row"][data-key="excludeMarked"]');
    expect(await setting.getAttribute('data-differs')).toBe('true');
    await page.getByTestId('cm-cell').first().waitFor({ timeout: 30_000 });
    await leftOut.scrollIntoViewIfNeeded();
    await studio.screenshot('audit-compare');

    // Marks can change afterwards; the run's record of what it left out does not.
    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), audited);
    await entries.first().waitFor({ timeout: 30_000 });
    const marked = page.locator(`[data-testid="audit-entry"][data-index="${top.index}"]`);
    await marked.getByTestId('mark-wrong').click(); // pressed again: cleared
    await expect.poll(() => marked.getAttribute('data-mark')).toBe('');
    expect(studio.store().imagesMarkedWrong(audited)).toEqual([]);
    expect(studio.store().getRun(without).leftOut).toEqual({ count: 1, indices: [top.index] });
  });

  it('explains a run stopped before its first epoch, one without margins, and a training file that changed', async () => {
    const { page } = studio;
    const store = studio.store();
    const early = store.createRun(PRESETS.quick, { name: 'stopped early' });
    store.recordEvent(early, { type: 'stopped', epochs: 0 });
    // Recorded by an older version: epochs, but no margins.
    const older = seedRun(store, { epochs: 2, seed: 5, name: 'before margins' });
    // Two runs on one folder whose training images changed between them, neither file there now:
    // the older run's mark is kept but not shown on the newer run's images, and no image can be read.
    const startedOn = (imagesSha: string, name: string) => {
      const id = store.createRun(SHORT, { name });
      const identity = {
        source: 'user' as const,
        dir: '/nonexistent/fashion-mnist-since-changed',
        sha256: { ...OFFICIAL_SHA256, 'train-images-idx3-ubyte': imagesSha },
        official: false,
      };
      store.recordEvent(id, {
        type: 'started',
        backend: 'wasm',
        tfjsVersion: '4.22.0',
        dataset: identity,
        trainSize: 60_000,
        validationSize: 0,
        testSize: 10_000,
        epochs: 1,
        batchesPerEpoch: 1875,
        parameterCount: 61_706,
      });
      return id;
    };
    const onFolder = (imagesSha: string, name: string) => {
      const id = startedOn(imagesSha, name);
      seedMargins(store, id, { epochs: 1, seed: imagesSha.charCodeAt(0) });
      return id;
    };
    const before = onFolder('e'.repeat(64), 'before the files changed');
    store.markImage({
      runId: before,
      imageIndex: store.audit({ runId: before, top: 1 }).entries[0].index,
      mark: 'wrong',
    });
    const changed = onFolder('f'.repeat(64), 'after the files changed');

    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), early);
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 30_000 })
      .toMatch(/has no completed epoch/);
    expect(await page.getByTestId('audit-summary').getAttribute('data-state')).toBe('no-epoch');
    expect(await page.getByTestId('audit-run').locator('option:checked').textContent()).toMatch(
      /stopped early · no completed epoch/,
    );
    await studio.screenshot('audit-no-epoch');

    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), older);
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 30_000 })
      .toMatch(/recorded before training runs kept per-image margins/);
    await studio.screenshot('audit-not-recorded');

    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), changed);
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 30_000 })
      .toMatch(/1 mark was made on this folder when its files were different: kept, not shown here/);
    await expect
      .poll(() => page.getByTestId('audit-images-note').textContent(), { timeout: 30_000 })
      .toMatch(/no longer in \/nonexistent\/fashion-mnist-since-changed .*their images cannot be shown/);
    expect(await page.locator('[data-testid="audit-entry"][data-mark="wrong"]').count()).toBe(0);
    await studio.screenshot('audit-files-changed');

    // A run still training: nothing to rank before its first epoch, then its list appears when
    // main says the epoch is stored (its `last` checkpoint), without leaving the page.
    const live = startedOn('d'.repeat(64), 'still training');
    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), live);
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 30_000 })
      .toMatch(/has no completed epoch/);
    seedMargins(store, live, { epochs: 1, seed: 4 });
    studio.send('run:event', { runId: live, event: { type: 'checkpoint', epoch: 1, role: 'last', path: '/x' } });
    await expect.poll(() => page.getByTestId('audit-entry').count(), { timeout: 30_000 }).toBe(50);
    expect(await page.getByTestId('audit-run').locator('option:checked').textContent()).toMatch(
      /still training · 1 epoch of margins/,
    );
  });

  it('a run recorded before margins: “Compute from the checkpoint” ranks by its final network’s margins, and says so', async () => {
    const { page } = studio;
    // The audited run as an older version recorded it: checkpoints, no margins.
    const db = new Database(join(studio.userDataDir, DB_FILE_NAME));
    try {
      db.prepare('DELETE FROM run_margins WHERE run_id = ?').run(audited);
    } finally {
      db.close();
    }
    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), audited);
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 30_000 })
      .toMatch(/recorded before training runs kept per-image margins/);
    await page.getByTestId('audit-compute').click();
    await expect
      .poll(() => page.getByTestId('audit-computing').textContent())
      .toMatch(/Computing from the checkpoint: /);
    await studio.screenshot('audit-computing');
    await expect
      .poll(() => page.getByTestId('audit-message').textContent(), { timeout: 120_000 })
      .toMatch(/ranks by the final network's margin only, not by an area under the margin over training/);
    expect(await page.getByTestId('audit-entry').count()).toBeGreaterThan(0);
    const stored = studio.store().audit({ runId: audited });
    expect(stored).toMatchObject({ state: 'ready', source: 'checkpoint', epochs: 1 });
    expect(await page.getByTestId('audit-compute').count()).toBe(0);
    // Each card and the run picker say what the margins are.
    await expect
      .poll(() => page.getByTestId('audit-run').locator('option:checked').textContent())
      .toMatch(/audited run · final network's margins \(from its checkpoint\)/);
    expect(await page.getByTestId('audit-entry').first().textContent()).toMatch(
      /Margin\s*\S+.*logits in the final network \(computed from its checkpoint\)/s,
    );
    await studio.screenshot('audit-from-checkpoint');

    // A run without a checkpoint: a clear error, and the page still offers it.
    const older = seedRun(studio.store(), { epochs: 2, seed: 6, name: 'before margins, no checkpoint' });
    await page.evaluate((id) => (window.location.hash = `#/audit/${id}`), older);
    await page.getByTestId('audit-compute').click();
    await expect
      .poll(() => page.getByTestId('audit-action-error').textContent(), { timeout: 30_000 })
      .toMatch(/The margins could not be computed from the checkpoint.*has no last checkpoint/);
    expect(await page.getByTestId('audit-compute').count()).toBe(1);
  });
});
