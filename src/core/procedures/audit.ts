/**
 * The label audit's operations: read from the store (the margins were recorded by the trainer);
 * the ranking is an O(n) scan of one row, fast enough for main (benchmark: `npm run bench -- audit`).
 * The gallery's images come from the training file the run trained on, checked by its hashes.
 */
import { StudioError } from '../errors';
import type { Implementations } from './implementation';
import { locateCheckpoint } from './inspect';

export const auditProcedures = {
  'audit:list': (query, ctx) => ctx.store().audit(query),
  'audit:mark': (input, ctx) => {
    ctx.store().markImage(input);
    return { imageIndex: input.imageIndex };
  },
  'audit:runs': (_input, ctx) => ctx.store().auditableRuns(),
  'audit:compute-margins': async ({ runId }, ctx) => {
    const before = ctx.store().audit({ runId });
    if (before.state !== 'not-recorded')
      throw new StudioError(
        'conflict',
        before.state === 'ready'
          ? `Run ${runId} already has margins (${before.source === 'training' ? 'recorded by its trainer over its epochs' : 'computed from its checkpoint'}); they are kept.`
          : before.message,
      );
    const { run, dir } = locateCheckpoint(ctx, runId, 'last');
    if (run.status === 'running' || run.status === 'queued')
      throw new StudioError('busy', `Run ${runId} is still training: its margins are recorded as it goes.`);
    if (!run.dataset)
      throw new StudioError('not-found', `Run ${runId} has no recorded dataset: its training images are unknown.`);
    const margins = await ctx.inspector().request(
      {
        type: 'margins',
        checkpointDir: dir,
        model: run.config.model,
        config: run.config,
        leftOut: ctx.store().leftOutOf(runId)?.indices ?? [],
        trainFiles: run.dataset.sha256,
        // The folder in use first (where main finds the dataset), then the one the run trained on.
        locations: [ctx.dataset.locationOptions(), { dataDir: run.dataset.dir }],
      },
      { onProgress: (progress) => ctx.options.send('audit:progress', { runId, ...progress }) },
    );
    ctx.store().recordCheckpointMargins(runId, margins);
    return ctx.store().audit({ runId });
  },
  'audit:images': async ({ runId, indices }, ctx) => {
    const { dataset } = ctx.store().getRun(runId);
    if (!dataset) return { images: null, note: `Run ${runId} has no recorded dataset: its images cannot be shown.` };
    const { samples, note } = await ctx.dataset.trainImagesOf(dataset, indices);
    return { images: samples?.images ?? null, note };
  },
} satisfies Implementations<'audit'>;
