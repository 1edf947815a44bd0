/** Sweeps: preview (run count, estimated time), start, list, read and stop them as a whole. */
import { defaultParallelTrainers } from '../settings';
import { previewSweep, startSweep, stopSweep } from '../runs';
import type { Implementations } from './implementation';
import type { ProcedureContext } from './context';

const parallelSetting = (ctx: ProcedureContext): number =>
  ctx.settings.get().parallelTrainers ?? defaultParallelTrainers();

export const sweepsProcedures = {
  'sweeps:preview': ({ definition }, ctx) => previewSweep(ctx.store(), definition, parallelSetting(ctx)),
  'sweeps:start': (request, ctx) => startSweep(ctx.store(), ctx.runService(), request, parallelSetting(ctx)),
  'sweeps:list': (_input, ctx) => ctx.store().listSweeps(),
  'sweeps:get': ({ id }, ctx) => ctx.store().getSweep(id),
  'sweeps:stop': ({ id }, ctx) => stopSweep(ctx.store(), ctx.runService(), id),
} satisfies Implementations<'sweeps'>;
