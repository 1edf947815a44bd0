/**
 * `npm run bench -- pytorch --preset seed|modern`: a preset as shipped, end to end, in the studio
 * (`npm run train -- --preset P`) and in PyTorch (pytorch/lenet5_preset.py given the same
 * hyperparameters as JSON), alternated `pairs` times, studio first. Per process: the whole
 * process's time, the final epoch's test accuracy, and when (seconds since its start) the first
 * epoch whose test accuracy reached the seed document's 87.3% was printed. The figures: the
 * medians over pairs of PyTorch's time over ours, whole and to 87.3% (≥ 1: the studio is faster).
 * Before timing, the PyTorch network is compared layer by layer with the studio's layer table:
 * when they differ the bench stops rather than time two different pieces of work.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS, type Hyperparams, type ModelOptions, type PresetName } from '../../src/shared/hyperparams';
import { layerSpec } from '../../src/shared/lenet';
import { median, round } from './stats';
import { runTimed, type TimedLine } from './timed-process';

/** The seed document's test accuracy, the mark both sides are timed to. */
export const MARK = 0.873;

export interface PresetEpoch {
  epoch: number;
  testAccuracy: number;
  /** Seconds since the process started when the epoch's line arrived. */
  at: number;
}

export interface PresetTiming {
  seconds: number;
  finalAccuracy: number | null;
  /** Seconds since start when an epoch first reached MARK; null if none did. */
  secondsToMark: number | null;
  epochs: PresetEpoch[];
}

export interface PresetPair {
  round: number;
  studio: PresetTiming;
  pytorch: PresetTiming;
  /** PyTorch's seconds over ours. */
  ratio: number;
  /** PyTorch's seconds to MARK over ours (null when either never reached it). */
  ratioToMark: number | null;
}

export interface PresetBenchOptions {
  preset: PresetName;
  pairs: number;
  python: string;
  dataDir: string;
  dbPath: string;
  /** Both sides on this many threads; undefined: each side's own default. */
  threads?: number;
  backend?: string;
}

export interface PresetBenchResult {
  preset: PresetName;
  studioCommand: string;
  pytorchCommand: string;
  pairs: PresetPair[];
  medianRatio: number | null;
  medianRatioToMark: number | null;
}

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pytorch', 'lenet5_preset.py');

/** A network as a list of layers: the PyTorch module name and its trainable parameters. */
export interface NetworkLayers {
  trainableParams: number;
  layers: [name: string, params: number][];
}

/** The studio's network for `model`, from its layer table (the rows after the input). */
export function studioNetwork(model: ModelOptions): NetworkLayers {
  const layers = layerSpec(model)
    .filter((l) => l.kind !== 'input')
    .map((l): [string, number] => [l.torchName, l.params]);
  return { trainableParams: layers.reduce((sum, [, params]) => sum + params, 0), layers };
}

