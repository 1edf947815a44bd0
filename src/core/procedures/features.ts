/**
 * The feature map and nearest neighbours: computed in the inspector process (which reads the
 * dataset itself, from where main's dataset service would find it), never here.
 */
import { neighbourSummary, NEIGHBOUR_METRIC } from '../../shared/features';
import { inspectorImage, locateCheckpoint } from './inspect';
import type { Implementations } from './implementation';

export const featureProcedures = {
  'features:map': async ({ runId, checkpoint, layer, method }, ctx) => {
    const { run, dir, used } = locateCheckpoint(ctx, runId, checkpoint);
    const answer = await ctx.inspector().request(
      {
        type: 'feature-map',
        checkpointDir: dir,
        model: run.config.model,
        layer,
        method,
        dataset: ctx.dataset.locationOptions(),
      },
      // Named by the request as the window made it, so the page can tell its map's progress.
      {
        onProgress: (progress) =>
          ctx.options.send('features:progress', { runId, checkpoint, layer, method, ...progress }),
      },
    );
    return { ...answer, checkpoint: used };
  },
  'features:neighbours': async ({ runId, checkpoint, layer, source, count }, ctx) => {
    const { run, dir, used } = locateCheckpoint(ctx, runId, checkpoint);
    const { image, trueClass } = await inspectorImage(ctx, source);
    const answer = await ctx.inspector().request({
      type: 'neighbours',
      checkpointDir: dir,
      model: run.config.model,
      layer,
      image,
      count,
      dataset: ctx.dataset.locationOptions(),
    });
    return {
      ...answer,
      checkpoint: used,
      layer,
      metric: NEIGHBOUR_METRIC,
      trueClass,
      summary: neighbourSummary(
        answer.predicted,
        answer.neighbours.map((n) => n.label),
      ),
    };
  },
} satisfies Implementations<'features'>;
