/**
 * Successive halving for sweeps, asynchronous (ASHA, Li et al. 2018) with reduction factor 2.
 * A sweep's runs train a few at a time, so they never all stand at the same epoch: instead of
 * waiting for every run to reach a rung (which would idle the trainers), each run is judged the
 * moment it completes a rung epoch, against the runs of its sweep that have completed that epoch so
 * far. The rule, the definition's field, the stored reason and its wording live here once.
 */
import { z } from 'zod';

/** A sweep's halving: the rung epochs after which the worse half stops. */
export const halvingSchema = z.strictObject({
  epochs: z
    .array(z.number({ error: 'must be whole epoch numbers' }), { error: 'must be a list of epoch numbers' })
    .min(1, { error: 'give at least one epoch (or leave halving out)' })
    .max(50, { error: 'at most 50 epochs' }),
});
export type Halving = z.output<typeof halvingSchema>;

/**
 * What is wrong with these rung epochs for a sweep of `epochs` epochs, or null: they must be
 * strictly increasing integers ≥ 1 and below the sweep's epochs (a rung at the last epoch would
 * stop nothing).
 */
export function halvingProblem(rungs: readonly number[], epochs: number): string | null {
  const bad = rungs.find((e) => !Number.isInteger(e) || e < 1);
  if (bad !== undefined) return `${bad} is not an epoch number (whole numbers from 1)`;
  const late = rungs.find((e) => e >= epochs);
  if (late !== undefined)
    return `epoch ${late} is not before the sweep's last epoch (${epochs}); halve at epochs 1 to ${epochs - 1}`;
  if (rungs.some((e, i) => i > 0 && e <= rungs[i - 1])) return `must be strictly increasing (got ${rungs.join(', ')})`;
  return null;
}

/** `2,4` (the CLI's `--halve-at`, the Sweep form's field) → [2, 4]; throws naming the bad item. */
export function parseHalvingEpochs(text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new Error(`an empty item in "${text}"; write epochs like 2,4`);
  const numbers = items.map(Number);
  const bad = items.find((s, i) => !/^\d+$/.test(s) || !Number.isSafeInteger(numbers[i]));
  if (bad !== undefined) throw new Error(`"${bad}" is not an epoch number (whole numbers from 1)`);
  return numbers;
}

/**
 * The ASHA rule: a run that scored `own` at a rung (its `selectionAccuracy`, shared/runs.ts) goes on when it is in the top half
 * (ceil(n/2)) of the `scores` of every run that has completed that rung so far, itself included.
 * Ties go its way: it stops only when at least ceil(n/2) runs did strictly better, so equal runs
 * share a rank and a lone run (n = 1) always goes on.
 */
export function survivesRung(own: number, scores: readonly number[]): boolean {
  const keep = Math.ceil(scores.length / 2);
  const better = scores.filter((s) => s > own).length;
  return better < keep;
}

/**
 * The epochs a sweep's run is expected to train under `halving`, for an estimate: every run trains
 * up to the first rung, and each rung stops the worse half, so an epoch after k rungs is trained
 * by a 2⁻ᵏ share of the runs. (The asynchronous rule lets a few more through: the first run to
 * reach a rung always goes on; an estimate says "about".) Without halving, all `epochs`.
 */
export function expectedEpochs(halving: Halving | undefined, epochs: number): number {
  const rungs = halving?.epochs ?? [];
  let total = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) total += 2 ** -rungs.filter((rung) => rung < epoch).length;
  return total;
}

const PRUNED = /^pruned by successive halving at epoch (\d+)$/;

/** The reason a pruned run records (its runs row's `end_reason`), as Runs and the Run page show it. */
export function prunedReason(epoch: number): string {
  return `pruned by successive halving at epoch ${epoch}`;
}

/** The rung a run was pruned at, from its recorded end reason; null for any other ending. */
export function prunedAtEpoch(endReason: string | null | undefined): number | null {
  const m = endReason ? PRUNED.exec(endReason) : null;
  return m ? Number(m[1]) : null;
}

/** A run that successive halving stopped (and that nobody has resumed since). */
export function isPruned(run: { status: string; endReason: string | null }): boolean {
  return run.status === 'stopped' && prunedAtEpoch(run.endReason) !== null;
}

/** `stops the worse half at epochs 2, 4` (the Sweep form's preview). */
export function describeHalving(halving: Halving): string {
  const { epochs } = halving;
  return `stops the worse half at epoch${epochs.length === 1 ? '' : 's'} ${epochs.join(', ')}`;
}
