/**
 * Chart.js, registered piece by piece (tree-shaken: only what the studio draws). Import `Chart`
 * from here, never from 'chart.js' directly, so registration has always happened.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Interaction,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ActiveElement, ChartEvent, InteractionItem, InteractionModeFunction } from 'chart.js';
import { getRelativePosition } from 'chart.js/helpers';
import { percent } from './format';
import { theme } from './theme.svelte';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** The point nearest the pointer's x in every visible dataset (series need not share x values). */
    nearestPerDataset: InteractionModeFunction;
  }
}

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Tooltip,
  Legend,
  Decimation,
  Filler,
  BarController,
  BarElement,
);

// Decimated or differently sampled series rarely share x values, so 'index' and 'nearest' would
// show one series at a time; this picks each series' own nearest point.
const nearestPerDataset: InteractionModeFunction = function (chart, e) {
  const pos = getRelativePosition(e as unknown as ChartEvent, chart);
  const items: InteractionItem[] = [];
  if (!chart.chartArea || pos.x < chart.chartArea.left || pos.x > chart.chartArea.right) return items;
  chart.data.datasets.forEach((_, datasetIndex) => {
    if (!chart.isDatasetVisible(datasetIndex)) return;
    const elements = chart.getDatasetMeta(datasetIndex).data;
    // Points are sorted by x: binary search for the nearest.
    let lo = 0;
    let hi = elements.length - 1;
    if (hi < 0) return;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (elements[mid].x < pos.x) lo = mid + 1;
      else hi = mid;
    }
    const index = lo > 0 && Math.abs(elements[lo - 1].x - pos.x) <= Math.abs(elements[lo].x - pos.x) ? lo - 1 : lo;
    const element = elements[index];
    if (element && !(element as { skip?: boolean }).skip && Number.isFinite(element.y))
      items.push({ element, datasetIndex, index } as ActiveElement);
  });
  return items;
};
Interaction.modes.nearestPerDataset = nearestPerDataset;

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.font.size = 12;

/** Colours for axes, grid, text and tooltips from the CSS variables of the current scheme. */
export function chartColors() {
  return {
    text: theme.css('--text'),
    muted: theme.css('--muted'),
    grid: theme.css('--chart-grid'),
    border: theme.css('--border'),
    panel: theme.css('--panel'),
  };
}

// Axis tick labels, alike in every chart: fractions as percentages ("100%" from 99.5% up), other
// values to three significant digits.
export const tickPercent = (v: number) => percent(v, 1, { wholeNearFull: true });
export const tickNumber = (v: number) => String(Number(v.toPrecision(3)));
/** On a log axis only 1, 2 and 5 × 10ⁿ are labelled: the other gridlines' labels would overlap. */
export function logTickLabel(v: number): string {
  const lead = Number((v / 10 ** Math.floor(Math.log10(v))).toPrecision(3));
  return [1, 2, 5].includes(lead) ? tickNumber(v) : '';
}

/** Tooltip colours: drawn like the app's panels, the same in every chart. */
export function tooltipColors(c: ReturnType<typeof chartColors>) {
  return { backgroundColor: c.panel, titleColor: c.text, bodyColor: c.text, borderColor: c.border, borderWidth: 1 };
}

export { Chart };
