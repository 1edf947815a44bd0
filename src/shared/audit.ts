/**
 * The label audit's contract (issue 26): queries, marks and the ranked list, shared by the store,
 * the procedures, the CLI and the window.
 *
 * Signal: area under the margin (AUM, Pleiss et al. 2020; recorded by core/engine/margins.ts).
 * Rule for "why flagged" (a simple documented rule, not Pleiss's threshold-sample trick, which
 * needs an extra training with a fake class): an image is "likely mislabeled" when its AUM is below
 * 0 (averaged over its epochs the network gave another class a larger logit than the given label)
 * AND it is a low outlier among the images given the same label (below Tukey's lower fence, the
 * class's first quartile − 1.5 × its interquartile range). The second condition is what keeps the
 * list small for a network that is still learning: after a few epochs of the seed network a third
 * of the images have AUM < 0 (measured: 897 of 3,000), most of them shirts and pullovers the
 * network has not yet told apart, which are not label errors. Any other image with AUM below
 * AMBIGUOUS_AUM is "ambiguous". The list is ranked by AUM, lowest first (the flag does not change
 * the order); a filter by class pair keeps images given one class of the pair and believed to be
 * the other.
 */
import { z } from 'zod';
import { runIdSchema, type RunStatus } from './runs';
import { CLASS_NAMES } from './training';

/** Below this (and ≥ 0) an image is flagged ambiguous: its label's logit leads by under one logit. */
export const AMBIGUOUS_AUM = 1;
export const DEFAULT_AUDIT_TOP = 50;

export const LABEL_MARKS = ['wrong', 'ambiguous', 'fine'] as const;
export type LabelMark = (typeof LABEL_MARKS)[number];

const classSchema = z.number().int().min(0).max(9);

/** `audit:compute-margins`: a run recorded without margins gets its final network's, from its last checkpoint. */
export const computeMarginsInputSchema = z.strictObject({ runId: runIdSchema });

/** How far `audit:compute-margins` has got (main → window, event `audit:progress`). */
export interface AuditProgress {
  runId: number;
  share: number;
  stage: string;
}

export const auditQuerySchema = z.strictObject({
  runId: runIdSchema,
  /** Two different classes: images given one and believed to be the other. */
  pair: z
    .tuple([classSchema, classSchema])
    .refine(([a, b]) => a !== b, { error: 'a class pair needs two different classes' })
    .optional(),
  top: z.number().int().min(1).max(60_000).default(DEFAULT_AUDIT_TOP),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const markInputSchema = z.strictObject({
  runId: runIdSchema,
  imageIndex: z.number().int().min(0).max(59_999),
  /** null clears the mark. */
  mark: z.enum(LABEL_MARKS).nullable(),
});
export type MarkInput = z.infer<typeof markInputSchema>;

/** Training images by index, for the audit's gallery (`audit:images`); at most 1,000 per call. */
export const auditImagesInputSchema = z.strictObject({
  runId: runIdSchema,
  indices: z
    .array(z.number().int().min(0).max(59_999, { error: 'must be a training-set index from 0 to 59999' }))
    .max(1000, { error: 'at most 1,000 images per call' }),
});
export type AuditImagesInput = z.infer<typeof auditImagesInputSchema>;

export interface AuditImages {
  /** 784 bytes per asked index, in the order asked; null when the run's training file is gone. */
  images: Uint8Array | null;
  /** Why there are no images (the folder's files changed since the run); null when there are. */
  note: string | null;
}

/** A training run as the audit's run picker lists it (newest first). */
export interface AuditableRun {
  id: number;
  name: string;
  status: RunStatus;
  epochsDone: number;
  /** Epochs its margins average over; null when it has none (older run, or no epoch completed). */
  marginEpochs: number | null;
  /** Where its margins come from; null when it has none. */
  marginSource: MarginsSource | null;
}

export type AuditFlag = 'likely-mislabeled' | 'ambiguous' | 'fine';

export interface AuditEntry {
  /** Index in the dataset's training file. */
  index: number;
  given: number;
  /** The class the network puts first after the given one (at the image's latest epoch). */
  believed: number;
  /** Area under the margin: mean over epochs of (given label's logit − largest other logit). */
  aum: number;
  flag: AuditFlag;
  reason: string;
  mark: LabelMark | null;
}

export interface AuditResult {
  runId: number;
  /** `ready`: the list below; otherwise why there is none (`message` says it in words). */
  state: 'ready' | 'not-recorded' | 'no-epoch';
  message: string;
  /** Where the ranked margins come from (null when there are none). */
  source: MarginsSource | null;
  epochs: number;
  /** Images of the training file the run trained on (the audit covers only these). */
  covered: number;
  /** Images in the training file. */
  datasetCount: number;
  /** Images flagged likely mislabeled, over the whole run (before the pair filter and `top`). */
  flagged: number;
  entries: AuditEntry[];
  /** Marks made on this folder while its files were different (kept, not shown on these images). */
  staleMarks: number;
  /** Images marked "label is wrong" on the run's training file: what a run with `excludeMarked` leaves out. */
  markedWrong: number;
}

/**
 * Where stored margins come from: the trainer's, summed over its epochs (area under the margin),
 * or the final network's, computed afterwards from the run's last checkpoint (one "epoch").
 */
export type MarginsSource = 'training' | 'checkpoint';

export interface MarginsRow {
  /** Absent: the trainer's (the default). */
  source?: MarginsSource;
  epochs: number;
  sums: Float32Array;
  believed: Uint8Array;
  labels: Uint8Array;
}

export function flagOf(aum: number, fence: number): AuditFlag {
  return aum < 0 && aum < fence ? 'likely-mislabeled' : aum < AMBIGUOUS_AUM ? 'ambiguous' : 'fine';
}

/** Value at quantile q of sorted `values` (linear interpolation between neighbours). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Per given class, Tukey's lower fence (Q1 − 1.5·IQR) of the AUMs of the images trained on. */
export function lowerFences(row: MarginsRow): number[] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < row.sums.length; i++)
    if (!Number.isNaN(row.sums[i])) byClass[row.labels[i]]?.push(row.sums[i] / row.epochs);
  return byClass.map((values) => {
    const sorted = Float64Array.from(values).sort();
    const q1 = quantile(sorted, 0.25);
    return q1 - 1.5 * (quantile(sorted, 0.75) - q1);
  });
}