/** lenet5_preset.py's network for `config`, counted by torch (`--count-params`); throws with the script's refusal. */
export function pytorchNetwork(python: string, config: Hyperparams): NetworkLayers {
  const run = spawnSync(python, [SCRIPT, '--config', JSON.stringify(config), '--count-params'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${path.basename(SCRIPT)} --count-params failed: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as NetworkLayers;
}

/** Where two networks first differ, in words; null when they have the same layers and parameters. */
export function networkDifference(studio: NetworkLayers, pytorch: NetworkLayers): string | null {
  const show = (layer: [string, number] | undefined) => (layer ? `${layer[0]} (${layer[1]} parameters)` : 'nothing');
  for (let i = 0; i < Math.max(studio.layers.length, pytorch.layers.length); i++) {
    const [a, b] = [studio.layers[i], pytorch.layers[i]];
    if (a?.[0] !== b?.[0] || a?.[1] !== b?.[1])
      return `layer ${i + 1} is ${show(a)} in the studio but ${show(b)} in PyTorch`;
  }
  if (studio.trainableParams !== pytorch.trainableParams)
    return `${studio.trainableParams} trainable parameters in the studio but ${pytorch.trainableParams} in PyTorch`;
  return null;
}

/** Test accuracies are whole counts of 10,000 images: 4 decimals, so 87.30% / 100 is 0.873 exactly. */
const accuracy = (fraction: number) => round(fraction, 4);

/** The studio CLI's epoch summaries: `epoch 3/10  train loss … | test loss 0.4 acc 87.50% | …`. */
export function studioEpochs(lines: readonly TimedLine[]): PresetEpoch[] {
  const epochs: PresetEpoch[] = [];
  for (const { text, at } of lines) {
    const match = /^epoch\s+(\d+)\/\d+\s+train loss.*test loss \S+ acc ([\d.]+)%/.exec(text);
    if (match) epochs.push({ epoch: Number(match[1]), testAccuracy: accuracy(Number(match[2]) / 100), at });
  }
  return epochs;
}

/** lenet5_preset.py's one JSON line per epoch. */
export function pytorchEpochs(lines: readonly TimedLine[]): PresetEpoch[] {
  return lines
    .filter((l) => l.text.startsWith('{'))
    .map(({ text, at }) => {
      const parsed = JSON.parse(text) as { epoch: number; testAccuracy: number };
      return { epoch: parsed.epoch, testAccuracy: accuracy(parsed.testAccuracy), at };
    });
}

export function presetTiming(seconds: number, epochs: PresetEpoch[]): PresetTiming {
  return {
    seconds,
    finalAccuracy: epochs.at(-1)?.testAccuracy ?? null,
    secondsToMark: epochs.find((e) => e.testAccuracy >= MARK)?.at ?? null,
    epochs,
  };
}

export async function runPresetBench(options: PresetBenchOptions): Promise<PresetBenchResult> {
  const config = PRESETS[options.preset];
  const difference = networkDifference(studioNetwork(config.model), pytorchNetwork(options.python, config));
  if (difference) throw new Error(`preset ${options.preset}: not the same network, ${difference}`);
  const threadFlags = options.threads !== undefined ? ['--threads', String(options.threads)] : [];
  const studioArgs = [
    ...['run', '--silent', 'train', '--', '--preset', options.preset, '--data', options.dataDir],
    ...['--db', options.dbPath, ...threadFlags],
    ...(options.backend ? ['--backend', options.backend] : []),
  ];
  const pytorchArgs = [
    ...[SCRIPT, '--data-dir', options.dataDir, '--config', JSON.stringify(config)],
    ...['--threads', String(options.threads ?? os.availableParallelism())],
  ];
  const result: PresetBenchResult = {
    preset: options.preset,
    studioCommand: `npm ${studioArgs.join(' ')}`,
    pytorchCommand: `${options.python} ${pytorchArgs.map((a) => (a.startsWith('{') ? `'${a}'` : a)).join(' ')}`,
    pairs: [],
    medianRatio: null,
    medianRatioToMark: null,
  };
  process.stdout.write(`studio:  ${result.studioCommand}\npytorch: ${result.pytorchCommand}\n`);
  process.stdout.write(
    `pair  studio s  final   to ${MARK * 100}%   pytorch s  final   to ${MARK * 100}%   pytorch/studio  to ${MARK * 100}%\n`,
  );
  const seconds = (s: number | null) => (s === null ? '—' : s.toFixed(1)).padStart(8);
  const show = (t: PresetTiming) =>
    `${t.seconds.toFixed(1).padStart(8)}  ${((t.finalAccuracy ?? 0) * 100).toFixed(2)}%  ${seconds(t.secondsToMark)}`;
  for (let i = 1; i <= options.pairs; i++) {
    const s = await runTimed('npm', studioArgs);
    const studio = presetTiming(s.seconds, studioEpochs(s.lines));
    const p = await runTimed(options.python, pytorchArgs);
    const pytorch = presetTiming(p.seconds, pytorchEpochs(p.lines));
    const ratio = pytorch.seconds / studio.seconds;
    const ratioToMark =
      studio.secondsToMark !== null && pytorch.secondsToMark !== null
        ? pytorch.secondsToMark / studio.secondsToMark
        : null;
    result.pairs.push({ round: i, studio, pytorch, ratio, ratioToMark });
    process.stdout.write(
      `${String(i).padStart(4)}  ${show(studio)}   ${show(pytorch)}   ${ratio.toFixed(3).padStart(14)}  ${ratioToMark?.toFixed(3) ?? '—'}\n`,
    );
  }
  result.medianRatio = round(median(result.pairs.map((p) => p.ratio)), 3);
  const toMark = result.pairs.flatMap((p) => (p.ratioToMark === null ? [] : [p.ratioToMark]));
  result.medianRatioToMark = toMark.length ? round(median(toMark), 3) : null;
  process.stdout.write(
    `preset ${options.preset}, median PyTorch/studio over ${options.pairs} pairs: whole process ${result.medianRatio}, ` +
      `to ${MARK * 100}% ${result.medianRatioToMark ?? '—'} (≥ 1: the studio is faster; ` +
      `${options.threads ? `${options.threads} threads each` : `each side's default threads, PyTorch ${os.availableParallelism()}`})\n`,
  );
  return result;
}
