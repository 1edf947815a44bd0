/**
 * Line charts as inline SVG for the HTML report: no script, no font or file to fetch, so the
 * report draws the same in any browser, offline, with scripts off.
 */
import { escapeHtml } from './escape';

export interface SvgSeries {
  label: string;
  color: string;
  /** y per x; null leaves a gap. */
  points: { x: number; y: number | null }[];
}

export interface SvgChartOptions {
  title: string;
  xLabel: string;
  /** How a y tick reads (percent, plain number). */
  formatY(value: number): string;
  /** A log10 x axis (learning rates). */
  logX?: boolean;
  width?: number;
  height?: number;
}

const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };
const TICKS = 5;

/** An SVG line chart with axes, ticks and a legend; `data-series` counts the drawn lines. */
export function svgLineChart(series: readonly SvgSeries[], options: SvgChartOptions): string {
  const width = options.width ?? 520;
  const height = options.height ?? 280;
  const tx = (x: number): number => (options.logX ? Math.log10(x) : x);
  const all = series.flatMap((s) => s.points.filter((p): p is { x: number; y: number } => p.y !== null));
  if (all.length === 0) return `<p class="empty">${escapeHtml(options.title)}: nothing recorded.</p>`;
  const xs = all.map((p) => tx(p.x));
  const ys = all.map((p) => p.y);
  const [x0, x1] = spread(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = spread(Math.min(...ys), Math.max(...ys));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => MARGIN.left + ((tx(x) - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;

  const parts: string[] = [];
  for (let i = 0; i <= TICKS; i++) {
    const y = y0 + ((y1 - y0) * i) / TICKS;
    const at = py(y).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${at}" y2="${at}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${at}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeHtml(options.formatY(y))}</text>`,
    );
  }
  for (const xv of xTicks(x0, x1)) {
    const xAt = (MARGIN.left + ((xv - x0) / (x1 - x0)) * plotW).toFixed(1);
    const xText = options.logX ? `1e${xv}` : String(xv);
    parts.push(`<text x="${xAt}" y="${height - MARGIN.bottom + 16}" class="tick" text-anchor="middle">${xText}</text>`);
  }
  series.forEach((s) => {
    const segments: string[][] = [[]];
    for (const p of s.points) {
      if (p.y === null) segments.push([]);
      else segments[segments.length - 1].push(`${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`);
    }
    for (const seg of segments.filter((g) => g.length > 0)) {
      parts.push(
        seg.length === 1
          ? `<circle cx="${seg[0].split(',')[0]}" cy="${seg[0].split(',')[1]}" r="3" fill="${s.color}"/>`
          : `<polyline points="${seg.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      );
    }
  });
  const legendWidth = 24 + 6.5 * Math.max(...series.map((s) => s.label.length));
  // A backdrop so lines running under the legend do not cross its text.
  const backdrop = `<rect x="${MARGIN.left + 4}" y="${MARGIN.top + 3}" width="${legendWidth.toFixed(0)}" height="${series.length * 15 + 4}" fill="#fff" fill-opacity="0.85"/>`;
  const legend =
    backdrop +
    series
      .map(
        (s, i) =>
          `<g transform="translate(${MARGIN.left + 8},${MARGIN.top + 6 + i * 15})"><rect width="10" height="10" fill="${s.color}"/><text x="14" y="9" class="legend">${escapeHtml(s.label)}</text></g>`,
      )
      .join('');
  return (
    `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" data-series="${series.length}" aria-label="${escapeHtml(options.title)}">` +
    `<text x="${MARGIN.left}" y="16" class="title">${escapeHtml(options.title)}</text>` +
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="frame"/>` +
    parts.join('') +
    legend +
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" class="tick" text-anchor="middle">${escapeHtml(options.xLabel)}</text>` +
    `</svg></figure>`
  );
}

/** Whole-number ticks (epochs, powers of ten), at most TICKS + 1 of them. */
function xTicks(lo: number, hi: number): number[] {
  const first = Math.ceil(lo);
  const last = Math.floor(hi);
  if (last < first) return [];
  const step = Math.max(1, Math.ceil((last - first) / TICKS));
  const ticks: number[] = [];
  for (let v = first; v <= last; v += step) ticks.push(v);
  return ticks;
}

/** A range that is never empty (one epoch, a flat line). */
function spread(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = Math.abs(lo) * 0.05 || 1;
  return [lo - pad, hi + pad];
}
