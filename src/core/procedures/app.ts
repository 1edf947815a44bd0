/** The status bar's view of the machine. */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defaultParallelTrainers } from '../settings';
import { DEFAULT_THREADS, probeBackend } from '../trainer';
import type { Implementations } from './implementation';

// Not named `require`: electron-vite's ESM output declares its own `require` shim in any chunk
// that calls one, and a second declaration is a SyntaxError that stops main before a window opens.
const resolveFromMain = createRequire(import.meta.url);

/** The tfjs version from its package.json: main never loads tfjs itself (the trainer does). */
function tfjsVersion(): string {
  return (resolveFromMain('@tensorflow/tfjs/package.json') as { version: string }).version;
}

export const appProcedures = {
  'app:info': async (_input, ctx) => {
    const [backend, location] = await Promise.all([probeBackend(), ctx.dataset.location()]);
    return {
      appVersion: ctx.options.appVersion,
      backend,
      tfjsVersion: tfjsVersion(),
      dataset: location,
      dbPath: ctx.layout.dbPath,
      dbError: ctx.dbError,
      // Without a database (dbError says why) nothing is read-only.
      dbReadOnly: ctx.dbError === null && ctx.store().readonly,
      platform: `${process.platform}-${process.arch}`,
    };
  },
  'app:parallel-trainers': (input, ctx) => {
    if (input) ctx.settings.update({ parallelTrainers: input.parallel });
    const fallback = defaultParallelTrainers();
    return {
      parallel: ctx.settings.get().parallelTrainers ?? fallback,
      cores: availableParallelism(),
      default: fallback,
    };
  },
  'app:max-threads': (input, ctx) => {
    if (input) ctx.settings.update({ maxThreads: input.threads });
    return {
      threads: ctx.settings.get().maxThreads ?? DEFAULT_THREADS,
      cores: availableParallelism(),
      default: DEFAULT_THREADS,
    };
  },
} satisfies Implementations<'app'>;
