/**
 * The `tensorflow` backend (@tensorflow/tfjs-node) itself: LeNet5's loss and gradients against
 * `cpu` (tfjs's reference), the trainer on it against `wasm`, and a measured choice between the
 * two. Its own vitest project, run by CI's required tensorflow step after
 * `node scripts/test-tfjs-node.mjs` has set tfjs-node up (it cannot download libtensorflow here);
 * where tfjs-node does not load this file fails, it is never skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/engine/backend';
import { ChoiceCache, chooseBackend, choiceKey } from '../../src/core/engine/backend/choice';
import { measureTrainingSpeed } from '../../src/core/engine/backend/measure';
import { buildLeNet5 } from '../../src/core/engine/model/build';
import { train } from '../../src/core/engine/train';
import { PRESETS, type Hyperparams } from '../../src/shared/hyperparams';
import type { BackendName, TrainerEvent } from '../../src/shared/training';
import { syntheticDataset } from '../unit/engine-fixtures';
import { RELU_MAX_RECIPE } from '../support/networks';

// Fails the file, with tfjs-node's reason, where the backend does not load.
await selectBackend('tensorflow');

const quick: Hyperparams = { ...RELU_MAX_RECIPE, batchSize: 64 };

describe(`the tensorflow backend (tfjs-node ${tf.version.tfjs})`, () => {
  /** Loss and every weight's gradient of one fixed batch, on `backend`, from the same weights. */
  async function lossAndGradients(backend: BackendName, config: Hyperparams, weights: Float32Array[]) {
    await tf.setBackend(backend);
    const model = buildLeNet5(config.model, 7);
    model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
    const images = tf.tensor4d(
      Float32Array.from({ length: 16 * 784 }, (_, i) => ((i * 7919) % 1000) / 1000),
      [16, 28, 28, 1],
    );
    const labels = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 16 }, (_, i) => i % 10),
        'int32',
      ),
      10,
    );
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.predict(images) as tf.Tensor) as tf.Scalar,
      model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    const out = [await value.data(), ...(await Promise.all(Object.values(grads).map((g) => g.data())))];
    tf.dispose([images, labels, value, grads]);
    model.dispose();
    return out as Float32Array[];
  }

  // float32 sums in another order (libtensorflow's Eigen kernels vs cpu's loops): 1e-4 relative
  // to the largest magnitude of each array, as the wasm kernels' checks use.
  const TOLERANCE = 1e-4;

  for (const preset of ['seed', 'modern'] as const) {
    it(`${preset} network: loss and gradients match cpu within ${TOLERANCE} (relative)`, async () => {
      await tf.setBackend('cpu');
      const reference = buildLeNet5(PRESETS[preset].model, 7);
      const weights = reference.getWeights().map((w) => w.dataSync() as Float32Array);
      reference.dispose();
      const expected = await lossAndGradients('cpu', PRESETS[preset], weights);
      const actual = await lossAndGradients('tensorflow', PRESETS[preset], weights);
      expect(actual.length).toBe(expected.length);
      for (let a = 0; a < expected.length; a++) {
        const scale = Math.max(...expected[a].map(Math.abs), 1e-12);
        const worst = Math.max(...actual[a].map((v, i) => Math.abs(v - expected[a][i])));
        expect(worst / scale).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('the trainer trains on tensorflow as on wasm: same first-epoch loss within 1e-3 (relative)', async () => {
    const dataset = syntheticDataset(640, 100);
    const config: Hyperparams = { ...quick, epochs: 1, validationFraction: 0, trainSubset: 0 };
    const epochLoss = async (name: BackendName): Promise<number> => {
      const events: TrainerEvent[] = [];
      await train({ config, dataset, backend: await selectBackend(name), emit: (e) => events.push(e) });
      expect(events[0]).toMatchObject({ type: 'started', backend: name });
      const epoch = events.find((e) => e.type === 'epoch');
      return (epoch as Extract<TrainerEvent, { type: 'epoch' }>).trainLoss;
    };
    const onWasm = await epochLoss('wasm');
    const onTensorflow = await epochLoss('tensorflow');
    expect(Math.abs(onTensorflow - onWasm) / onWasm).toBeLessThan(1e-3);
  });

  it('a measured choice between tensorflow and wasm picks the faster and caches both figures', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lenet-measure-')), 'choice.json');
    const key = choiceKey(quick, 1, tf.version.tfjs);
    const measured: Partial<Record<BackendName, number>> = {};
    const options = (cache: ChoiceCache) => ({
      key,
      cache,
      load: (name: BackendName) => selectBackend(name, { threads: 1 }),
      measure: async (backend: { name: BackendName }) =>
        (measured[backend.name] = await measureTrainingSpeed(quick, await selectBackend(backend.name), {
          warmupBatches: 1,
          timedBatches: 2,
        })),
    });
    const choice = await chooseBackend(options(new ChoiceCache(file, () => {})));
    expect(Object.keys(measured).sort()).toEqual(['tensorflow', 'wasm']);
    const faster = measured.tensorflow! > measured.wasm! ? 'tensorflow' : 'wasm';
    expect(choice.backend.name).toBe(faster);
    expect(tf.getBackend()).toBe(faster);
    expect(choice.description).toMatch(
      /chosen by measurement (tensorflow|wasm) [\d,]+ vs (tensorflow|wasm) [\d,]+ img\/s$/,
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).entries[key].backend).toBe(faster);

    for (const k of Object.keys(measured)) delete measured[k as BackendName];
    const again = await chooseBackend(options(new ChoiceCache(file, () => {})));
    expect(measured).toEqual({});
    expect(again.description).toMatch(/\(cached\)$/);
  });
});
