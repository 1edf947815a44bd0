/**
 * `npm run train -- --find-lr` on the seed network and the real FashionMNIST: the range test is
 * a run of its own kind in the studio database, hidden from the default runs list, and its
 * suggestion lands near the learning rate the sweeps tuned the seed network to at batch 32 without
 * label smoothing (0.006: sweeps/presets.sh, issue 11; the preset has since moved to batch 8, where
 * the steepest-descent rule reads ~0.018 against the 0.005 chosen on validation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store';
import { runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'lenet-find-lr-'));
const db = join(dir, 'studio.db');

describe('npm run train -- --find-lr', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('suggests a learning rate within a factor of 3 of the tuned one, and stores the test apart from runs', () => {
    // The modest budget: 300 batches of 32 (about 6 s on wasm, one thread).
    const r = runCli([
      ...['train', '--preset', 'seed', '--batch-size', '32', '--label-smoothing', '0'],
      ...['--find-lr', '--db', db, '--backend', 'wasm'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const suggestion = Number(/Suggested learning rate: ([\d.e-]+)/.exec(r.stdout)?.[1]);
    const tuned = 0.006;
    expect(suggestion).toBeGreaterThan(tuned / 3);
    expect(suggestion).toBeLessThan(tuned * 3);
    expect(r.stdout).toContain('rule: steepest descent');
    expect(r.stdout).toContain('(learning rate, log scale; | = suggestion)');

    const store = openStore(db);
    try {
      expect(store.listRuns({}).total).toBe(0);
      const { rows } = store.listRuns({ kind: 'lr-range-test' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'lr-range-test', status: 'completed', endReason: 'range-test' });
      const detail = store.lrRange(rows[0]!.id);
      expect(detail.learningRate).toBeCloseTo(suggestion, 1);
      // Learning rates rise exponentially from the first point.
      expect(detail.points[0]!.learningRate).toBeCloseTo(1e-6, 12);
      expect(detail.points.every((p, i) => i === 0 || p.learningRate > detail.points[i - 1]!.learningRate)).toBe(true);
      // At lr 1 Adam diverges on this network: the test ends early, well before its 300 batches.
      expect(detail.stopReason).toBe('diverged');
      expect(detail.points.length).toBeLessThan(300);
      expect(r.stdout).toMatch(/stopped early: the loss diverged/);
    } finally {
      store.close();
    }
  });

  it('refuses a bad range, naming the flag, and records nothing', () => {
    const refused = join(dir, 'refused.db');
    const low = runCli(['train', '--find-lr', '--lr-min', '0.1', '--lr-max', '0.01', '--db', refused]);
    expect(low.status).toBe(2);
    expect(low.stderr).toContain('--lr-min (0.1) must be below --lr-max (0.01)');
    const steps = runCli(['train', '--find-lr', '--lr-steps', '5', '--db', refused]);
    expect(steps.status).toBe(2);
    expect(steps.stderr).toContain('--lr-steps: must be at least 20 batches');
  });
});
