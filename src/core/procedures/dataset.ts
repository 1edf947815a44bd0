/** Where FashionMNIST is, what it holds, and getting it. */
import type { Implementations } from './implementation';

export const datasetProcedures = {
  'dataset:info': (_input, ctx) => ctx.dataset.info(),
  'dataset:samples': ({ perClass }, ctx) => ctx.dataset.samples(perClass),
  'dataset:images': ({ indices }, ctx) => ctx.dataset.testImages(indices),
  'dataset:download': (_input, ctx) => ctx.dataset.download(),
  'dataset:choose-folder': async (_input, ctx) => {
    const dir = await ctx.options.chooseFolder?.();
    if (!dir) return null;
    ctx.settings.update({ dataDir: dir });
    return ctx.dataset.info();
  },
  'dataset:forget-folder': (_input, ctx) => {
    ctx.settings.update({ dataDir: undefined });
    return ctx.dataset.info();
  },
} satisfies Implementations<'dataset'>;
