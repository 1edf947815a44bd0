/**
 * Words of the label audit's page (display only: the ranking and the flags come from main,
 * shared/audit.ts): what a flag and a mark are called, how strongly the network disputes a label,
 * and the New-run configuration that leaves out the marked images.
 */
import type { AuditEntry, AuditFlag, AuditableRun, LabelMark } from '@shared/audit';
import type { Hyperparams } from '@shared/hyperparams';
import { CLASS_NAMES } from '@shared/training';
import { countOf } from '@shared/plural';

export const FLAG_LABELS: Record<AuditFlag, string> = {
  'likely-mislabeled': 'Likely mislabeled',
  ambiguous: 'Ambiguous',
  fine: 'Looks fine',
};

/** The mark buttons, in the order shown, with the words a person reads. */
export const MARK_CHOICES: readonly { mark: LabelMark; label: string; title: string }[] = [
  { mark: 'wrong', label: 'Label is wrong', title: 'A run with "Leave out marked images" trains without it' },
  { mark: 'ambiguous', label: 'Ambiguous', title: 'Could be either class: kept in training' },
  { mark: 'fine', label: 'Label is fine', title: 'The network is wrong here, not the label: kept in training' },
];

/**
 * Which class the network favours and by how much, from the area under the margin: "Shirt, by
 * 2.31 logits" when another class led the given label on average, else "its label, by 0.40 logits".
 */
export function strengthText(entry: Pick<AuditEntry, 'aum' | 'believed' | 'given'>): string {
  const by = `by ${Math.abs(entry.aum).toFixed(2)} logits`;
  return entry.aum < 0 ? `${CLASS_NAMES[entry.believed]}, ${by}` : `its label ${CLASS_NAMES[entry.given]}, ${by}`;
}

/** The run picker's line: "#12 quick run · 2 epochs of margins", or why it cannot be audited. */
export function runOptionText(run: AuditableRun): string {
  const why =
    run.marginSource === 'checkpoint'
      ? "final network's margins (from its checkpoint)"
      : run.marginEpochs != null
        ? `${countOf(run.marginEpochs, 'epoch')} of margins`
        : run.epochsDone === 0
          ? 'no completed epoch'
          : 'no margins (recorded before they were kept)';
  return `#${run.id} ${run.name} · ${why}`;
}

/** The audited run's configuration with the images marked wrong left out (the rest unchanged). */
export function withoutMarked(config: Hyperparams): Hyperparams {
  return { ...config, excludeMarked: 'wrong' };
}
