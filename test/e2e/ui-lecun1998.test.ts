/**
 * The Model page's three LeNet-5s (1998, Classic, Modern): parameters per layer as the paper and
 * the builders give them, C3's connection table as Table I, the 1998 network picked as a model,
 * and "Train this" opening New run with the preset applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type StudioPage } from '../support/studio-page';

describe('Model page: LeNet-5 in 1998, the seed’s and modern', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-lecun1998' });
    await studio.page.getByTestId('nav-model').click();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('compares the parameters per layer: the paper’s figures beside the seed’s network', async () => {
    const { page } = studio;
    const row = (stage: string) => page.getByTestId(`compare-row-${stage}`).locator('td').allTextContents();
    // Paper, sec. II.B: C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164; the seed's full C3 has 6·16·25+16.
    // Modern (16, 32, 96, 84 wide): 25·16+16, 25·16·32+32, 800·96+96, 96·84+84, and γ, β for 16 + 32 maps.
    expect(await row('C1')).toEqual(['156', '156', '416']);
    expect(await row('S2')).toEqual(['12', '0', '0']);
    expect(await row('C3')).toEqual(['1,516', '2,416', '12,832']);
    expect(await row('S4')).toEqual(['32', '0', '0']);
    expect(await row('C5')).toEqual(['48,120', '48,120', '76,896']);
    expect(await row('F6')).toEqual(['10,164', '10,164', '8,148']);
    expect(await row('Output')).toEqual(['0', '850', '850']);
    expect(await row('Batch-norm')).toEqual(['0', '0', '96']);
    expect(await page.getByTestId('compare-total-lecun1998').textContent()).toBe('60,000');
    expect(await page.getByTestId('compare-total-seed').textContent()).toBe('61,706');
    expect(await page.getByTestId('compare-total-modern').textContent()).toBe('99,238');
    const drawn = await page
      .getByTestId('compare-lecun1998')
      .getByTestId('diagram-layer')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));
    expect(drawn).toEqual([
      'Input: 1@28×28',
      'Pad: 1@32×32',
      'C1: 6@28×28',
      'S2: 6@14×14',
      'C3: 16@10×10',
      'S4: 16@5×5',
      'C5: 120@1×1',
      'F6: 84',
      'Output: 10 RBF',
    ]);
    expect(await page.getByTestId('model-changes').locator('li').count()).toBe(6);
    await page.getByTestId('model-compare').scrollIntoViewIfNeeded();
    await studio.screenshot('model-three-networks');
    await page.getByTestId('compare-modern').scrollIntoViewIfNeeded();
    await studio.screenshot('model-three-networks-diagrams');
  });

  it('draws C3’s connection table as Table I', async () => {
    const { page } = studio;
    // Table I's first row as printed in the paper: X . . . X X X . . X X X X . X X
    const first = await Promise.all(
      Array.from({ length: 16 }, (_, c) => page.getByTestId(`c3-cell-0-${c}`).textContent()),
    );
    expect(first.map((t) => (t === 'X' ? 'X' : '.')).join('')).toBe('X...XXX..XXXX.XX');
    expect(await page.getByTestId('c3-table').locator('td.on').count()).toBe(60);
    await page.getByTestId('c3-table').scrollIntoViewIfNeeded();
    await studio.screenshot('model-c3-table');
  });

  it('the 1998 preset shows its table: 60,000 trainable, 840 fixed code numbers', async () => {
    const { page } = studio;
    await page.getByTestId('preset-lecun1998').click();
    await expect.poll(() => page.getByTestId('model-summary').textContent()).toContain('PartialConv2d-6');
    const summary = (await page.getByTestId('model-summary').textContent()) ?? '';
    expect(summary).toContain('Trainable params                    60,000');
    expect(summary).toContain('Non-trainable params                840');
    await page.getByTestId('model-summary').scrollIntoViewIfNeeded();
    await studio.screenshot('model-lecun1998-summary');
  });

  it('“Train this” opens New run with the 1998 preset applied', async () => {
    const { page } = studio;
    await page.getByTestId('train-lecun1998').click();
    await expect.poll(() => page.getByTestId('preset-lecun1998').getAttribute('aria-pressed')).toBe('true');
    await studio.screenshot('new-run-lecun1998');
  });

  it('choosing the 1998 network by hand in New run gives it the paper’s RBF output, unless the output was picked', async () => {
    const { page } = studio;
    const output = (kind: 'rbf' | 'softmax') => page.getByTestId(`option-model.output-${kind}`);
    const architecture = (kind: 'lenet5' | 'lecun1998') => page.getByTestId(`option-model.architecture-${kind}`);
    const count = () => page.getByTestId('param-count').textContent();
    await page.getByTestId('preset-seed').click();
    expect(await output('softmax').isChecked()).toBe(true);
    await architecture('lecun1998').click();
    expect(await output('rbf').isChecked()).toBe(true);
    // The paper's 60,000: its RBF units' codes are fixed, so the output adds no trainable parameter.
    await expect.poll(count).toBe('60,000');
    await page.getByTestId('field-model.output').scrollIntoViewIfNeeded();
    await studio.screenshot('new-run-1998-by-hand');
    // A softmax output picked by hand stays through a change of network and back: Linear 84→10 adds 850.
    await output('softmax').click();
    await expect.poll(count).toBe('60,850');
    await architecture('lenet5').click();
    await architecture('lecun1998').click();
    expect(await output('softmax').isChecked()).toBe(true);
    await expect.poll(count).toBe('60,850');
    // A preset fills the form afresh: the hand-picked output is forgotten.
    await page.getByTestId('preset-modern').click();
    await architecture('lecun1998').click();
    expect(await output('rbf').isChecked()).toBe(true);
  });

  it('the Model page’s draft follows the same rule', async () => {
    const { page } = studio;
    await page.getByTestId('nav-model').click();
    await page.getByTestId('preset-seed').click();
    await page.getByTestId('model-options').getByTestId('option-model.architecture-lecun1998').click();
    expect(await page.getByTestId('model-options').getByTestId('option-model.output-rbf').isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('model-summary').textContent())
      .toContain('Trainable params                    60,000');
  });
});
