/**
 * A run's automatic name: its preset and what it changes from it, as a sweep names its runs
 * (`quick · conv-activation=relu lr=0.001`), so two runs from one preset can be told apart in
 * every list, legend and export. Fields the configuration ignores (momentum under adam) are left
 * out, as are fields equal to the preset's.
 */
import {
  FIELD_PATHS,
  fieldAt,
  fieldValue,
  isFieldUsed,
  PRESETS,
  type Hyperparams,
  type PresetName,
} from './hyperparams';

/**
 * What a preset is called where people read it. `seed` (the id in the database, the CLI's
 * `--preset seed`) is the classic LeNet5 of the seed paper's setup; calling it "seed" beside
 * random seeds read as one word meaning two things.
 */
export const PRESET_LABELS: Record<PresetName, string> = {
  seed: 'classic',
  modern: 'modern',
  quick: 'quick',
  lecun1998: 'LeNet-5 (1998)',
};

/** More changes than this are summed up as "+N more": a name is read at a glance. */
const MAX_NAMED_CHANGES = 3;

/** `flag=value` for each field `config` uses and sets differently from `preset`. */
export function changesFromPreset(config: Hyperparams, preset: PresetName): string[] {
  const base = PRESETS[preset];
  return FIELD_PATHS.filter(
    (path) => isFieldUsed(path, config) && fieldValue(config, path) !== fieldValue(base, path),
  ).map((path) => `${fieldAt(path)!.flag}=${fieldValue(config, path)}`);
}

/** `quick`, `quick · conv-activation=relu`, or `custom` for a run from no preset. */
export function automaticRunName(config: Hyperparams, preset: PresetName | null): string {
  if (!preset) return 'custom';
  const changes = changesFromPreset(config, preset);
  if (changes.length === 0) return PRESET_LABELS[preset];
  const named = changes.slice(0, MAX_NAMED_CHANGES).join(' ');
  const more = changes.length - MAX_NAMED_CHANGES;
  return `${PRESET_LABELS[preset]} · ${named}${more > 0 ? ` +${more} more` : ''}`;
}
