/**
 * The label audit's operations: read from the store (the margins were recorded by the trainer);
 * the ranking is an O(n) scan of one row, fast enough for main (benchmark: `npm run bench -- audit`).
 */
import type { Implementations } from './implementation';

export const auditProcedures = {
  'audit:list': (query, ctx) => ctx.store().audit(query),
  'audit:mark': (input, ctx) => {
    ctx.store().markImage(input);
    return { imageIndex: input.imageIndex };
  },
} satisfies Implementations<'audit'>;
