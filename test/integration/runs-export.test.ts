/**
 * `runs:export` through main's real procedure and context: the save dialog is asked first, a
 * cancel writes nothing, and a chosen path gets the runs as JSON or their metrics as CSV.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../tools/fixtures/synthetic-runs';
import { callProcedure, createContext, type ProcedureContext } from '../../src/core/procedures';

describe('exporting runs from the app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lenet-export-'));
  let answer: string | null = null;
  const asked: string[] = [];
  let ctx: ProcedureContext;
  let ids: number[];

  /** The procedure's data, as the window receives it. */
  async function exportRuns(input: { ids: number[]; format: 'json' | 'csv' }) {
    const result = await callProcedure(ctx, 'runs:export', [input]);
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  }

  beforeAll(async () => {
    ctx = createContext({
      userDataDir: dir,
      appVersion: 'test',
      send: () => {},
      chooseSavePath: async (suggested) => {
        asked.push(suggested);
        return answer;
      },
    });
    ids = [seedRun(ctx.store(), { name: 'one', epochs: 3 }), seedRun(ctx.store(), { name: 'two', epochs: 2 })];
  });
  afterAll(async () => {
    await ctx.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    answer = null;
    expect(await exportRuns({ ids, format: 'json' })).toBeNull();
    expect(asked).toEqual([`lenet5-runs-${ids.join('-')}.json`]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'settings.json')).toEqual([]);
  });

  it('saves the runs as JSON and their metrics as CSV where the user chose', async () => {
    answer = join(dir, 'runs.json');
    const json = await exportRuns({ ids, format: 'json' });
    expect(json).toMatchObject({ path: answer });
    const doc = JSON.parse(readFileSync(answer, 'utf8')) as { runs: { name: string }[] };
    expect(doc.runs.map((r) => r.name)).toEqual(['one', 'two']);
    expect(json!.bytes).toBe(readFileSync(answer).length);

    answer = join(dir, 'metrics.csv');
    await exportRuns({ ids, format: 'csv' });
    const lines = readFileSync(answer, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^run_id,run_name,epoch,/);
    expect(lines).toHaveLength(1 + 3 + 2);
    expect(existsSync(join(dir, 'runs.json'))).toBe(true);
  });
});
