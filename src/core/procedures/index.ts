/**
 * Every operation's implementation, registered in one loop. Each call is validated here, once, at
 * the boundary, with the table's schema (src/shared/procedures.ts), run over the context, and
 * answered as a `Result` that never throws — for the window over IPC and for the CLI alike.
 */
import { procedures, PROCEDURE_NAMES, type ProcedureName, type ResultOf } from '../../shared/procedures';
import { type ApiError, type Result } from '../../shared/errors';
import { describeZodIssues } from '../../shared/validation';
import { toApiError } from '../errors';
import { appProcedures } from './app';
import { auditProcedures } from './audit';
import type { ProcedureContext } from './context';
import { datasetProcedures } from './dataset';
import type { Implementation } from './implementation';
import { featureProcedures } from './features';
import { inspectProcedures } from './inspect';
import { runsProcedures } from './runs';
import { sweepsProcedures } from './sweeps';

export { createContext, type ContextOptions, type ProcedureContext, type SendFn } from './context';

const implementations: { [N in ProcedureName]: Implementation<N> } = {
  ...appProcedures,
  ...datasetProcedures,
  ...runsProcedures,
  ...sweepsProcedures,
  ...inspectProcedures,
  ...auditProcedures,
  ...featureProcedures,
};

/** Validate, run, and wrap as a Result; never throws, so every caller gets an answer. */
export async function callProcedure<N extends ProcedureName>(
  ctx: ProcedureContext,
  name: N,
  args: unknown[],
): Promise<Result<ResultOf<N>>> {
  if (!Object.hasOwn(procedures, name)) return fail('unknown-procedure', `${String(name)} is not an operation`);
  if (args.length > 1) return fail('invalid-input', `${name}: expected at most one argument, got ${args.length}`);
  const parsed = procedures[name].input.safeParse(args[0]);
  if (!parsed.success) return fail('invalid-input', `${name}: ${describeZodIssues(parsed.error).join('; ')}`);
  try {
    const implementation = implementations[name] as Implementation<N>;
    return { ok: true, data: await implementation(parsed.data as never, ctx) };
  } catch (err) {
    return { ok: false, error: toApiError(name, err) };
  }
}

/** The slice of Electron's `ipcMain` we use, and the calling frame's URL from its event. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}
export interface IpcInvokeEvent {
  senderFrame?: { url: string } | null;
}

/**
 * One IPC handler per operation. `allowSender` decides from the calling frame's URL: only the app's
 * own page may call main (a frame that somehow navigated elsewhere is refused).
 */
export function registerProcedures(
  ipcMain: IpcMainLike,
  ctx: ProcedureContext,
  allowSender: (url: string) => boolean = () => true,
): ProcedureName[] {
  for (const name of PROCEDURE_NAMES) {
    ipcMain.handle(name, async (event, ...args) => {
      const url = event?.senderFrame?.url ?? '';
      if (!allowSender(url)) return fail('forbidden', `${name}: refused a call from ${url || 'an unknown frame'}`);
      return callProcedure(ctx, name, args);
    });
  }
  return PROCEDURE_NAMES;
}

function fail(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}
