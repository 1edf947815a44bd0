/**
 * The label audit's operations: read from the store (the margins were recorded by the trainer);
 * the ranking is an O(n) scan of one row, fast enough for main (benchmark: `npm run bench -- audit`).
 * The gallery's images come from the training file the run trained on, checked by its hashes.
 */
import type { Implementations } from './implementation';

export const auditProcedures = {
  'audit:list': (query, ctx) => ctx.store().audit(query),
  'audit:mark': (input, ctx) => {
    ctx.store().markImage(input);
    return { imageIndex: input.imageIndex };
  },
  'audit:runs': (_input, ctx) => ctx.store().auditableRuns(),
  'audit:images': async ({ runId, indices }, ctx) => {
    const { dataset } = ctx.store().getRun(runId);
    if (!dataset) return { images: null, note: `Run ${runId} has no recorded dataset: its images cannot be shown.` };
    const { samples, note } = await ctx.dataset.trainImagesOf(dataset, indices);
    return { images: samples?.images ?? null, note };
  },
} satisfies Implementations<'audit'>;
