/** One colour (and, past the palette's eight, a dash) per compared run, the same in every panel. */
import { SERIES_COUNT, seriesVar } from './theme.svelte';

export interface RunStyle {
  color: string;
  dashed: boolean;
}

export function runStyle(position: number): RunStyle {
  return { color: `var(${seriesVar(position)})`, dashed: position >= SERIES_COUNT };
}
