/**
 * "Compute from the checkpoint" for a run recorded before trainers kept margins: a real quick run
 * whose stored margins are then deleted (as an older run has none), `audit:compute-margins`
 * through the procedures and the real inspector process, and the audit it gives. Expected margins
 * come from the checkpoint run here in the test process with tfjs, read back as logits and the
 * margin taken in plain arithmetic; the images covered from the trainer's own margins (deleted).
 */
import * as tf from '@tensorflow/tfjs';
import Database from 'better-sqlite3';
import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureContext } from '../../src/core/procedures';
import { loadFashionMnist } from '../../src/core/dataset';
import { loadCheckpoint } from '../../src/core/engine';
import { PRESETS } from '../../src/shared/hyperparams';
import type { AuditProgress } from '../../src/shared/audit';
import { procedureCalls, studioWithRun } from '../support/procedure-calls';

let dir: string;
let ctx: ProcedureContext;
let runId = 0;
const progress: AuditProgress[] = [];
const { call, failure } = procedureCalls(() => ctx);

/** Delete the run's stored margins, as a run recorded before they were kept has none. */
function forgetMargins(): void {
  const db = new Database(ctx.layout.dbPath);
  try {
    db.prepare('DELETE FROM run_margins WHERE run_id = ?').run(runId);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, ctx, runId } = await studioWithRun(
    'lenet-audit-ckpt-',
    { config: { ...PRESETS.quick, trainSubset: 1200, epochs: 1 }, name: 'recorded before margins' },
    { send: (event, payload) => void (event === 'audit:progress' && progress.push(payload as AuditProgress)) },
  ));
});
afterAll(async () => {
  await ctx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('margins computed from the last checkpoint', () => {
  let trainerCovered = 0;

  it('a run whose trainer recorded margins keeps them: computing from the checkpoint is refused', async () => {
    const audit = await call('audit:list', { runId });
    expect(audit).toMatchObject({ state: 'ready', source: 'training' });
    trainerCovered = audit.covered;
    const refused = await failure('audit:compute-margins', { runId });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/already has margins \(recorded by its trainer over its epochs\)/);
  });

  it('an older run: the audit offers it; the final network’s margins over the images it trained on are stored and ranked, and the audit says what they are', async () => {
    forgetMargins();
    const before = await call('audit:list', { runId });
    expect(before.state).toBe('not-recorded');
    expect(before.message).toMatch(/Compute its final network's margins from its last checkpoint/);

    progress.length = 0;
    const audit = await call('audit:compute-margins', { runId });
    expect(audit).toMatchObject({ state: 'ready', source: 'checkpoint', epochs: 1 });
    // The same images as the trainer's own margins covered (its split, its subset).
    expect(audit.covered).toBe(trainerCovered);
    expect(audit.message).toMatch(/ranks by the final network's margin only, not by an area under the margin/);
    expect(progress.at(-1)).toEqual({
      runId,
      share: 1,
      stage: `margins of ${trainerCovered.toLocaleString('en-US')} of ${trainerCovered.toLocaleString('en-US')} training images`,
    });

    // The margins against the checkpoint run here: logits read back, margin by plain arithmetic.
    const run = ctx.store().getRun(runId);
    const model = await loadCheckpoint(run.checkpoints.find((c) => c.role === 'last')!.path);
    const { train } = await loadFashionMnist({ allowDownload: false });
    const checked = audit.entries.slice(0, 20);
    expect(checked.length).toBe(20);
    const x = tf.tensor4d(
      Float32Array.from(
        checked.flatMap((e) => Array.from(train.images.subarray(e.index * 784, (e.index + 1) * 784), (v) => v / 255)),
      ),
      [checked.length, 28, 28, 1],
    );
    const logits = (model.predict(x) as tf.Tensor2D).arraySync();
    checked.forEach((entry, k) => {
      const given = train.labels[entry.index];
      expect(entry.given).toBe(given);
      let best = -Infinity;
      let believed = -1;
      logits[k].forEach((v, c) => c !== given && v > best && ([best, believed] = [v, c]));
      expect(Math.abs(entry.aum - (logits[k][given] - best))).toBeLessThan(1e-4);
      expect(entry.believed).toBe(believed);
    });
    // Ranked: the most disputed first.
    expect(checked.every((e, i) => i === 0 || e.aum >= checked[i - 1].aum)).toBe(true);

    // Done once: asked again, it is refused and what is stored stays.
    const again = await failure('audit:compute-margins', { runId });
    expect(again.code).toBe('conflict');
    expect((await call('audit:list', { runId })).entries.slice(0, 20)).toEqual(audit.entries.slice(0, 20));
  });

  it('a missing or unreadable checkpoint: a clear error, nothing stored, the audit still offers it', async () => {
    forgetMargins();
    const last = ctx
      .store()
      .getRun(runId)
      .checkpoints.find((c) => c.role === 'last')!.path;
    renameSync(last, `${last}.away`);
    try {
      const missing = await failure('audit:compute-margins', { runId });
      expect(missing.code).toBe('not-found');
      expect(missing.message).toMatch(/last checkpoint of run #\d+ is missing from disk/);
    } finally {
      renameSync(`${last}.away`, last);
    }
    const weights = join(last, 'weights.bin');
    const saved = `${weights}.saved`;
    renameSync(weights, saved);
    try {
      writeFileSync(weights, Buffer.from('not weights'));
      // A rewritten checkpoint (the inspector reloads a checkpoint whose model.json changed).
      const modelJson = join(last, 'model.json');
      utimesSync(modelJson, new Date(), new Date(Date.now() + 60_000));
      const unreadable = await failure('audit:compute-margins', { runId });
      expect(unreadable.code).toBe('io');
      expect(unreadable.message).toMatch(/could not be loaded/);
    } finally {
      renameSync(saved, weights);
    }
    expect((await call('audit:list', { runId })).state).toBe('not-recorded');
  });
});
