/**
 * The feature map and nearest neighbours end to end below the window: a real quick run, then the
 * `features:*` procedures through createContext + callProcedure, answered by a real inspector
 * process reading the real FashionMNIST. Expected values come from elsewhere: the trainer's own
 * stored predictions, the dataset's labels, and a training image finding itself.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureContext } from '../../src/core/procedures';
import { pngOf, procedureCalls, studioWithRun } from '../support/procedure-calls';
import { loadFashionMnist } from '../../src/core/dataset';
import { PRESETS } from '../../src/shared/hyperparams';
import type { FeatureMapProgress } from '../../src/shared/features';
import { UMAP_EPOCHS } from '../../src/core/features';

let dir: string;
let ctx: ProcedureContext;
let runId = 0;
/** The `features:progress` events main sent to the window. */
const progress: FeatureMapProgress[] = [];

const { call, failure } = procedureCalls(() => ctx);

beforeAll(async () => {
  ({ dir, ctx, runId } = await studioWithRun(
    'lenet-features-',
    { config: { ...PRESETS.quick, trainSubset: 600, epochs: 1 }, name: 'features' },
    { send: (event, payload) => void (event === 'features:progress' && progress.push(payload as FeatureMapProgress)) },
  ));
});
afterAll(async () => {
  await ctx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('feature map', () => {
  it('projects the 10,000 test images with the trainer’s predictions and the true labels, then answers from the cache', async () => {
    const map = await call('features:map', { runId, layer: 'F6', method: 'pca' });
    expect(map.checkpoint).toEqual({ role: 'best', epoch: 1 });
    expect(map.coords.length).toBe(20_000);
    expect(map.cached).toBe(false);
    const data = await loadFashionMnist({ allowDownload: false });
    expect(map.labels).toEqual(data.test.labels);
    const stored = ctx.store().predictions({ runId, role: 'best', limit: 50, offset: 0 });
    for (const row of stored.rows) expect(map.predicted[row.index]).toBe(row.predictedClass);
    expect(map.explained[0]).toBeGreaterThanOrEqual(map.explained[1]);
    expect(map.explained[1]).toBeGreaterThan(0);
    expect(map.explained[0] + map.explained[1]).toBeLessThanOrEqual(1);

    const again = await call('features:map', { runId, layer: 'F6', method: 'pca' });
    expect(again.cached).toBe(true);
    expect(again.coords).toEqual(map.coords);
    expect(again.predicted).toEqual(map.predicted);
  });

  it('UMAP: a map of every test image, with the inspector’s progress sent to the window up to the last layout epoch', async () => {
    progress.length = 0;
    const map = await call('features:map', { runId, layer: 'F6', method: 'umap', checkpoint: 'last' });
    expect(map.method).toBe('umap');
    expect(map.coords.length).toBe(20_000);
    expect(map.coords.every(Number.isFinite)).toBe(true);
    // Spread over the plane, not collapsed on a point.
    const xs = map.coords.filter((_, i) => i % 2 === 0);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(1);
    // Every event names the request as the window made it.
    expect(progress.length).toBeGreaterThan(5);
    for (const p of progress) expect(p).toMatchObject({ runId, checkpoint: 'last', layer: 'F6', method: 'umap' });
    const stages = progress.map((p) => p.stage);
    expect(stages).toContain('nearest neighbours');
    expect(stages).toContain(`layout epoch 10/${UMAP_EPOCHS}`);
    expect(stages).toContain(`layout epoch ${UMAP_EPOCHS}/${UMAP_EPOCHS}`);
    const shares = progress.map((p) => p.share);
    expect(shares.every((s, i) => i === 0 || s >= shares[i - 1])).toBe(true);
    expect(shares.at(-1)).toBe(1);
    // From the cache: no computing, no progress.
    progress.length = 0;
    expect((await call('features:map', { runId, layer: 'F6', method: 'umap', checkpoint: 'last' })).cached).toBe(true);
    expect(progress).toEqual([]);
  });

  it('a corrupt cache file is recomputed, not trusted', async () => {
    const first = await call('features:map', { runId, layer: 'C5', method: 'pca' });
    const run = ctx.store().getRun(runId);
    const file = join(run.checkpoints.find((c) => c.role === 'best')!.path, 'feature-map-C5-pca.bin');
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const second = await call('features:map', { runId, layer: 'C5', method: 'pca' });
    expect(second.cached).toBe(false);
    expect(second.coords).toEqual(first.coords);
    expect((await call('features:map', { runId, layer: 'C5', method: 'pca' })).cached).toBe(true);
  });

  it('bad input and a run without a checkpoint are named', async () => {
    expect((await failure('features:map', { runId, layer: 'C3' })).message).toMatch(/layer: must be one of C5, F6/);
    expect((await failure('features:map', { runId, method: 'tsne' })).message).toMatch(
      /method: must be one of pca, umap/,
    );
    const id = ctx.store().createRun(PRESETS.quick, { name: 'stopped early' });
    ctx.store().recordEvent(id, { type: 'stopped', epochs: 0 });
    expect(await failure('features:map', { runId: id })).toEqual({
      code: 'not-found',
      message: `Run #${id} has no best checkpoint: it ended before finishing its first epoch.`,
    });
    expect((await failure('features:neighbours', { runId: id, source: { kind: 'test', index: 0 } })).code).toBe(
      'not-found',
    );
  });
});

describe('nearest neighbours', () => {
  it('a training image given as a file finds itself first, with the dataset’s labels', async () => {
    const data = await loadFashionMnist({ allowDownload: false });
    const index = 12_345;
    const pixels = data.train.images.slice(index * 784, (index + 1) * 784);
    const r = await call('features:neighbours', {
      runId,
      layer: 'C5',
      source: { kind: 'file', name: 'train.png', bytes: pngOf(pixels) },
    });
    expect(r.metric).toBe('cosine');
    expect(r.neighbours).toHaveLength(8);
    expect(r.neighbours[0].index).toBe(index);
    expect(r.neighbours[0].similarity).toBeCloseTo(1, 5);
    expect(r.neighbours[0].pixels).toEqual(pixels);
    for (const n of r.neighbours) expect(n.label).toBe(data.train.labels[n.index]);
    const sims = r.neighbours.map((n) => n.similarity);
    expect(sims).toEqual([...sims].sort((a, b) => b - a));
    expect(r.trueClass).toBeNull();
    expect(r.summary).toMatch(/^LeNet5 thinks this .+ looks like .+\.$/);
  });

  it('a test image: its true class and as many neighbours as asked', async () => {
    const r = await call('features:neighbours', { runId, source: { kind: 'test', index: 7 }, count: 3 });
    const data = await loadFashionMnist({ allowDownload: false });
    expect(r.trueClass).toBe(data.test.labels[7]);
    expect(r.neighbours).toHaveLength(3);
    expect(r.layer).toBe('F6');
    expect((await failure('features:neighbours', { runId, source: { kind: 'test', index: 0 }, count: 0 })).code).toBe(
      'invalid-input',
    );
  });
});
