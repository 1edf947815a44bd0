/**
 * The CLI's view of the studio: the same procedure context the window has (core/procedures), over
 * the database a command names. The database's folder plays the app's data folder: settings and
 * the backend-choice cache live beside it.
 */
import { dirname } from 'node:path';
import { createContext, type ContextOptions, type ProcedureContext } from '../core/procedures';

/**
 * The context for `command` on `dbPath`, or null (after printing why, prefixed with the command's
 * name) when the database cannot be opened.
 */
export async function openCliContext(
  command: string,
  dbPath: string,
  options: Partial<ContextOptions> = {},
): Promise<ProcedureContext | null> {
  const ctx = createContext({
    userDataDir: dirname(dbPath),
    dbPath,
    appVersion: 'cli',
    send: () => {},
    log: (m) => process.stderr.write(`warning: ${m}\n`),
    ...options,
  });
  if (!ctx.dbError) return ctx;
  process.stderr.write(`${command}: ${ctx.dbError}\n`);
  await ctx.dispose();
  return null;
}