function reasonOf(aum: number, flag: AuditFlag, given: number, believed: number, over: string): string {
  const gap = Math.abs(aum).toFixed(2);
  if (flag === 'likely-mislabeled')
    return `${CLASS_NAMES[believed]} led its label ${CLASS_NAMES[given]} by ${gap} logits ${over}, far more than for other images labelled ${CLASS_NAMES[given]}`;
  if (aum < 0)
    return `${CLASS_NAMES[believed]} led its label ${CLASS_NAMES[given]} by ${gap} logits ${over}, as for many images labelled ${CLASS_NAMES[given]}`;
  return `its label ${CLASS_NAMES[given]} led ${CLASS_NAMES[believed]} by only ${gap} logits ${over}`;
}

/**
 * The ranked list: images trained on, lowest AUM first, optionally only those given one class of
 * `pair` and believed to be the other, cut to `top`. O(n) scan plus a sort of the candidates.
 */
export function rankAudit(
  row: MarginsRow,
  options: { pair?: readonly [number, number]; top: number; markOf?: (index: number) => LabelMark | null },
): { flagged: number; covered: number; entries: AuditEntry[] } {
  const { sums, believed, labels, epochs } = row;
  const over =
    row.source === 'checkpoint'
      ? 'in the final network (computed from its checkpoint)'
      : `on average over ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  const [a, b] = options.pair ?? [-1, -1];
  const fences = lowerFences(row);
  const candidates: number[] = [];
  let flagged = 0;
  let covered = 0;
  for (let i = 0; i < sums.length; i++) {
    const sum = sums[i];
    if (Number.isNaN(sum)) continue;
    covered++;
    if (flagOf(sum / epochs, fences[labels[i]]) === 'likely-mislabeled') flagged++;
    if (options.pair && !((labels[i] === a && believed[i] === b) || (labels[i] === b && believed[i] === a))) continue;
    candidates.push(i);
  }
  candidates.sort((x, y) => sums[x] - sums[y] || x - y);
  const entries = candidates.slice(0, options.top).map((index): AuditEntry => {
    const aum = sums[index] / epochs;
    const flag = flagOf(aum, fences[labels[index]]);
    return {
      index,
      given: labels[index],
      believed: believed[index],
      aum,
      flag,
      reason: reasonOf(aum, flag, labels[index], believed[index], over),
      mark: options.markOf?.(index) ?? null,
    };
  });
  return { flagged, covered, entries };
}
