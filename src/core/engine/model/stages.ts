/**
 * Where each stage the studio shows (C1 … Output) is in a configured LeNet5's `model.layers`: the
 * inspector reads activations there, and the trainer's per-epoch snapshot and the inspector read
 * C1's and C3's kernels from the layers before them (./kernels.ts).
 */
import type { ModelOptions } from '../../../shared/hyperparams';
import type { StageId } from '../../../shared/inspect';
import { layerSpec } from '../../../shared/lenet';

/** Where each shown stage is in `model.layers` (0-based), for a configured LeNet5. */
export type StageMap = Record<StageId, number>;

/**
 * C1 and C3 are shown after their activation (what S2 and S4 pool), C5 and F6 as what the next
 * dense layer reads (dropout, when the run has it, is the identity there: these are evaluations),
 * the output as logits (probabilities are computed from them).
 */
export function stageMap(options: ModelOptions): StageMap {
  // model.layers has one layer per spec row, without the input row.
  const rows = layerSpec(options).slice(1);
  const at = (prefix: string): number => {
    const i = rows.findIndex((r) => r.label.startsWith(`${prefix}:`));
    if (i < 0) throw new Error(`the LeNet5 spec has no ${prefix} row`);
    return i;
  };
  // The activation after the conv: next to it, or after its batch norm.
  const activated = (prefix: string): number => {
    const i = rows.findIndex((r, j) => j > at(prefix) && r.kind === 'activation');
    if (i < 0) throw new Error(`the LeNet5 spec has no activation after ${prefix}`);
    return i;
  };
  return {
    C1: activated('C1'),
    S2: at('S2'),
    C3: activated('C3'),
    S4: at('S4'),
    C5: at('F6') - 1,
    F6: at('Output') - 1,
    Output: rows.length - 1,
  };
}
