import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { layerSpec } from '../../src/shared/lenet';
import { openStudio, ROOT, type StudioPage } from '../support/studio-page';
import { RELU_MAX } from '../support/networks';

/** The page's main diagram (the comparison below it draws three more). */
const MAIN_DIAGRAM = 'section[aria-label="Architecture diagram"]';

/** The layers the diagram draws (activations and flatten are annotations on its links). */
const DRAWN = new Set(['input', 'pad', 'conv', 'pool', 'dense']);

describe('Model place', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-model' });
    await studio.page.getByTestId('nav-model').click();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it("shows the seed network's torchsummary text verbatim", async () => {
    const { page } = studio;
    const expected = readFileSync(join(ROOT, 'test/fixtures/seed-summary.txt'), 'utf8');
    await expect.poll(() => page.getByTestId('model-summary').textContent()).toBe(expected);
    expect(await page.getByTestId('preset-seed').getAttribute('aria-pressed')).toBe('true');
  });

  it('draws the layers of the seed network in order', async () => {
    const { page } = studio;
    const labels = await page
      .locator(MAIN_DIAGRAM)
      .getByTestId('diagram-layer')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    expect(labels).toEqual([
      'Input: 1@28×28',
      'C1: 6@28×28',
      'S2: 6@14×14',
      'C3: 16@10×10',
      'S4: 16@5×5',
      'C5: 120',
      'F6: 84',
      'Output: 10',
    ]);
    expect(labels).toEqual(
      layerSpec(PRESETS.seed.model)
        .filter((l) => DRAWN.has(l.kind))
        .map((l) => l.label),
    );
    // Between the drawn layers: one link each, naming the operation.
    const ops = await page.locator(`${MAIN_DIAGRAM} [data-testid="diagram-link"] .op-name`).allTextContents();
    expect(ops).toEqual([
      'Convolutions',
      'Subsampling',
      'Convolutions',
      'Subsampling',
      'Full connection',
      'Full connection',
      'Full connection',
    ]);
    // The HTML table lists every torchsummary row.
    expect(await page.locator('[data-testid="summary-table"] tbody tr').count()).toBe(10);
    // With the dataset present, the input box shows a real test image.
    if ((await studio.call('dataset:info')).location.found) {
      await expect.poll(() => page.locator('[data-testid="lenet-diagram"] image').count()).toBe(1);
    }
    await studio.screenshot('model-seed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await studio.screenshot('model-seed-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows a variant: 32×32 input, C5 as a convolution, ReLU and max pooling', async () => {
    const { page } = studio;
    await page.getByTestId('option-model.inputSize-32').check();
    await page.getByTestId('option-model.c5-conv').check();
    await page.getByTestId('option-model.convActivation-relu').check();
    await page.getByTestId('option-model.pooling-max').check();
    const options = {
      ...PRESETS.seed.model,
      inputSize: 32 as const,
      c5: 'conv' as const,
      convActivation: 'relu' as const,
      pooling: 'max' as const,
    };
    const expected = layerSpec(options)
      .filter((l) => DRAWN.has(l.kind))
      .map((l) => l.label);
    expect(expected[1]).toBe('Pad: 1@32×32');
    await expect
      .poll(() =>
        page
          .locator(MAIN_DIAGRAM)
          .getByTestId('diagram-layer')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))),
      )
      .toEqual(expected);
    const summary = (await page.getByTestId('model-summary').textContent()) ?? '';
    expect(summary).toContain('ZeroPad2d-1');
    expect(summary).toContain('MaxPool2d');
    expect(summary).toContain('ReLU');
    expect(summary).toContain('Total params                        61,706');
    expect(await page.getByTestId('preset-seed').getAttribute('aria-pressed')).toBe('false');
    await studio.screenshot('model-variant');
  });

  it('shows the modern preset’s widths in the table and on the diagram, and refuses a width out of range', async () => {
    const { page } = studio;
    await page.getByTestId('preset-modern').click();
    // 25·16+16, 25·16·32+32, 800·96+96, 96·84+84, 850, and γ, β for C1's 16 and C3's 32 maps.
    await expect
      .poll(() => page.getByTestId('model-summary').textContent())
      .toContain('Total params                        99,238');
    const summary = (await page.getByTestId('model-summary').textContent()) ?? '';
    expect(summary).toMatch(/Conv2d-1\s+\[-1, 16, 28, 28\]\s+416\n/);
    expect(summary).toMatch(/Conv2d-5\s+\[-1, 32, 10, 10\]\s+12,832\n/);
    const labels = () =>
      page
        .locator(MAIN_DIAGRAM)
        .getByTestId('diagram-layer')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    expect(await labels()).toEqual(expect.arrayContaining(['C1: 16@28×28', 'C3: 32@10×10', 'C5: 96', 'F6: 84']));
    await studio.screenshot('model-modern-widths');
    // A width typed by hand redraws the network; one past its range is named, with the range.
    await page.getByTestId('input-model.c3Maps').fill('8');
    await expect.poll(labels).toEqual(expect.arrayContaining(['C3: 8@10×10']));
    await page.getByTestId('input-model.c3Maps').fill('200');
    await expect
      .poll(() => page.getByTestId('error-model.c3Maps').textContent())
      .toBe('C3 maps must be an integer from 1 to 128');
  });

  it('adds batch norm and dropout: their rows in the table, named on the diagram’s links', async () => {
    const { page } = studio;
    await page.getByTestId('preset-modern').click();
    // The seed's widths, so the counts below are the 61,706-parameter network's.
    for (const [field, width] of [
      ['c1Maps', 6],
      ['c3Maps', 16],
      ['c5Units', 120],
      ['f6Units', 84],
    ] as const)
      await page.getByTestId(`input-model.${field}`).fill(String(width));
    await page.getByTestId('option-model.batchNorm-none').check();
    await page.getByTestId('input-model.dropout').fill('0');
    await page.getByTestId('option-model.batchNorm-all').check();
    await page.getByTestId('input-model.dropout').fill('0.25');
    const options = { ...RELU_MAX, batchNorm: 'all' as const, dropout: 0.25 };
    const table = page.getByTestId('summary-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(layerSpec(options).length - 1);
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('BatchNorm2d-2');
    expect(text).toContain('BatchNorm1d-11');
    expect(text).toContain('Dropout-13');
    expect(text).toContain('25% zeroed while training');
    const pre = await page
      .locator(MAIN_DIAGRAM)
      .locator('.op-detail.pre')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(pre).toEqual(expect.arrayContaining(['after batch norm,', 'relu, dropout']));
    // 61,706 + 2·(6 + 16 + 120 + 84): the text summary counts γ and β.
    expect(await page.getByTestId('model-summary').textContent()).toContain(
      'Total params                        62,158',
    );
    await studio.screenshot('model-batchnorm-dropout');
  });

  it('a preset button restores the model options', async () => {
    const { page } = studio;
    await page.getByTestId('preset-modern').click();
    expect(await page.getByTestId('option-model.denseActivation-relu').isChecked()).toBe(true);
    await page.getByTestId('preset-seed').click();
    const expected = readFileSync(join(ROOT, 'test/fixtures/seed-summary.txt'), 'utf8');
    await expect.poll(() => page.getByTestId('model-summary').textContent()).toBe(expected);
  });
});
