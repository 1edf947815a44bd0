/**
 * What a report shows, gathered from the store (and the test images from the dataset) into one
 * plain object: rendering (report-html.ts) then needs neither.
 */
import os from 'node:os';
import { fieldAt } from '../../shared/hyperparams';
import { groupRuns, groupsSomething, memberValues } from '../../shared/run-groups';
import {
  LEFT_OUT_KEY,
  LEFT_OUT_LABEL,
  MAX_REPORT_RUNS,
  type ConfigField,
  type ConfusionResult,
  type RunDetail,
} from '../../shared/runs';
import { summarize, welchTTest, type GroupSummary, type WelchResult } from '../../shared/stats';
import { CLASS_NAMES } from '../../shared/training';
import { rangeTestRefusal } from '../../shared/lr-range';
import { StudioError } from '../errors';
import { flattenConfig, type Store } from '../store';
import { pngDataUri } from './images';

/** The gallery's first page: the most confident mistakes of each run. */
export const REPORT_GALLERY_SIZE = 24;

export interface ReportMistake {
  index: number;
  trueClass: number | null;
  predictedClass: number;
  confidence: number;
  src: string;
}

export interface ReportRun {
  run: RunDetail;
  confusion: ConfusionResult | null;
  mistakes: ReportMistake[];
  mistakesTotal: number;
}

export interface ReportGroup {
  label: string;
  runIds: number[];
  bestTestAccuracy: GroupSummary | null;
}

export interface ReportData {
  title: string;
  createdAt: Date;
  runs: ReportRun[];
  /** Every configuration field; `differs` marks the settings diff. */
  config: ConfigField[];
  /** Runs that differ only in their seed, grouped; empty when no two runs are repeats. */
  groups: ReportGroup[];
  /** With exactly two groups: Welch's t-test on best test accuracy. */
  groupTest: WelchResult | null;
  machine: { cpu: string; cores: number; platform: string; node: string };
}

/** Pixels of test images by index (the dataset service's testImages). */
export type TestImages = (indices: number[]) => Promise<{ images: Uint8Array }>;

/** Gather a report of `ids` (1 to 20 training runs). */
export async function collectReport(store: Store, ids: readonly number[], testImages: TestImages): Promise<ReportData> {
  if (ids.length < 1 || ids.length > MAX_REPORT_RUNS)
    throw new StudioError('invalid-input', `A report takes 1 to ${MAX_REPORT_RUNS} runs (got ${ids.length}).`);
  if (new Set(ids).size !== ids.length) throw new StudioError('invalid-input', 'A report lists each run once.');
  const details = ids.map((id) => store.getRun(id)); // not-found names a missing run
  const rangeTest = details.find((r) => r.kind !== 'train');
  if (rangeTest) throw new StudioError('invalid-input', rangeTestRefusal(rangeTest.id, 'report'));
  const runs: ReportRun[] = [];
  for (const run of details) runs.push(await collectRun(store, run, testImages));
  const config = ids.length >= 2 ? store.compareRuns([...ids]).config : singleConfig(details[0]);
  const bestAccuracy = details.map((r) => r.bestTestAccuracy);
  const grouped = groupRuns(config, details.length, 'seeds');
  const groups = groupsSomething(grouped)
    ? grouped.map((g) => {
        const values = memberValues(g, bestAccuracy);
        return {
          label: g.label,
          runIds: g.members.map((i) => details[i].id),
          bestTestAccuracy: values.length ? summarize(values) : null,
        };
      })
    : [];
  const groupTest =
    groups.length === 2
      ? welchTTest(memberValues(grouped[0], bestAccuracy), memberValues(grouped[1], bestAccuracy))
      : null;
  return {
    title:
      details.length === 1
        ? `Run #${details[0].id} ${details[0].name}`
        : `${details.length} runs compared: ${details.map((r) => `#${r.id}`).join(', ')}`,
    createdAt: new Date(),
    runs,
    config,
    groups,
    groupTest,
    machine: {
      cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
      cores: os.cpus().length,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
    },
  };
}

async function collectRun(store: Store, run: RunDetail, testImages: TestImages): Promise<ReportRun> {
  const role = run.evaluations.some((e) => e.role === 'final') ? 'final' : run.evaluations[0]?.role;
  if (!role) return { run, confusion: null, mistakes: [], mistakesTotal: 0 };
  const confusion = store.confusion(run.id, role);
  const predictions = store.predictions({
    runId: run.id,
    role,
    correct: false,
    sort: 'confidence-desc',
    limit: REPORT_GALLERY_SIZE,
  });
  let pixels: Uint8Array | null = null;
  if (predictions.rows.length) {
    try {
      pixels = (await testImages(predictions.rows.map((r) => r.index))).images;
    } catch (error) {
      // The dataset folder may have moved since the run: say so rather than write a gallery of holes.
      throw new StudioError(
        'unavailable',
        `The test images for run ${run.id}'s gallery could not be read (${(error as Error).message}).`,
      );
    }
  }
  const mistakes = predictions.rows.map((r, i) => ({
    index: r.index,
    trueClass: r.trueClass,
    predictedClass: r.predictedClass,
    confidence: r.confidence,
    src: pngDataUri(pixels!.subarray(i * 784, (i + 1) * 784)),
  }));
  return { run, confusion, mistakes, mistakesTotal: predictions.total };
}

function singleConfig(run: RunDetail): ConfigField[] {
  return Object.entries(flattenConfig(run.config)).map(([key, value]) => ({
    key,
    values: [value],
    used: [true],
    differs: false,
  }));
}

/** "Learning rate" for `learningRate`, the key itself when the field is unknown. */
export const fieldLabel = (key: string): string =>
  key === LEFT_OUT_KEY ? LEFT_OUT_LABEL : (fieldAt(key)?.label ?? key);
export const className = (i: number | null): string => (i === null ? '?' : (CLASS_NAMES[i] ?? String(i)));
