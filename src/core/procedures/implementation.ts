/**
 * The shape of an implementation: the validated input and the context in, the declared result out.
 * Each domain's file implements its slice of the table with `satisfies Implementations<'domain'>`,
 * so a missing, extra or mistyped operation is a type error.
 */
import type { ParsedInputOf, ProcedureName, ResultOf } from '../../shared/procedures';
import type { ProcedureContext } from './context';

export type Implementation<N extends ProcedureName> = (
  input: ParsedInputOf<N>,
  ctx: ProcedureContext,
) => Promise<ResultOf<N>> | ResultOf<N>;

/** The operations of one domain: the names that start with `domain:`. */
export type Implementations<Domain extends string> = {
  [N in Extract<ProcedureName, `${Domain}:${string}`>]: Implementation<N>;
};
