/**
 * A report as one self-contained HTML file: inline CSS, inline SVG charts, images as data: URIs,
 * no script and a CSP that forbids every fetch, so it opens offline in any browser and can make
 * no network request.
 */
import type { ConfigValue, EpochMetrics } from '../../shared/runs';
import { escapeHtml as e } from './escape';
import { className, fieldLabel, type ReportData, type ReportRun } from './report-data';
import { svgLineChart, type SvgSeries } from './svg-chart';
import { summaryText } from '../../shared/run-groups';

/** One color per run (Okabe–Ito, readable for colour-blind people), cycling past eight. */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442'];
const color = (i: number): string => COLORS[i % COLORS.length];

const pct = (v: number | null | undefined, digits = 2): string => (v == null ? '—' : `${(v * 100).toFixed(digits)}%`);

const shown = (v: ConfigValue): string => (v == null ? '—' : String(v));

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dce4;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.muted{color:#5b6475}table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid #d8dce4;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f2f4f8}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.differs td{background:#fff6d6}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0}svg .grid{stroke:#e6e9ef}svg .frame{fill:none;stroke:#9aa3b2}
svg text{font:11px system-ui,sans-serif;fill:#3a4252}svg .title{font-weight:600;font-size:13px}
table.cm td{width:52px;height:26px;padding:0;text-align:center;font-size:11px}table.cm th{font-size:11px;font-weight:500}
.gallery{display:flex;flex-wrap:wrap;gap:8px}.gallery figure{margin:0;width:104px;font-size:11px}
.gallery img{width:84px;height:84px;image-rendering:pixelated;border:1px solid #d8dce4;display:block}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}`;

export function renderReportHtml(data: ReportData): string {
  const single = data.runs.length === 1;
  const body = [
    `<h1>${e(data.title)}</h1>`,
    `<p class="muted">LeNet5 Studio report, written ${e(data.createdAt.toISOString())}. Self-contained: opens offline.</p>`,
    section('Results', resultsTable(data)),
    section('Curves', curves(data)),
    section(single ? 'Settings' : 'Settings (differences highlighted)', settingsTable(data)),
    data.groups.length ? section('Seed groups', groupsSection(data)) : '',
    ...data.runs.map((r) => section(`Run #${r.run.id} ${r.run.name}`, runSection(r), `run-${r.run.id}`)),
    section('Environment', environment(data)),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(data.title)}</title><style>${CSS}</style></head>
<body>
${body}
</body></html>
`;
}

function section(title: string, content: string, id?: string): string {
  return `<section${id ? ` id="${id}"` : ''}><h2>${e(title)}</h2>${content}</section>`;
}

function runName(r: ReportRun, i: number): string {
  return `<span class="swatch" style="background:${color(i)}"></span>#${r.run.id} ${e(r.run.name)}`;
}

function resultsTable(data: ReportData): string {
  const rows = data.runs.map(
    (r, i) =>
      `<tr><td>${runName(r, i)}</td><td>${e(r.run.status)}</td><td class="num">${pct(r.run.bestTestAccuracy)}</td>` +
      `<td class="num">${r.run.bestEpoch ?? '—'}</td><td class="num">${pct(r.run.finalTestAccuracy)}</td>` +
      `<td class="num">${r.run.epochsDone}</td><td>${e(r.run.tags.join(', '))}</td></tr>`,
  );
  return `<table><thead><tr><th>Run</th><th>Status</th><th>Best test accuracy</th><th>Best epoch</th><th>Final test accuracy</th><th>Epochs</th><th>Tags</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function curves(data: ReportData): string {
  const metric = (pick: (m: EpochMetrics) => number | null): SvgSeries[] =>
    data.runs.map((r, i) => ({
      label: `#${r.run.id} ${r.run.name}`,
      color: color(i),
      points: r.run.epochMetrics.map((m) => ({ x: m.epoch, y: pick(m) })),
    }));
  const percentTick = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const numberTick = (v: number): string => v.toPrecision(3);
  return `<div class="charts">${[
    svgLineChart(
      metric((m) => m.testAccuracy),
      { title: 'Test accuracy', xLabel: 'epoch', formatY: percentTick },
    ),
    svgLineChart(
      metric((m) => m.validationAccuracy),
      {
        title: 'Validation accuracy',
        xLabel: 'epoch',
        formatY: percentTick,
      },
    ),
    svgLineChart(
      metric((m) => m.trainLoss),
      { title: 'Training loss', xLabel: 'epoch', formatY: numberTick },
    ),
    svgLineChart(
      metric((m) => m.testLoss),
      { title: 'Test loss', xLabel: 'epoch', formatY: numberTick },
    ),
  ].join('')}</div>`;
}

