/**
 * How a run's compute backend was chosen, in people's words. The trainer stores one line such as
 * `wasm ×1 thread, the only backend that loads (tensorflow: Cannot find package …)`; shown as is
 * it reads as a failure. Here it becomes what runs ("WebAssembly, 1 thread"), why in a few words
 * ("the only one that loads here"), and the technical detail apart, for a details control.
 */
export interface BackendText {
  /** What the run computes on: `WebAssembly, 1 thread`. */
  summary: string;
  /** Why, in a few words, or null when the line says nothing more. */
  reason: string | null;
  /** The loader's own words (what failed to load, the measured speeds), or null. */
  detail: string | null;
}

const NAMES: Record<string, string> = {
  tensorflow: 'TensorFlow native',
  cpu: 'plain JavaScript (CPU)',
  webgl: 'WebGL',
};

function summaryOf(label: string): string {
  const wasm = /^wasm ×(\d+) threads?$/.exec(label);
  if (wasm) return `WebAssembly, ${wasm[1]} thread${wasm[1] === '1' ? '' : 's'}`;
  if (label === 'wasm') return 'WebAssembly';
  return NAMES[label] ?? label;
}

/** `backendChoice` as stored (or the bare backend name of an older run). */
export function backendText(choice: string): BackendText {
  const comma = choice.indexOf(', ');
  const label = comma < 0 ? choice : choice.slice(0, comma);
  const rest = comma < 0 ? '' : choice.slice(comma + 2);
  const summary = summaryOf(label);
  if (!rest) return { summary, reason: null, detail: null };
  if (rest === 'forced') return { summary, reason: 'chosen by hand (--backend), not measured', detail: null };
  const only = /^the only backend that loads(?: \((.*)\))?$/s.exec(rest);
  if (only)
    return { summary, reason: 'the only one that loads here', detail: only[1] ? `Not loaded: ${only[1]}` : null };
  const measured = /^chosen by measurement (.*?)( \(cached\))?$/s.exec(rest);
  if (measured)
    return {
      summary,
      reason: 'the fastest here, by measurement',
      detail: `Measured ${measured[1]}${measured[2] ? ', on an earlier run' : ''}`,
    };
  return { summary, reason: null, detail: rest };
}
