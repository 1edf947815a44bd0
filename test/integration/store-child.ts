/**
 * A separate process for the store fault tests (run with `node --import tsx`):
 *   train <db>     create a run it owns and record batches and epochs forever, printing
 *                  "epoch N" after each committed epoch (the test SIGKILLs it mid-epoch)
 *   hold <db>      create a running run, print "ready <id>", then idle until killed
 *   readonly <db>  open the database (expected read-only) and print what works as JSON
 */
import { openStore, StoreError } from '../../src/core/store/index';
import { PRESETS } from '../../src/shared/hyperparams';
import type { TrainerEvent } from '../../src/shared/training';

const [mode, db] = process.argv.slice(2);

const started: TrainerEvent = {
  type: 'started',
  backend: 'cpu',
  tfjsVersion: '4.22.0',
  dataset: {
    source: 'user',
    dir: '/nonexistent',
    sha256: {
      'train-images-idx3-ubyte': 'a'.repeat(64),
      'train-labels-idx1-ubyte': 'b'.repeat(64),
      't10k-images-idx3-ubyte': 'c'.repeat(64),
      't10k-labels-idx1-ubyte': 'd'.repeat(64),
    },
    official: false,
  },
  trainSize: 1000,
  validationSize: 0,
  testSize: 10000,
  epochs: 1000,
  batchesPerEpoch: 200,
  parameterCount: 61706,
};

function describeError(error: unknown) {
  return error instanceof StoreError
    ? { code: error.code, message: error.message }
    : { code: 'other', message: String(error) };
}

if (mode === 'train') {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const store = openStore(db);
  const id = store.createRun({ ...PRESETS.quick, epochs: 1000 }, { name: 'killed mid-epoch' });
  store.recordEvent(id, started);
  process.stdout.write(`run ${id}\n`);
  for (let epoch = 1; ; epoch++) {
    for (let batch = 1; batch <= 200; batch++) {
      // ~0.2 ms of "training" per batch, so an epoch lasts ~50 ms and a kill lands inside one.
      Atomics.wait(pause, 0, 0, 0.2);
      store.recordEvent(id, {
        type: 'batch',
        epoch,
        batch,
        batchesPerEpoch: 200,
        loss: 1 / (epoch + batch),
        accuracy: 0.5,
        imagesPerSec: 1000,
      });
    }
    store.recordEvent(id, {
      type: 'epoch',
      epoch,
      trainLoss: 1 / epoch,
      trainAccuracy: 0.5,
      validationLoss: null,
      validationAccuracy: null,
      testLoss: 1 / epoch,
      testAccuracy: 0.5 + epoch / 10_000,
      learningRate: 0.005,
      seconds: 0.01,
      imagesPerSec: 1000,
    });
    process.stdout.write(`epoch ${epoch}\n`);
  }
} else if (mode === 'hold') {
  const store = openStore(db);
  const id = store.createRun(PRESETS.quick, { name: 'held by a live process' });
  store.recordEvent(id, started);
  process.stdout.write(`ready ${id}\n`);
  setInterval(() => {}, 1000);
} else if (mode === 'readonly') {
  const result: Record<string, unknown> = {};
  try {
    const store = openStore(db);
    result.readonly = store.readonly;
    result.snapshot = store.snapshot;
    result.uid = process.getuid?.();
    result.total = store.listRuns().total;
    result.firstName = store.getRun(1).name;
    try {
      store.createRun(PRESETS.quick);
      result.write = 'succeeded';
    } catch (error) {
      result.write = describeError(error);
    }
    try {
      store.updateRun(1, { notes: 'changed' });
      result.update = 'succeeded';
    } catch (error) {
      result.update = describeError(error);
    }
    store.close();
  } catch (error) {
    result.open = describeError(error);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
