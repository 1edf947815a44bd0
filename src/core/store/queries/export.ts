/**
 * Exports: whole runs as JSON (prediction blobs left out: 110 KB each, and the app can show them)
 * and per-epoch metrics as CSV, of chosen runs or of every run in the database.
 */
import { exportRunIdsSchema, type ExportFormat, type ExportSelection } from '../../../shared/runs';
import type { RunDetail } from '../../../shared/runs';
import type { SkippedRun } from '../../../shared/api';
import { FIELD_PATHS, fieldAt, fieldValue } from '../../../shared/hyperparams';
import type { StoreContext } from '../context';
import { parseInput, StoreError } from '../errors';
import { EPOCH_METRIC_COLUMNS, epochSeriesOf } from '../metrics';
import { getSummaries } from '../runs';
import { storedConfig } from '../stored-config';
import { getRun } from './run';
import {
  metricValue,
  parseValueChoice,
  valueChoiceSchema,
  VALUE_METRICS,
  type PickedValue,
  valueChoiceText,
  type ValueChoice,
} from '../../../shared/metric-value';

export const EXPORT_FORMAT = 'lenet5-studio/runs';
export const EXPORT_VERSION = 1;

export interface RunsExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  /** With a chosen value (`last`, `best`, `epoch:N`): which one each run's `values` holds. */
  value?: string;
  runs: (RunDetail & { values?: Record<string, PickedValue | null> })[];
}

/** The runs to export, in order: the chosen ones (each must exist), or every run by id. */
function selectedIds(ctx: StoreContext, selection: unknown): number[] {
  if (selection === 'all') {
    const ids = ctx.statement('SELECT id FROM runs ORDER BY id').pluck().all() as number[];
    if (ids.length === 0) throw new StoreError('not-found', `The run database ${ctx.file} holds no runs.`);
    return ids;
  }
  const ids = parseInput(exportRunIdsSchema, selection, 'runs to export');
  getSummaries(ctx, ids); // refuse unknown ids before doing any work
  return ids;
}

export interface ExportedText {
  text: string;
  /** Runs in the text. */
  runs: number;
  /** Runs left out because their stored row is damaged. */
  skipped: SkippedRun[];
}

/**
 * The selected runs as text in `format`. A run whose row cannot be read is left out and named in
 * `skipped`, so one damaged row never keeps the others from being saved; when every selected run
 * is damaged there is nothing to save and the refusal names them all.
 */
export function exportRuns(
  ctx: StoreContext,
  selection: ExportSelection,
  format: ExportFormat,
  value?: string,
): ExportedText {
  const choice = value === undefined ? null : parseValueChoice(parseInput(valueChoiceSchema, value, 'value to export'));
  const ids = selectedIds(ctx, selection);
  const readable: RunDetail[] = [];
  const skipped: SkippedRun[] = [];
  for (const id of ids) {
    try {
      readable.push(getRun(ctx, id));
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'corrupt')) throw error;
      skipped.push({ id, reason: error.message });
    }
  }
  if (readable.length === 0)
    throw new StoreError('corrupt', `No run could be exported: ${skipped.map((s) => s.reason).join(' ')}`);
  const text =
    format === 'json'
      ? runsJson(readable, choice)
      : choice
        ? valuesCsv(readable, choice)
        : metricsCsv(
            ctx,
            readable.map((r) => r.id),
          );
  return { text, runs: readable.length, skipped };
}

/** Each metric's value under `choice`, by metric key (null where the run has none). */
function chosenValues(run: RunDetail, choice: ValueChoice): Record<string, PickedValue | null> {
  return Object.fromEntries(VALUE_METRICS.map((m) => [m.key, metricValue(run.epochMetrics, m.key, choice)]));
}

/** The runs as a JSON document (pretty-printed text); with a choice, each run's values so chosen beside its epochs. */
function runsJson(runs: RunDetail[], choice: ValueChoice | null): string {
  const doc: RunsExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    ...(choice && { value: valueChoiceText(choice) }),
    runs: choice ? runs.map((r) => ({ ...r, values: chosenValues(r, choice) })) : runs,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * After the metrics, the run's configuration (the same on each of its rows), each field named by
 * its CLI flag in snake case (`conv_activation`, `lr`): runs can then be told apart and grouped in
 * a spreadsheet without the JSON export.
 */
const CONFIG_COLUMNS = FIELD_PATHS.map((path) => ({ path, column: fieldAt(path)!.flag.replaceAll('-', '_') }));
const CSV_COLUMNS = [
  'run_id',
  'run_name',
  'epoch',
  ...EPOCH_METRIC_COLUMNS,
  'preset',
  ...CONFIG_COLUMNS.map((c) => c.column),
] as const;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (= + - @ at the start) gets a
 * leading apostrophe: run names and notes are user text and CSVs get opened in Excel.
 */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Per-epoch metrics of the runs, one row per run and epoch, header first, CRLF line ends (RFC 4180). */
function metricsCsv(ctx: StoreContext, ids: number[]): string {
  const runs = getSummaries(ctx, ids);
  const series = epochSeriesOf(ctx, ids);
  const lines = [CSV_COLUMNS.join(',')];
  for (const run of runs) {
    const config = storedConfig(
      ctx.statement('SELECT config_json FROM runs WHERE id = ?').pluck().get(run.id) as string,
    );
    const configCells = CONFIG_COLUMNS.map((c) => fieldValue(config, c.path));
    for (const m of series.get(run.id) ?? []) {
      lines.push(
        [
          run.id,
          run.name,
          m.epoch,
          m.trainLoss,
          m.trainAccuracy,
          m.validationLoss,
          m.validationAccuracy,
          m.testLoss,
          m.testAccuracy,
          m.learningRate,
          m.seconds,
          m.imagesPerSec,
          run.preset ?? 'custom',
          ...configCells,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * With a chosen value: one row per run, each metric's value so chosen and the epoch it comes from
 * (`test_accuracy`, `test_accuracy_epoch`, …; empty where the run has none), then its configuration.
 */
function valuesCsv(runs: RunDetail[], choice: ValueChoice): string {
  const header = [
    'run_id',
    'run_name',
    'value',
    'epochs_done',
    ...VALUE_METRICS.flatMap((m) => [m.column, `${m.column}_epoch`]),
    'preset',
    ...CONFIG_COLUMNS.map((c) => c.column),
  ];
  const lines = [header.join(',')];
  for (const run of runs) {
    const picked = VALUE_METRICS.map((m) => metricValue(run.epochMetrics, m.key, choice));
    lines.push(
      [
        run.id,
        run.name,
        valueChoiceText(choice),
        run.epochsDone,
        ...picked.flatMap((p) => [p?.value ?? null, p?.epoch ?? null]),
        run.preset ?? 'custom',
        ...CONFIG_COLUMNS.map((c) => fieldValue(run.config, c.path)),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
