/**
 * The modern preset's wider network (C1 16 maps, C3 32, C5 96 units, batch norm, dropout) end to
 * end below the window: a real run of it (real trainer, real store), then what the inspector reads
 * of it: every layer's activation at its width, the checkpoint's kernels and the per-epoch
 * snapshots sized by the run's widths (the seed's 2,572 numbers were once assumed).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureContext } from '../../src/core/procedures';
import { PRESETS } from '../../src/shared/hyperparams';
import { procedureCalls, studioWithRun } from '../support/procedure-calls';

let dir: string;
let ctx: ProcedureContext;
let runId = 0;
const warnings: string[] = [];

const { call } = procedureCalls(() => ctx);

beforeAll(async () => {
  ({ dir, ctx, runId } = await studioWithRun(
    'lenet-wide-',
    { config: { ...PRESETS.modern, trainSubset: 600, epochs: 2, validationFraction: 0.1 }, name: 'wide' },
    { log: (line) => warnings.push(line) },
  ));
});
afterAll(async () => {
  await ctx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the modern preset’s wider network, trained and inspected', () => {
  it('is the preset’s network: 16, 32, 96 and 84 wide', () => {
    expect(PRESETS.modern.model).toMatchObject({ c1Maps: 16, c3Maps: 32, c5Units: 96, f6Units: 84 });
    expect(ctx.store().getRun(runId).config.model).toEqual(PRESETS.modern.model);
  });

  it('shows every layer at its width', async () => {
    const r = await call('inspect:image', { runId, checkpoint: 'best', source: { kind: 'test', index: 0 } });
    expect(r.layers.map((l) => [l.id, l.shape])).toEqual([
      ['C1', [16, 28, 28]],
      ['S2', [16, 14, 14]],
      ['C3', [32, 10, 10]],
      ['S4', [32, 5, 5]],
      ['C5', [96]],
      ['F6', [84]],
      ['Output', [10]],
    ]);
    expect(r.layers[2].values.length).toBe(32 * 10 * 10);
  });

  it('keeps kernels and per-epoch snapshots at its widths', async () => {
    const k = await call('inspect:kernels', { runId, checkpoint: 'last' });
    // C1: 16 kernels of 5×5 over 1 channel; C3: 32 of 5×5 over C1's 16 maps.
    expect([k.c1.length, k.c1Bias.length, k.c3.length, k.c3Bias.length]).toEqual([400, 16, 12_800, 32]);
    const index = await call('inspect:snapshots', { id: runId });
    expect(index.epochs).toEqual([1, 2]);
    const two = await call('inspect:snapshot', { runId, epoch: 2 });
    const top = Math.max(...k.c3.map(Math.abs));
    two.c3.forEach((v, i) => expect(Math.abs(v - k.c3[i])).toBeLessThanOrEqual(top / 254 + 1e-6));
    expect(warnings.filter((w) => /snapshot/i.test(w))).toEqual([]);
  });
});
