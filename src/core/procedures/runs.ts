/** Runs: starting and stopping them, and every question the window asks the store about them. */
import { StudioError } from '../errors';
import { studioOwnedPlaces, userDataFiles } from '../paths';
import { saveUserFile } from '../save-file';
import { buildReport } from '../report';
import type { ProcedureContext } from './context';
import type { Implementations } from './implementation';
import type { RunService } from '../runs';

/**
 * The run service, once the chosen dataset folder is known to be usable: a run that could not
 * train on it is refused (naming the file) before anything is recorded, never queued to fail.
 */
async function serviceWithUsableData(ctx: ProcedureContext): Promise<RunService> {
  const service = ctx.runService();
  await ctx.dataset.checkChosenFolder();
  return service;
}

/** Where the user wants `suggested` saved (a dialog in the app, --out in the CLI); null when cancelled. */
async function chooseSavePath(ctx: ProcedureContext, suggested: string): Promise<string | null> {
  const choose = ctx.options.chooseSavePath;
  if (!choose) throw new StudioError('unavailable', 'Saving files is not available here.');
  return (await choose(suggested)) ?? null;
}

/** The studio's own files, which a save never overwrites. */
const ownedPlaces = (ctx: ProcedureContext) => studioOwnedPlaces(ctx.layout, userDataFiles(ctx.options.userDataDir));

export const runsProcedures = {
  'runs:list': (query, ctx) => ctx.store().listRuns(query),
  'runs:get': ({ id }, ctx) => ctx.store().getRun(id),
  'runs:machine-speed': (_input, ctx) => ctx.store().machineSpeed(),
  'runs:start': async (request, ctx) => (await serviceWithUsableData(ctx)).start(request),
  'runs:find-lr': async (request, ctx) => (await serviceWithUsableData(ctx)).findLearningRate(request),
  'runs:lr-range': ({ id }, ctx) => ctx.store().lrRange(id),
  'runs:stop': ({ id }, ctx) => ctx.runService().stop(id),
  'runs:resume': async ({ id }, ctx) => (await serviceWithUsableData(ctx)).resume(id),
  'runs:extend': async ({ id, epochs }, ctx) => (await serviceWithUsableData(ctx)).resume(id, epochs),
  // The store itself refuses edits to a read-only database, naming the file.
  'runs:update': ({ id, patch }, ctx) => ctx.store().updateRun(id, patch),
  'runs:delete': ({ id }, ctx) => {
    if (ctx.runService().isActive(id))
      throw new StudioError('conflict', `Run #${id} is still training: stop it first.`);
    return ctx.store().deleteRun(id);
  },
  'runs:values': (query, ctx) => ctx.store().runValues(query),
  'runs:compare': ({ ids }, ctx) => ctx.store().compareRuns(ids),
  'runs:confusion': ({ runId, role }, ctx) => ctx.store().confusion(runId, role),
  'runs:confusion-diff': (pair, ctx) => ctx.store().confusionDiff(pair),
  'runs:predictions': (query, ctx) => ctx.store().predictions(query),
  'runs:disagreements': (pair, ctx) => ctx.store().disagreements(pair),
  'runs:report': async ({ ids }, ctx) => {
    const path = await chooseSavePath(ctx, `lenet5-report-${ids.join('-').slice(0, 60)}.html`);
    if (!path) return null;
    const html = await buildReport(ctx.store(), ids, (indices) => ctx.dataset.testImages(indices));
    await saveUserFile(path, html, ownedPlaces(ctx));
    return { path, bytes: Buffer.byteLength(html), runs: ids.length };
  },
  'runs:export': async ({ ids, format, value }, ctx) => {
    const store = ctx.store();
    // Ask first: a cancelled dialog should not have serialised up to 1,000 runs for nothing.
    const path = await chooseSavePath(
      ctx,
      `lenet5-runs-${ids === 'all' ? 'all' : ids.join('-').slice(0, 60)}.${format}`,
    );
    if (!path) return null;
    const { text, runs, skipped } = store.exportRuns(ids, format, value);
    await saveUserFile(path, text, ownedPlaces(ctx));
    return { path, bytes: Buffer.byteLength(text), runs, skipped };
  },
} satisfies Implementations<'runs'>;
