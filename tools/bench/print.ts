/** What every bench section shares in showing its figures: the JSON file beside its table. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Write `result` as JSON to `out` (its folder created); false when `out` is null (not wanted). */
export function writeResults(out: string | null, result: object): boolean {
  if (!out) return false;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return true;
}

/** A target's verdict in a table's last column. */
export const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');
