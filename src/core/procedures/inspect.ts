/**
 * The inspector's operations: what an image does inside a run's checkpoint (computed in the
 * inspector process, never here), the checkpoint's kernels, predictions for files, and the
 * per-epoch snapshots the epoch slider scrubs (read from the store).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { epochCheckpointDir, type CheckpointRef, type CheckpointUsed, type ImageSource } from '../../shared/inspect';
import type { InspectorImage } from '../inspector';
import type { RunDetail } from '../../shared/runs';
import { StudioError } from '../errors';
import { runCheckpointDir } from '../paths';
import type { ProcedureContext } from './context';
import type { Implementations } from './implementation';

interface Located {
  run: RunDetail;
  dir: string;
  used: CheckpointUsed;
}

/** The folder of the checkpoint asked for, or an error that says why there is none. */
export function locateCheckpoint(ctx: ProcedureContext, runId: number, ref: CheckpointRef): Located {
  const run = ctx.store().getRun(runId);
  let dir: string;
  let used: CheckpointUsed;
  if (typeof ref === 'string') {
    const saved = run.checkpoints.find((c) => c.role === ref);
    if (!saved) {
      const why =
        run.status === 'running' || run.status === 'queued'
          ? 'it has not finished its first epoch yet'
          : 'it ended before finishing its first epoch';
      throw new StudioError('not-found', `Run #${runId} has no ${ref} checkpoint: ${why}.`);
    }
    dir = saved.path;
    used = { role: ref, epoch: saved.epoch };
  } else {
    dir = path.join(runCheckpointDir(ctx.layout.checkpointRoot, runId), epochCheckpointDir(ref.epoch));
    used = { role: 'epoch', epoch: ref.epoch };
    if (!existsSync(dir))
      throw new StudioError(
        'not-found',
        `Run #${runId} kept no checkpoint of epoch ${ref.epoch} (only best and last are kept unless the run was started with --keep-checkpoints all).`,
      );
  }
  if (!existsSync(dir))
    throw new StudioError(
      'not-found',
      `The ${used.role === 'epoch' ? `epoch ${used.epoch}` : used.role} checkpoint of run #${runId} is missing from disk: it was looked for at ${dir} (deleted, or moved out of the studio folder ${path.dirname(ctx.layout.dbPath)}).`,
    );
  return { run, dir, used };
}

/** Epochs whose own checkpoint is on disk (`--keep-checkpoints all`). */
function checkpointEpochs(ctx: ProcedureContext, runId: number): number[] {
  const root = runCheckpointDir(ctx.layout.checkpointRoot, runId);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .map((n) => /^epoch-(\d+)$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** What the inspector process gets for an image source: a test image's pixels (main has the dataset) or the file. */
export async function inspectorImage(
  ctx: ProcedureContext,
  source: ImageSource,
): Promise<{ image: InspectorImage; trueClass: number | null }> {
  if (source.kind === 'file') return { image: source, trueClass: null };
  const samples = await ctx.dataset.testImages([source.index]);
  return { image: { kind: 'pixels', pixels: samples.images }, trueClass: samples.labels[0] ?? null };
}

export const inspectProcedures = {
  'inspect:image': async ({ runId, checkpoint, source, targetClass, smoothGradSamples }, ctx) => {
    const { run, dir, used } = locateCheckpoint(ctx, runId, checkpoint);
    const { image, trueClass } = await inspectorImage(ctx, source);
    const answer = await ctx.inspector().request({
      type: 'image',
      checkpointDir: dir,
      model: run.config.model,
      image,
      targetClass,
      smoothGradSamples,
    });
    return { ...answer, checkpoint: used, trueClass, smoothGradSamples };
  },
  'inspect:kernels': async ({ runId, checkpoint }, ctx) => {
    const { run, dir, used } = locateCheckpoint(ctx, runId, checkpoint);
    const kernels = await ctx.inspector().request({ type: 'kernels', checkpointDir: dir, model: run.config.model });
    return { ...kernels, checkpoint: used };
  },
  'inspect:predict': async ({ runId, checkpoint, files }, ctx) => {
    const { run, dir, used } = locateCheckpoint(ctx, runId, checkpoint);
    const results = await ctx
      .inspector()
      .request({ type: 'predict', checkpointDir: dir, model: run.config.model, files });
    return { checkpoint: used, results };
  },
  'inspect:snapshots': ({ runId }, ctx) => ({
    runId,
    epochs: ctx.store().snapshotEpochs(runId),
    checkpointEpochs: checkpointEpochs(ctx, runId),
  }),
  'inspect:snapshot': (query, ctx) => ctx.store().epochSnapshot(query),
  'inspect:trajectory': (query, ctx) => ctx.store().imageTrajectory(query),
} satisfies Implementations<'inspect'>;
