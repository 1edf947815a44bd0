/**
 * A dataset folder the user chose is the only one used: when it lacks a file, the Dataset place
 * and the status bar say which, Start says why it cannot start, main refuses the run, and no
 * other copy is trained on. Forgetting the folder brings back the automatic search.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_DATASET_DIR } from '../../../src/core/dataset';
import { PRESETS } from '../../../src/shared/hyperparams';
import { openStudio, type StudioPage } from '../../support/studio-page';

const scratch = mkdtempSync(join(tmpdir(), 'lenet-chosen-'));
const partial = join(scratch, 'three-of-four');
mkdirSync(partial);
for (const name of readdirSync(SYSTEM_DATASET_DIR).filter((f) => !f.startsWith('t10k-labels'))) {
  copyFileSync(join(SYSTEM_DATASET_DIR, name), join(partial, name));
}

describe('a chosen dataset folder', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({
      label: 'ui-dataset-folder',
      dialog: (type) => (type === 'open' ? { canceled: false, filePaths: [partial] } : { canceled: true }),
    });
    await studio.page.setViewportSize({ width: 960, height: 640 });
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lacking a file, is shown as unusable everywhere and refuses the run instead of using another copy', async () => {
    const { page } = studio;
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-choose').click();
    const status = page.getByTestId('dataset-status');
    await expect.poll(() => status.textContent()).toContain('Chosen folder unusable');
    expect(await page.getByTestId('dataset-dir').textContent()).toBe(partial);
    expect(await page.getByTestId('dataset-file-error').textContent()).toContain(
      `${partial}: the chosen dataset folder lacks t10k-labels-idx1-ubyte`,
    );
    // No Download in its place: downloading would not fill the user's folder.
    expect(await page.getByTestId('dataset-download').count()).toBe(0);
    await expect.poll(() => page.getByTestId('status-dataset').textContent()).toContain('t10k-labels-idx1-ubyte');
    await studio.screenshot('dataset-chosen-unusable');

    await page.getByTestId('nav-new').click();
    expect(await page.getByTestId('dataset-problem').textContent()).toContain(
      'Runs cannot start: ' + `${partial}: the chosen dataset folder lacks t10k-labels-idx1-ubyte`,
    );
    expect(await page.getByTestId('start-run').isDisabled()).toBe(true);
    await studio.screenshot('newrun-dataset-problem');

    // Main refuses too (a renderer is not trusted to have disabled the button), and records nothing.
    const refused = await studio.call('runs:start', { config: PRESETS.quick }).catch((e: Error) => e);
    expect((refused as { code?: string }).code).toBe('dataset');
    expect((refused as Error).message).toContain('t10k-labels-idx1-ubyte');
    expect(studio.store().listRuns({}).rows).toHaveLength(0);
  });

  it('forgotten, gives way to the automatic search again', async () => {
    const { page } = studio;
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('dataset-forget').click();
    await expect.poll(() => page.getByTestId('dataset-status').getAttribute('data-found')).toBe('true');
    expect(await page.getByTestId('dataset-source').textContent()).not.toContain('a folder you chose');
    await expect.poll(() => page.getByTestId('status-dataset').textContent()).not.toContain('unusable');
    await page.getByTestId('nav-new').click();
    expect(await page.getByTestId('dataset-problem').count()).toBe(0);
    expect(await page.getByTestId('start-run').isDisabled()).toBe(false);
  });
});