function settingsTable(data: ReportData): string {
  const head = data.runs.map((r, i) => `<th>${runName(r, i)}</th>`).join('');
  const rows = data.config.map(
    (f) =>
      `<tr${f.differs ? ' class="differs"' : ''}><td>${e(fieldLabel(f.key))}</td>` +
      f.values.map((v, i) => `<td>${f.used[i] ? e(shown(v)) : '<span class="muted">(unused)</span>'}</td>`).join('') +
      '</tr>',
  );
  const differing = data.config.filter((f) => f.differs).length;
  const note =
    data.runs.length > 1
      ? `<p>${differing === 0 ? 'The runs have the same settings.' : `${differing} setting${differing === 1 ? '' : 's'} differ (highlighted).`}</p>`
      : '';
  return `${note}<table class="settings"><thead><tr><th>Setting</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function groupsSection(data: ReportData): string {
  const rows = data.groups.map(
    (g) =>
      `<tr><td>${e(g.label)}</td><td>${g.runIds.map((id) => `#${id}`).join(', ')}</td>` +
      `<td class="num">${g.bestTestAccuracy ? summaryText(g.bestTestAccuracy, { percent: true }) : '—'}</td>` +
      `<td class="num">${g.bestTestAccuracy ? `${pct(g.bestTestAccuracy.min)} – ${pct(g.bestTestAccuracy.max)}` : '—'}</td></tr>`,
  );
  const test = data.groupTest
    ? `<p>Welch's t-test on best test accuracy: t = ${data.groupTest.t.toFixed(2)}, df = ${data.groupTest.df.toFixed(1)}, ${data.groupTest.p < 0.001 ? 'p < 0.001' : `p = ${data.groupTest.p.toFixed(3)}`}: ${e(data.groupTest.verdict)}.</p>`
    : '';
  return `<p class="muted">Runs whose settings differ only in their seed, grouped.</p><table><thead><tr><th>Group</th><th>Runs</th><th>Best test accuracy, mean ± std (n)</th><th>min – max</th></tr></thead><tbody>${rows.join('')}</tbody></table>${test}`;
}

function runSection(r: ReportRun): string {
  const parts: string[] = [];
  if (!r.confusion) return '<p class="muted">This run has no test evaluation (it ended before its first epoch).</p>';
  parts.push(
    `<h3>Confusion matrix (${e(r.confusion.role)} weights, epoch ${r.confusion.epoch}, accuracy ${pct(r.confusion.accuracy)})</h3>`,
    confusionTable(r),
  );
  parts.push(
    `<h3>Most confident mistakes (${r.mistakes.length} of ${r.mistakesTotal.toLocaleString('en-US')})</h3>`,
    `<div class="gallery">${r.mistakes
      .map(
        (m) =>
          `<figure><img src="${m.src}" alt="test image ${m.index}" width="84" height="84"><figcaption>#${m.index}: ${e(className(m.trueClass))} → <b>${e(className(m.predictedClass))}</b> (${pct(m.confidence, 0)})</figcaption></figure>`,
      )
      .join('')}</div>`,
  );
  return parts.join('');
}

function confusionTable(r: ReportRun): string {
  const cm = r.confusion!;
  const n = cm.classNames.length;
  const rowTotals = Array.from({ length: n }, (_, t) => cm.matrix.slice(t * n, (t + 1) * n).reduce((a, b) => a + b, 0));
  const head = cm.classNames.map((c) => `<th>${e(c)}</th>`).join('');
  const rows = cm.classNames.map((c, t) => {
    const cells = Array.from({ length: n }, (_, p) => {
      const count = cm.matrix[t * n + p];
      const share = rowTotals[t] ? count / rowTotals[t] : 0;
      // Shade by the share of the true class's images: the diagonal reads as recall.
      const bg =
        t === p ? `rgba(0,114,178,${share.toFixed(3)})` : `rgba(213,94,0,${Math.min(1, share * 3).toFixed(3)})`;
      const fg = share > 0.5 ? '#fff' : '#1d2330';
      return `<td style="background:${bg};color:${fg}" title="${e(c)} predicted as ${e(cm.classNames[p])}: ${count}">${count}</td>`;
    }).join('');
    return `<tr><th>${e(c)}</th>${cells}<td class="num">${pct(cm.recall[t], 1)}</td></tr>`;
  });
  return `<table class="cm"><thead><tr><th>true \\ predicted</th>${head}<th>recall</th></tr></thead><tbody>${rows.join('')}<tr><th>precision</th>${cm.precision.map((v) => `<td>${pct(v, 0)}</td>`).join('')}<td></td></tr></tbody></table>`;
}

function environment(data: ReportData): string {
  const rows = data.runs.map(
    (r, i) =>
      `<tr><td>${runName(r, i)}</td><td>${e(r.run.backend ?? '—')}</td><td>${e(r.run.backendChoice ?? '—')}</td>` +
      `<td>${e(r.run.tfjsVersion ?? '—')}</td><td>${r.run.dataset ? (r.run.dataset.official ? 'official FashionMNIST' : 'NOT the official FashionMNIST') : '—'}</td>` +
      `<td class="num">${r.run.trainSize?.toLocaleString('en-US') ?? '—'} / ${r.run.validationSize?.toLocaleString('en-US') ?? '—'} / ${r.run.testSize?.toLocaleString('en-US') ?? '—'}</td>` +
      `<td class="num">${r.run.parameterCount?.toLocaleString('en-US') ?? '—'}</td></tr>`,
  );
  const m = data.machine;
  return (
    `<table><thead><tr><th>Run</th><th>Backend</th><th>How chosen (threads)</th><th>tfjs</th><th>Data</th><th>Train / validation / test images</th><th>Parameters</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    `<p class="muted">Report written on ${e(m.cpu)} × ${m.cores} cores, ${e(m.platform)}, Node ${e(m.node)}.</p>`
  );
}
