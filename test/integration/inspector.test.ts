/**
 * The inspector end to end below the window: a real quick run (real trainer, real store), then the
 * `inspect:*` procedures through createContext + callProcedure, answered by a real inspector
 * process (child_process.fork of src/core/inspector/process.ts). Bad input, each named.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureContext } from '../../src/core/procedures';
import { pngOf, procedureCalls, studioWithRun } from '../support/procedure-calls';
import { PRESETS } from '../../src/shared/hyperparams';

let dir: string;
let ctx: ProcedureContext;
let runId = 0;

const { call, failure } = procedureCalls(() => ctx);

beforeAll(async () => {
  ({ dir, ctx, runId } = await studioWithRun('lenet-inspector-', {
    config: { ...PRESETS.quick, trainSubset: 600, epochs: 2 },
    name: 'inspect me',
  }));
});
afterAll(async () => {
  await ctx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('inspect procedures on a real run', () => {
  it('a test image: every layer, the prediction stored for it, saliency and Grad-CAM', async () => {
    const stored = ctx.store().predictions({ runId, role: 'best', limit: 5, offset: 0 });
    const row = stored.rows[0];
    const r = await call('inspect:image', {
      runId,
      checkpoint: 'best',
      source: { kind: 'test', index: row.index },
      smoothGradSamples: 4,
    });
    expect(r.checkpoint).toEqual({ role: 'best', epoch: expect.any(Number) });
    expect(r.layers.map((l) => [l.id, l.shape])).toEqual([
      ['C1', [6, 28, 28]],
      ['S2', [6, 14, 14]],
      ['C3', [16, 10, 10]],
      ['S4', [16, 5, 5]],
      ['C5', [120]],
      ['F6', [84]],
      ['Output', [10]],
    ]);
    expect(r.layers[0].values).toBeInstanceOf(Float32Array);
    expect(r.predicted).toBe(row.predictedClass);
    // The store keeps probabilities as round(p × 65535) (±8e-6); the trainer's and the inspector's
    // float32 forward passes agree far closer than 1e-4 (one-byte storage was off by up to 2e-3).
    r.probabilities.forEach((p, c) => expect(Math.abs(p - row.probabilities[c])).toBeLessThanOrEqual(1e-4));
    expect(r.trueClass).toBe(row.trueClass);
    expect(r.targetClass).toBe(r.predicted);
    expect(r.saliency.length).toBe(784);
    expect(r.gradCam.length).toBe(100);
    // LayerCAM crosses the process boundary as a typed array too (shown where Grad-CAM is blank).
    expect(r.layerCam).toBeInstanceOf(Float32Array);
    expect(r.layerCam.length).toBe(100);
    expect(r.gradCamSide).toBe(10);
    const other = (r.predicted + 1) % 10;
    const forOther = await call('inspect:image', {
      runId,
      source: { kind: 'test', index: row.index },
      targetClass: other,
      smoothGradSamples: 4,
    });
    expect(forOther.targetClass).toBe(other);
    expect(Array.from(forOther.saliency)).not.toEqual(Array.from(r.saliency));
  });

  it('a PNG written from a test image is used as it is and predicted as the store says', async () => {
    const { rows } = ctx.store().predictions({ runId, role: 'best', limit: 3, offset: 0, correct: false });
    const { images } = await ctx.dataset.testImages(rows.map((x) => x.index));
    const files = rows.map((row, k) => ({
      name: `test-${row.index}.png`,
      bytes: pngOf(images.subarray(k * 784, (k + 1) * 784)),
    }));
    const image = await call('inspect:image', { runId, source: { kind: 'file', ...files[0] }, smoothGradSamples: 1 });
    expect(image.conversion?.asIs).toBe(true);
    expect(Array.from(image.pixels)).toEqual(Array.from(images.subarray(0, 784)));
    expect(image.predicted).toBe(rows[0].predictedClass);
    const predicted = await call('inspect:predict', {
      runId,
      files: [
        ...files,
        { name: 'notes.txt', bytes: new TextEncoder().encode('not an image') },
        { name: 'empty.png', bytes: new Uint8Array(0) },
      ],
    });
    expect(predicted.results.map((x) => x.ok && x.predicted)).toEqual([
      ...rows.map((x) => x.predictedClass),
      false,
      false,
    ]);
    expect(predicted.results.at(-2)).toEqual({
      file: 'notes.txt',
      ok: false,
      error: 'notes.txt is not a PNG or JPEG image.',
    });
    expect(predicted.results.at(-1)).toEqual({ file: 'empty.png', ok: false, error: 'empty.png is empty (0 bytes).' });
  });

  it('kernels of the checkpoint, and per-epoch snapshots that change from epoch to epoch', async () => {
    const k = await call('inspect:kernels', { runId, checkpoint: 'last' });
    expect([k.c1.length, k.c3.length, k.c1Bias.length, k.c3Bias.length]).toEqual([150, 2400, 6, 16]);
    const index = await call('inspect:snapshots', { id: runId });
    expect(index.epochs).toEqual([1, 2]);
    expect(index.checkpointEpochs).toEqual([]);
    const [one, two] = [
      await call('inspect:snapshot', { runId, epoch: 1 }),
      await call('inspect:snapshot', { runId, epoch: 2 }),
    ];
    expect(one.confusion.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Array.from(one.c1)).not.toEqual(Array.from(two.c1));
    // Epoch 2 is the last checkpoint: its snapshot is its kernels, int8-quantised.
    const top = Math.max(...k.c3.map(Math.abs));
    two.c3.forEach((v, i) => expect(Math.abs(v - k.c3[i])).toBeLessThanOrEqual(top / 254 + 1e-6));
    const trajectory = await call('inspect:trajectory', { runId, index: 0 });
    expect(trajectory.epochs).toEqual([1, 2]);
  });

  it('a file that is not an image, an empty file, an oversized file: plain messages', async () => {
    const notImage = await failure('inspect:image', {
      runId,
      source: { kind: 'file', name: 'a.txt', bytes: new Uint8Array([1, 2, 3]) },
    });
    expect(notImage).toEqual({ code: 'invalid-input', message: 'a.txt is not a PNG or JPEG image.' });
    const empty = await failure('inspect:image', {
      runId,
      source: { kind: 'file', name: 'e.png', bytes: new Uint8Array(0) },
    });
    expect(empty.message).toBe('e.png is empty (0 bytes).');
    const big = await failure('inspect:image', {
      runId,
      source: { kind: 'file', name: 'big.png', bytes: new Uint8Array(10 * 1024 * 1024 + 1) },
    });
    expect(big.code).toBe('invalid-input');
    expect(big.message).toMatch(/over the 10 MB limit/);
  });

  it('a run with no checkpoint (stopped before its first epoch) and an epoch never kept', async () => {
    const store = ctx.store();
    const id = store.createRun(PRESETS.quick, { name: 'stopped early' });
    store.recordEvent(id, { type: 'stopped', epochs: 0 });
    const error = await failure('inspect:image', { runId: id, source: { kind: 'test', index: 0 } });
    expect(error).toEqual({
      code: 'not-found',
      message: `Run #${id} has no best checkpoint: it ended before finishing its first epoch.`,
    });
    expect((await call('inspect:snapshots', { id })).epochs).toEqual([]);
    const epoch = await failure('inspect:kernels', { runId, checkpoint: { epoch: 1 } });
    expect(epoch.message).toMatch(/kept no checkpoint of epoch 1 .*--keep-checkpoints all/);
  });

  it('the inspector process dying fails only the request in flight; the next one starts a new process', async () => {
    const first = ctx.inspector().pid;
    expect(first).toBeGreaterThan(0);
    process.kill(first!, 'SIGKILL');
    // The client forgets a process once it has seen it exit.
    await expect.poll(() => ctx.inspector().pid, { timeout: 10_000, interval: 20 }).toBeUndefined();
    const r = await call('inspect:kernels', { runId });
    expect(r.c1.length).toBe(150);
    expect(ctx.inspector().pid).not.toBe(first);
  });

  it('--keep-checkpoints all keeps every epoch: activations follow the slider', async () => {
    const run = await call('runs:start', {
      config: { ...PRESETS.quick, trainSubset: 300, epochs: 2 },
      name: 'every epoch',
      keepCheckpoints: 'all',
    });
    expect((await ctx.runService().whenFinished(run.id)).type).toBe('completed');
    expect(await call('inspect:snapshots', { id: run.id })).toEqual({
      runId: run.id,
      epochs: [1, 2],
      checkpointEpochs: [1, 2],
    });
    const one = await call('inspect:image', {
      runId: run.id,
      checkpoint: { epoch: 1 },
      source: { kind: 'test', index: 3 },
      smoothGradSamples: 1,
    });
    const two = await call('inspect:image', {
      runId: run.id,
      checkpoint: { epoch: 2 },
      source: { kind: 'test', index: 3 },
      smoothGradSamples: 1,
    });
    expect(one.checkpoint).toEqual({ role: 'epoch', epoch: 1 });
    expect(Array.from(one.layers[0].values)).not.toEqual(Array.from(two.layers[0].values));
    // The epoch-1 kernels are the epoch-1 snapshot's (int8-quantised there).
    const kernels = await call('inspect:kernels', { runId: run.id, checkpoint: { epoch: 1 } });
    const snapshot = await call('inspect:snapshot', { runId: run.id, epoch: 1 });
    const top = Math.max(...kernels.c1.map(Math.abs));
    snapshot.c1.forEach((v, i) => expect(Math.abs(v - kernels.c1[i])).toBeLessThanOrEqual(top / 254 + 1e-6));
  });

  it('a checkpoint folder deleted from disk', async () => {
    const last = ctx
      .store()
      .getRun(runId)
      .checkpoints.find((c) => c.role === 'last')!;
    rmSync(last.path, { recursive: true, force: true });
    const error = await failure('inspect:image', { runId, checkpoint: 'last', source: { kind: 'test', index: 0 } });
    expect(error).toEqual({
      code: 'not-found',
      message: expect.stringContaining(
        `The last checkpoint of run #${runId} is missing from disk: it was looked for at ${last.path}`,
      ),
    });
    // The studio stays usable: the best checkpoint still answers.
    expect((await call('inspect:kernels', { runId, checkpoint: 'best' })).c1.length).toBe(150);
  });
});
