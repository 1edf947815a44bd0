/**
 * The training loop's verdict epochs (successive halving's rungs): after such an epoch, with its
 * `last` checkpoint written, the loop waits for main; a `stop` ends the run exactly there (no
 * batch of the next epoch), a `continue` lets it finish. wasm backend, small synthetic data.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type SelectedBackend } from '../../src/core/engine/backend';
import { train } from '../../src/core/engine/train';
import type { TrainerEvent } from '../../src/shared/training';
import { syntheticDataset } from './engine-fixtures';
import { RELU_MAX_RECIPE } from '../support/networks';

let backend: SelectedBackend;
const dataset = syntheticDataset(600, 200);
const scratch = mkdtempSync(path.join(tmpdir(), 'lenet5-verdict-'));
const config = { ...RELU_MAX_RECIPE, epochs: 3, batchSize: 64, validationFraction: 0.1, trainSubset: 0 };

beforeAll(async () => {
  backend = await selectBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runWithVerdict(dir: string, verdict: 'stop' | 'continue') {
  const events: TrainerEvent[] = [];
  let stop = false;
  const waitedAt: number[] = [];
  const final = await train({
    config,
    dataset,
    backend,
    checkpointDir: dir,
    batchEvery: 1,
    emit: (e) => events.push(e),
    stopRequested: () => stop,
    verdict: {
      epochs: [1],
      wait: async () => {
        const epochs = events.filter((e) => e.type === 'epoch').length;
        waitedAt.push(epochs);
        // The loop waits only once that epoch's last checkpoint is on disk.
        expect(events.at(-1)).toMatchObject({ type: 'checkpoint', role: 'last', epoch: 1 });
        await new Promise((r) => setTimeout(r, 20)); // main takes a moment to judge
        if (verdict === 'stop') stop = true;
      },
    },
  });
  return { events, final, waitedAt };
}

describe('train: verdict epochs', () => {
  it('a stop at the verdict ends the run after that epoch, with no batch of the next', async () => {
    const dir = path.join(scratch, 'stop');
    const { events, final, waitedAt } = await runWithVerdict(dir, 'stop');
    expect(waitedAt).toEqual([1]);
    expect(final).toEqual({ type: 'stopped', epochs: 1 });
    expect(events.filter((e) => e.type === 'batch' && e.epoch > 1)).toEqual([]);
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1]);
    // The final evaluation is of epoch 1's weights; the last checkpoint stays for a resume.
    expect(events.find((e) => e.type === 'evaluation' && e.role === 'final')).toMatchObject({ epoch: 1 });
    expect(existsSync(path.join(dir, 'last'))).toBe(true);
  });

  it('a continue lets it train to the end, waiting only at the verdict epochs', async () => {
    const { events, final, waitedAt } = await runWithVerdict(path.join(scratch, 'go'), 'continue');
    expect(waitedAt).toEqual([1]);
    expect(final).toEqual({ type: 'completed', epochs: 3, reason: 'epochs' });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(3);
  });
});
