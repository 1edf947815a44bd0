/**
 * "did you mean --epochs?" for a mistyped flag. node:util's parseArgs (which the commands use)
 * refuses an unknown option but suggests nothing; the closest known flag by edit distance is
 * suggested when it is close enough to be a typo. (commander offers this too, but moving four
 * commands' validated options onto it would be a rewrite; its suggestion is this same rule.)
 */

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The known flag closest to `typed` (both without dashes), if it is near enough to be a typo. */
export function closestFlag(typed: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const flag of known) {
    const d = distance(typed, flag);
    if (d < bestDistance) [best, bestDistance] = [flag, d];
  }
  // A third of the word may be wrong (as commander's rule): "epoch" → "epochs", "lr-rate" ✗.
  return best !== null && bestDistance <= Math.max(1, Math.floor(Math.max(typed.length, best.length) / 3))
    ? best
    : null;
}

/**
 * parseArgs' error in a user's words: an unknown option names the closest known flag. Any other
 * error's message is returned as it is.
 */
export function explainArgsError(err: unknown, known: readonly string[]): string {
  const message = (err as Error).message;
  if ((err as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;
  const typed = /'(-{1,2}[^']+)'/.exec(message)?.[1] ?? '';
  const name = typed.replace(/^-+/, '').split('=')[0]!;
  const suggestion = closestFlag(name, known);
  return `unknown option ${typed}${suggestion ? `: did you mean --${suggestion}?` : ''}`;
}
