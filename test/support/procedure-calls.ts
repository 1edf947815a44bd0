/** Calling procedures in tests as the window does (validated, answered as a Result), and a user's PNG. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { callProcedure, createContext, type ContextOptions, type ProcedureContext } from '../../src/core/procedures';
import type { ProcedureName, ResultOf } from '../../src/shared/procedures';

/** `call` answers the data or throws with the error's code; `failure` answers the error or throws. */
export function procedureCalls(context: () => ProcedureContext) {
  return {
    async call<N extends ProcedureName>(name: N, input: unknown): Promise<ResultOf<N>> {
      const r = await callProcedure(context(), name, [input]);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.data;
    },
    async failure(name: ProcedureName, input: unknown): Promise<{ code: string; message: string }> {
      const r = await callProcedure(context(), name, [input]);
      if (r.ok) throw new Error(`${name} succeeded`);
      return r.error;
    },
  };
}

/** A 28×28 greyscale image as a PNG file, the way a user would save one. */
export function pngOf(pixels: Uint8Array): Uint8Array {
  const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0 });
  for (let i = 0; i < 784; i++) png.data.set([pixels[i], pixels[i], pixels[i], 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * A studio on a fresh folder (the wasm backend) with one run started as the window starts one and
 * trained to completion by a real trainer. The caller disposes `ctx` and removes `dir`.
 */
export async function studioWithRun(
  prefix: string,
  start: { config: unknown; name: string },
  hooks: Partial<Pick<ContextOptions, 'send' | 'log'>> = {},
): Promise<{ dir: string; ctx: ProcedureContext; runId: number }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { send = () => {}, log = () => {} } = hooks;
  const ctx = createContext({ userDataDir: dir, appVersion: 'test', send, backend: 'wasm', log });
  const { call } = procedureCalls(() => ctx);
  const run = await call('runs:start', start);
  const end = await ctx.runService().whenFinished(run.id);
  if (end.type !== 'completed') throw new Error(`the run ended ${end.type}, not completed`);
  return { dir, ctx, runId: run.id };
}
