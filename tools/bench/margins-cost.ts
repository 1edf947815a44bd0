/**
 * What recording the area under the margin costs a training step (issue 26: ≤ 5% of training
 * images/s). One process, one backend, the seed network: blocks of `block` batches timed with and
 * without the margins (makeTrainStep's `recordMargins`), alternated A B B A … so drift of a shared,
 * noisy machine falls on both sides alike; reports each side's median images/s and their ratio.
 *
 *   npm run bench -- margins [--batch 32] [--blocks 12] [--block 40] [--backend wasm]
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';
import { randomDataset } from '../../src/core/dataset';
import { buildLeNet5, createOptimizer, imagesToTensor, makeTrainStep, selectBackend } from '../../src/core/engine';
import { PRESETS } from '../../src/shared/hyperparams';
import type { BackendName } from '../../src/shared/training';
import { quantile, round } from './stats';

const MAX_COST = 0.05;

function parse(argv: readonly string[]) {
  const options = { batch: 32, blocks: 12, block: 40, backend: 'wasm' as BackendName };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value = ''] = [argv[i], argv[i + 1]];
    const key = flag.replace(/^--/, '');
    if (key === 'backend' && ['wasm', 'tensorflow', 'cpu'].includes(value)) options.backend = value as BackendName;
    else if ((key === 'batch' || key === 'blocks' || key === 'block') && /^[1-9][0-9]*$/.test(value))
      options[key] = Number(value);
    else
      throw new Error(
        `unknown argument ${flag}; usage: npm run bench -- margins [--batch N] [--blocks N] [--block N] [--backend B]`,
      );
  }
  return options;
}

export async function runMarginsBench(argv: readonly string[]): Promise<{ pass: boolean }> {
  const { batch, blocks, block, backend } = parse(argv);
  await selectBackend(backend);
  const config = { ...PRESETS.seed, batchSize: batch };
  const data = randomDataset(batch * block, 10, 'bench-margins').train;
  const images = imagesToTensor(data);
  const labels = tf.tensor1d(data.labels, 'int32');
  const order = tf.tensor1d(
    Int32Array.from({ length: data.count }, (_, i) => i),
    'int32',
  );
  const model = buildLeNet5(config.model, config.seed);
  const optimizer = createOptimizer(config);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const steps = [false, true].map((margins) => makeTrainStep(model, optimizer, variables, [], 0, 0, margins));
  const rates: [number[], number[]] = [[], []];
  const timeBlock = (which: 0 | 1): number => {
    const start = performance.now();
    for (let b = 0; b < block; b++) steps[which](images, labels, order, b * batch, batch);
    return (block * batch * 1000) / (performance.now() - start);
  };
  timeBlock(0);
  timeBlock(1); // warm-up: kernels compiled, heap grown
  for (let k = 0; k < blocks; k++) {
    // A B B A: each side is timed first as often as second.
    const first = (k % 2) as 0 | 1;
    rates[first].push(timeBlock(first));
    rates[(1 - first) as 0 | 1].push(timeBlock((1 - first) as 0 | 1));
  }
  tf.dispose([images, labels, order, model, optimizer] as unknown as tf.Tensor[]);
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const without = median(rates[0]);
  const withMargins = median(rates[1]);
  const ratio = withMargins / without;
  const pass = ratio >= 1 - MAX_COST;
  process.stdout.write(
    `${backend} seed batch ${batch}: ${round(without, 0)} img/s without margins, ${round(withMargins, 0)} with ` +
      `(median of ${blocks} blocks of ${block} batches each): ratio ${ratio.toFixed(3)} ` +
      `(target ≥ ${1 - MAX_COST}: ${pass ? 'yes' : 'NO'})\n`,
  );
  return { pass };
}
