/**
 * Compare's colours, one meaning each on the page: a run has one colour (and, past the palette's
 * eight, a dash) in every panel, by its place in the comparison; a group of runs has a colour of
 * its own from a second palette, so a group's mean is never read as one of its runs.
 */
import { SERIES_COUNT, seriesVar } from './theme.svelte';

export interface RunStyle {
  color: string;
  dashed: boolean;
}

export function runStyle(position: number): RunStyle {
  return { color: `var(${seriesVar(position)})`, dashed: position >= SERIES_COUNT };
}

export const GROUP_COLOR_COUNT = 6;

/** The n-th group's colour (cycling past six groups, dashed as runs are past their eight). */
export function groupStyle(position: number): RunStyle {
  return { color: `var(--group-${(position % GROUP_COLOR_COUNT) + 1})`, dashed: position >= GROUP_COLOR_COUNT };
}
