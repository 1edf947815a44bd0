/**
 * While a run trains, the status bar names the backend it trains on and how that was chosen
 * (measured, the only one that loads, or forced), and the Run page shows the same; afterwards the
 * status bar goes back to the backend a new run would use. The threads field on Runs (the
 * `app:max-threads` setting) shows its default, refuses a bad number naming the range, and saves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedRunId, openStudio, type StudioPage } from '../../support/studio-page';

describe('status bar: the backend of a training run', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudio({ label: 'ui-backend-status' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('Runs: the threads field shows the default, refuses a bad number naming the range, saves a good one', async () => {
    const { page } = studio;
    const initial = await studio.call('app:max-threads');
    expect(initial.threads).toBe(initial.default);
    await page.getByTestId('nav-runs').click();
    const field = page.getByTestId('max-threads');
    await expect.poll(() => field.inputValue()).toBe(String(initial.default));
    expect(await field.getAttribute('title')).toBe(
      `This machine has ${initial.cores} cores; the default is ${initial.default}.`,
    );
    await field.fill('0');
    await field.press('Enter');
    await expect
      .poll(() => page.getByTestId('threads-error').textContent())
      .toBe('Threads must be an integer from 1 to 256');
    expect((await studio.call('app:max-threads')).threads).toBe(initial.threads); // nothing saved
    await field.fill('1');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('threads-saved').count()).toBe(1);
    expect(await page.getByTestId('threads-error').count()).toBe(0);
    expect((await studio.call('app:max-threads')).threads).toBe(1);
    // Its neighbour, built on the same field, still saves its own setting.
    await page.getByTestId('parallel-trainers').fill('1');
    await page.getByTestId('parallel-trainers').press('Enter');
    await expect.poll(() => page.getByTestId('parallel-saved').count()).toBe(1);
    expect((await studio.call('app:parallel-trainers')).parallel).toBe(1);
    expect((await studio.call('app:max-threads')).threads).toBe(1);
  });

  it('shows the training run’s backend and how it was chosen, then the idle backend again', async () => {
    const { page } = studio;
    await expect.poll(() => page.getByTestId('status-backend').count()).toBe(1);
    await page.getByTestId('nav-new').click();
    await page.getByTestId('preset-quick').click();
    await expect.poll(() => page.getByTestId('preset-quick').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('start-run').click();
    const runId = await openedRunId(page);

    const training = page.getByTestId('status-training-backend');
    await expect.poll(() => training.count(), { timeout: 120_000, interval: 100 }).toBe(1);
    const choice = studio.store().getRun(runId).backendChoice;
    expect(choice).toMatch(/^(wasm ×\d+ threads?|tensorflow|cpu), (chosen by measurement|the only backend that loads)/);
    // People's words for what runs, never the loader's error text (issue 25 item 3).
    const [label, how] = [choice!.slice(0, choice!.indexOf(', ')), choice!.slice(choice!.indexOf(', ') + 2)];
    const threads = /^wasm ×(\d+)/.exec(label)?.[1];
    const summary = threads
      ? `WebAssembly, ${threads} thread${threads === '1' ? '' : 's'}`
      : label === 'tensorflow'
        ? 'TensorFlow native'
        : 'plain JavaScript (CPU)';
    await expect.poll(() => training.textContent()).toContain(`Run #${runId} on ${summary}`);
    expect(await training.textContent()).not.toContain('Cannot find');
    expect(await page.getByTestId('status-backend').count()).toBe(0);
    await studio.screenshot('training');

    // The Run page says the same, beside the live speed, with the reason behind "Why".
    await expect.poll(() => page.getByTestId('run-backend-choice-summary').textContent()).toBe(summary);
    const choiceLine = page.getByTestId('run-backend-choice');
    expect(await choiceLine.textContent()).toContain(
      how.startsWith('the only') ? 'the only one that loads here' : 'the fastest here, by measurement',
    );
    const detail = choiceLine.getByTestId('run-backend-choice-detail');
    expect(await detail.isVisible()).toBe(false);
    await choiceLine.locator('summary').click();
    // The detail is the stored line's own words after the reason: what did not load, or the speeds.
    const words = how.startsWith('the only') ? /\((.*)\)$/s.exec(how)![1]! : how.replace('chosen by measurement ', '');
    await expect.poll(() => detail.textContent()).toContain(words.replace(' (cached)', ''));
    await studio.screenshot('backend-why');

    await expect
      .poll(() => page.getByTestId('run-page').getAttribute('data-status'), { timeout: 240_000, interval: 500 })
      .toBe('completed');
    await expect.poll(() => training.count()).toBe(0);
    expect(await page.getByTestId('status-backend').count()).toBe(1);
    // The finished run's configuration keeps the choice.
    await expect.poll(() => page.getByTestId('run-config-backend-summary').textContent()).toBe(summary);
  });
});
