/**
 * Labels at the ends of curves, moved apart so none is drawn over another: labels whose wanted
 * heights are closer than `gap` are gathered into a run of evenly spaced labels centred on their
 * mean (as far as `top`…`bottom` allows), and runs that then touch are gathered again. The order
 * of the labels from top to bottom is the order of their curves' ends.
 */
export function spreadLabels(wanted: readonly number[], gap: number, top: number, bottom: number): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  interface Cluster {
    members: { y: number; i: number }[];
    start: number;
  }
  const place = (members: Cluster['members']): Cluster => {
    const mean = members.reduce((s, m) => s + m.y, 0) / members.length;
    const span = (members.length - 1) * gap;
    // Centred on the mean of the wanted heights, then kept inside the plot.
    const start = Math.max(top, Math.min(bottom - span, mean - span / 2));
    return { members, start };
  };
  let clusters = order.map((m) => place([m]));
  for (let merged = true; merged;) {
    merged = false;
    const next: Cluster[] = [];
    for (const c of clusters) {
      const last = next.at(-1);
      if (last && last.start + last.members.length * gap > c.start + 1e-9) {
        next[next.length - 1] = place([...last.members, ...c.members]);
        merged = true;
      } else next.push(c);
    }
    clusters = next;
  }
  const out = new Array<number>(wanted.length);
  for (const c of clusters) c.members.forEach((m, k) => (out[m.i] = c.start + k * gap));
  return out;
}
