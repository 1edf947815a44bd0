/** The two-run panels of Compare: their props, and asking main one question about the pair. */
import type { RunPair } from '@shared/api';
import type { InputOf, ProcedureName, ResultOf } from '@shared/procedures';
import type { Result } from '@shared/errors';
import type { EvaluationRole, RunSummary } from '@shared/runs';
import { invoke } from './api';
import { resource, type Resource } from './resource.svelte';

export interface RunPairProps {
  a: RunSummary;
  b: RunSummary;
  role: EvaluationRole;
}

/** The operations that take exactly a run pair (read off the table, so a new one needs no edit here). */
export type PairProcedure = {
  [N in ProcedureName]: InputOf<N> extends RunPair ? (RunPair extends InputOf<N> ? N : never) : never;
}[ProcedureName];

/** `name` for the runs and role the props hold now; asked again when either run or the role changes. */
export function runPairResource<N extends PairProcedure>(props: () => RunPairProps, name: N): Resource<ResultOf<N>> {
  return resource(
    () => {
      const { a, b, role } = props();
      return { a: a.id, b: b.id, role };
    },
    (pair: RunPair) => (invoke as (n: N, input: RunPair) => Promise<Result<ResultOf<N>>>)(name, pair),
  );
}
