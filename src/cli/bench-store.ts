/**
 * Run-store speed and size, against the budgets in the issue:
 *   listing a page of runs ≤ 20 ms, comparing 20 runs ≤ 50 ms, a predictions page ≤ 20 ms,
 *   writing one epoch event ≤ 2 ms, one run with its two prediction sets ≤ 1 MB on disk.
 *
 * The database holds `runs` runs (default 1,000) of `epochs` epochs (default 200) each, with a
 * full per-batch curve (2,000 points), best and final evaluations and their 10,000-row
 * prediction sets. They are bulk-loaded in one transaction through a plain connection (the store
 * creates the schema first); every measured operation goes through the real Store API.
 *
 *   npx tsx src/cli/bench-store.ts [--runs N] [--epochs N] [--dir DIR] [--keep] [--out FILE]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { PRESET_NAMES, PRESETS } from '../shared/hyperparams';
import type { Hyperparams } from '../shared/hyperparams';
import { RUN_SORT_COLUMNS } from '../shared/runs';
import type { ListRunsQuery, PredictionsQuery } from '../shared/runs';
import type { DatasetIdentity } from '../shared/training';
import { MAX_BATCH_POINTS, openStore } from '../main/store/index';
import type { Store } from '../main/store/index';

export interface StoreBenchOptions {
  runs?: number;
  epochs?: number;
  /** Folder for the bench database (default: a new temp folder, removed afterwards). */
  dir?: string;
  /** Keep the database after the bench. */
  keep?: boolean;
  /** Where the JSON results go (default bench-results/store.json under the working directory). */
  out?: string | null;
  /** Print the table (default true). */
  print?: boolean;
  seed?: number;
}

export interface BenchFigure {
  name: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  budgetMs: number;
  pass: boolean;
}

export interface StoreBenchResult {
  when: string;
  node: string;
  platform: string;
  runs: number;
  epochsPerRun: number;
  batchPointsPerRun: number;
  generateSeconds: number;
  databaseBytes: number;
  timings: BenchFigure[];
  footprint: {
    /** One run recorded through recordEvent in an empty database, with both prediction sets. */
    oneRunBytes: number;
    /** Database size divided by the number of runs in the big database. */
    averageRunBytes: number;
    budgetBytes: number;
    pass: boolean;
    byTable: Record<string, number>;
  };
  pass: boolean;
}

const TEST_SIZE = 10_000;
const CLASSES = 10;
const TAGS = ['baseline', 'sweep', 'lr', 'relu', 'paper', 'ablation', 'long', 'wasm'];

/** mulberry32: a tiny seeded PRNG, so two bench runs build the same database. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function measure(name: string, budgetMs: number, samples: number, fn: (i: number) => void): BenchFigure {
  for (let i = 0; i < Math.min(5, samples); i++) fn(i); // warm the statement cache and page cache
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const medianMs = round(percentile(times, 50));
  const p95Ms = round(percentile(times, 95));
  return { name, samples, medianMs, p95Ms, maxMs: round(times[times.length - 1]), budgetMs, pass: p95Ms <= budgetMs };
}

/** Test labels and the SHA-256 their IDX file would have (what DatasetIdentity records). */
function makeLabels(random: () => number): { labels: Uint8Array; sha256: string } {
  const labels = new Uint8Array(TEST_SIZE);
  for (let i = 0; i < TEST_SIZE; i++) labels[i] = Math.floor(random() * CLASSES);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(2049, 0);
  header.writeUInt32BE(TEST_SIZE, 4);
  return { labels, sha256: createHash('sha256').update(header).update(labels).digest('hex') };
}

/** A plausible evaluation: ~88% right, confident when right. */
function makeEvaluation(random: () => number, labels: Uint8Array) {
  const predicted = new Uint8Array(TEST_SIZE);
  const probabilities = new Float32Array(TEST_SIZE * CLASSES);
  const confusion = new Array<number>(CLASSES * CLASSES).fill(0);
  for (let i = 0; i < TEST_SIZE; i++) {
    const p = random() < 0.88 ? labels[i] : Math.floor(random() * CLASSES);
    predicted[i] = p;
    const top = 0.4 + random() * 0.6;
    let rest = 1 - top;
    for (let c = 0; c < CLASSES; c++) {
      if (c === p) continue;
      const share = c === CLASSES - 1 || (p === CLASSES - 1 && c === CLASSES - 2) ? rest : rest * random() * 0.5;
      probabilities[i * CLASSES + c] = share;
      rest -= share;
    }
    probabilities[i * CLASSES + p] = top;
    confusion[labels[i] * CLASSES + p]++;
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (let c = 0; c < CLASSES; c++) {
    let column = 0;
    let row = 0;
    for (let k = 0; k < CLASSES; k++) {
      column += confusion[k * CLASSES + c];
      row += confusion[c * CLASSES + k];
    }
    const tp = confusion[c * CLASSES + c];
    precision.push(column ? tp / column : 0);
    recall.push(row ? tp / row : 0);
    f1.push(precision[c] + recall[c] ? (2 * precision[c] * recall[c]) / (precision[c] + recall[c]) : 0);
  }
  return { predicted, probabilities, confusion, precision, recall, f1 };
}

function quantise(probabilities: Float32Array): Buffer {
  const out = Buffer.alloc(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, probabilities[i])) * 255);
  return out;
}

function configFor(random: () => number, epochs: number): { config: Hyperparams; preset: string | null } {
  const presetName = PRESET_NAMES[Math.floor(random() * PRESET_NAMES.length)];
  const base = structuredClone(PRESETS[presetName]);
  const custom = random() < 0.5;
  const config: Hyperparams = {
    ...base,
    epochs,
    learningRate: custom ? Math.round((0.0005 + random() * 0.01) * 1e5) / 1e5 : base.learningRate,
    batchSize: custom ? [32, 64, 128, 256][Math.floor(random() * 4)] : base.batchSize,
    seed: Math.floor(random() * 1000),
  };
  return { config, preset: custom ? null : presetName };
}

/** Bulk-load `runs` finished runs in one transaction, shaped like what recordEvent writes. */
function generate(
  file: string,
  runs: number,
  epochs: number,
  seed: number,
  labelsSha: string,
  labels: Uint8Array,
): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const random = prng(seed);
  // A handful of distinct prediction sets, reused: SQLite stores each copy in full anyway.
  const evaluations = Array.from({ length: 6 }, () => {
    const e = makeEvaluation(random, labels);
    return { ...e, predictedBlob: Buffer.from(e.predicted), probabilityBlob: quantise(e.probabilities) };
  });
  const insertRun =
    db.prepare(`INSERT INTO runs (name, status, created_at, started_at, finished_at, config_json, preset, optimizer,
      learning_rate, batch_size, epochs, seed, conv_activation, pooling, backend, tfjs_version, dataset_json, dataset_official,
      test_labels_sha256, train_size, validation_size, test_size, batches_per_epoch, parameter_count, notes, error, end_reason,
      best_validation_accuracy, best_test_accuracy, final_test_accuracy, best_epoch, epochs_done)
    VALUES (@name, @status, @createdAt, @createdAt, @finishedAt, @config, @preset, @optimizer, @learningRate, @batchSize, @epochs,
      @seed, @convActivation, @pooling, @backend, '4.22.0', @dataset, 1, @labelsSha, 54000, 6000, 10000, @batchesPerEpoch, 61706,
      @notes, @error, @endReason, @bestValidation, @bestTest, @finalTest, @bestEpoch, @epochsDone)`);
  const insertTag = db.prepare('INSERT INTO run_tags (run_id, tag, position) VALUES (?, ?, ?)');
  const insertEpoch = db.prepare(`INSERT INTO epoch_metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertPoint = db.prepare(`INSERT INTO batch_points VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvaluation =
    db.prepare(`INSERT INTO evaluations (run_id, role, epoch, accuracy, confusion_json, precision_json, recall_json, f1_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`);
  const insertPredictions = db.prepare(`INSERT INTO predictions VALUES (?, ?, 'u8-v1', ?, ?)`);
  const dataset: DatasetIdentity = {
    source: 'system',
    dir: '/usr/share/datasets/fashion-mnist',
    sha256: {
      'train-images-idx3-ubyte': 'a'.repeat(64),
      'train-labels-idx1-ubyte': 'b'.repeat(64),
      't10k-images-idx3-ubyte': 'c'.repeat(64),
      't10k-labels-idx1-ubyte': labelsSha,
    },
    official: true,
  };
  const start = Date.now() - runs * 3_600_000;
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO test_labels VALUES (?, ?, ?)').run(labelsSha, TEST_SIZE, Buffer.from(labels));
    for (let r = 0; r < runs; r++) {
      const { config, preset } = configFor(random, epochs);
      const batchesPerEpoch = Math.ceil(54_000 / config.batchSize);
      const roll = random();
      const status = roll < 0.8 ? 'completed' : roll < 0.9 ? 'stopped' : roll < 0.95 ? 'diverged' : 'failed';
      const ceiling = 0.82 + random() * 0.1;
      let bestEpoch = 1;
      let bestValidation = -1;
      let bestTest = 0;
      let finalTest = 0;
      const metrics: number[][] = [];
      for (let e = 1; e <= epochs; e++) {
        const progress = 1 - Math.exp(-e / 15);
        const testAccuracy = Math.min(0.999, ceiling * progress + (random() - 0.5) * 0.01);
        const validationAccuracy = Math.min(0.999, testAccuracy + (random() - 0.5) * 0.01);
        const loss = 2.3 * (1 - progress) + 0.25 + random() * 0.05;
        metrics.push([
          e,
          loss,
          testAccuracy + 0.02,
          loss + 0.02,
          validationAccuracy,
          loss + 0.03,
          testAccuracy,
          0.001,
          20 + random(),
          3000 + random() * 200,
        ]);
        if (validationAccuracy > bestValidation) {
          bestValidation = validationAccuracy;
          bestEpoch = e;
          bestTest = testAccuracy;
        }
        finalTest = testAccuracy;
      }
      const { lastInsertRowid } = insertRun.run({
        name: `${preset ?? 'custom'} #${r + 1}`,
        status,
        createdAt: start + r * 3_600_000,
        finishedAt: start + r * 3_600_000 + epochs * 21_000,
        config: JSON.stringify(config),
        preset,
        optimizer: config.optimizer,
        learningRate: config.learningRate,
        batchSize: config.batchSize,
        epochs: config.epochs,
        seed: config.seed,
        convActivation: config.model.convActivation,
        pooling: config.model.pooling,
        backend: random() < 0.7 ? 'wasm' : 'tensorflow',
        dataset: JSON.stringify(dataset),
        labelsSha,
        batchesPerEpoch,
        notes: random() < 0.3 ? `note for run ${r + 1}: tried something ${r % 7 === 0 ? 'bold' : 'small'}` : '',
        error:
          status === 'failed' ? 'out of memory' : status === 'diverged' ? 'loss became NaN at epoch 3 batch 17' : null,
        endReason: status === 'completed' ? 'epochs' : status === 'stopped' ? 'stopped' : null,
        bestValidation,
        bestTest,
        finalTest,
        bestEpoch,
        epochsDone: epochs,
      });
      const runId = Number(lastInsertRowid);
      TAGS.filter(() => random() < 0.2).forEach((tag, i) => insertTag.run(runId, tag, i));
      for (const m of metrics) insertEpoch.run(runId, ...m);
      const plannedSteps = epochs * batchesPerEpoch;
      const points = Math.min(MAX_BATCH_POINTS, plannedSteps);
      for (let s = 0; s < points; s++) {
        const step = Math.floor((s * plannedSteps) / points) + 1;
        const samples = Math.max(1, Math.round(plannedSteps / points / 10));
        insertPoint.run(
          runId,
          s,
          step,
          Math.floor((step - 1) / batchesPerEpoch) + 1,
          ((step - 1) % batchesPerEpoch) + 1,
          samples * (0.3 + 2 * Math.exp(-s / 300) + random() * 0.1),
          samples * 0.85,
          samples,
        );
      }
      for (const role of ['best', 'final'] as const) {
        const e = evaluations[Math.floor(random() * evaluations.length)];
        const accuracy = e.confusion.reduce((sum, n, i) => (i % (CLASSES + 1) === 0 ? sum + n : sum), 0) / TEST_SIZE;
        const { id } = insertEvaluation.get(
          runId,
          role,
          role === 'best' ? bestEpoch : epochs,
          accuracy,
          JSON.stringify(e.confusion),
          JSON.stringify(e.precision),
          JSON.stringify(e.recall),
          JSON.stringify(e.f1),
          Date.now(),
        ) as { id: number };
        insertPredictions.run(id, TEST_SIZE, e.predictedBlob, e.probabilityBlob);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function usedBytes(file: string): { used: number; byTable: Record<string, number> } {
  const db = new Database(file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
      name: string;
      bytes: number;
    }[];
    return { used: (pages - free) * pageSize, byTable: Object.fromEntries(rows.map((r) => [r.name, r.bytes])) };
  } finally {
    db.close();
  }
}

/** Record one 200-epoch run through the real event path into an empty database and measure it. */
function measureOneRun(
  dir: string,
  epochs: number,
  labels: Uint8Array,
  labelsSha: string,
): { oneRunBytes: number; byTable: Record<string, number> } {
  const file = join(dir, 'one-run.db');
  const store = openStore(file);
  store.close();
  const empty = usedBytes(file);
  const s = openStore(file);
  const random = prng(7);
  const config: Hyperparams = { ...PRESETS.seed, epochs };
  const runId = s.createRun(config);
  const batchesPerEpoch = 844;
  const dataset: DatasetIdentity = {
    source: 'system',
    dir: join(dir, 'no-such-folder'),
    sha256: {
      'train-images-idx3-ubyte': 'a'.repeat(64),
      'train-labels-idx1-ubyte': 'b'.repeat(64),
      't10k-images-idx3-ubyte': 'c'.repeat(64),
      't10k-labels-idx1-ubyte': labelsSha,
    },
    official: true,
  };
  s.recordEvent(runId, {
    type: 'started',
    backend: 'wasm',
    tfjsVersion: '4.22.0',
    dataset,
    trainSize: 54000,
    validationSize: 6000,
    testSize: TEST_SIZE,
    epochs,
    batchesPerEpoch,
    parameterCount: 61706,
  });
  s.saveTestLabels(labelsSha, labels);
  for (let e = 1; e <= epochs; e++) {
    // The trainer reports every 10th batch by default; the store keeps ≤ 2,000 points anyway.
    for (let b = 10; b <= batchesPerEpoch; b += 10) {
      s.recordEvent(runId, {
        type: 'batch',
        epoch: e,
        batch: b,
        batchesPerEpoch,
        loss: 0.5 + random(),
        accuracy: 0.8 + random() * 0.1,
        imagesPerSec: 3000,
      });
    }
    s.recordEvent(runId, {
      type: 'epoch',
      epoch: e,
      trainLoss: 0.4,
      trainAccuracy: 0.86,
      validationLoss: 0.42,
      validationAccuracy: 0.85 + random() * 0.01,
      testLoss: 0.43,
      testAccuracy: 0.85 + random() * 0.01,
      learningRate: 0.003,
      seconds: 21,
      imagesPerSec: 3000,
    });
  }
  for (const role of ['best', 'final'] as const) {
    const ev = makeEvaluation(random, labels);
    s.recordEvent(runId, { type: 'evaluation', epoch: epochs, role, ...ev });
  }
  s.recordEvent(runId, {
    type: 'checkpoint',
    epoch: epochs,
    role: 'last',
    path: join(dir, 'checkpoints', `run-${runId}`, 'last'),
  });
  s.recordEvent(runId, { type: 'completed', epochs, reason: 'epochs' });
  s.close();
  const full = usedBytes(file);
  const byTable: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(full.byTable)) {
    const delta = bytes - (empty.byTable[name] ?? 0);
    if (delta > 0) byTable[name] = delta;
  }
  return { oneRunBytes: full.used - empty.used, byTable };
}

/** Build the database, time the operations, print a table and write the JSON results. */
export function runStoreBench(options: StoreBenchOptions = {}): StoreBenchResult {
  const runs = options.runs ?? 1000;
  const epochs = options.epochs ?? 200;
  const seed = options.seed ?? 1;
  const print = options.print ?? true;
  const log = (line: string) => print && process.stdout.write(`${line}\n`);
  const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), 'lenet5-store-bench-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bench.db');
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const random = prng(seed + 1);
  const { labels, sha256: labelsSha } = makeLabels(prng(seed + 2));

  try {
    openStore(file).close(); // schema via the real migrations
    log(`Generating ${runs} runs × ${epochs} epochs in ${file} …`);
    const t0 = performance.now();
    generate(file, runs, epochs, seed, labelsSha, labels);
    const generateSeconds = Math.round((performance.now() - t0) / 10) / 100;
    const databaseBytes = statSync(file).size;
    log(`  done in ${generateSeconds} s, ${(databaseBytes / 1e6).toFixed(1)} MB`);

    const store: Store = openStore(file);
    const timings: BenchFigure[] = [];
    try {
      const statuses = ['completed', 'stopped', 'failed'] as const;
      timings.push(
        measure('list a page of runs (sort + filters)', 20, 200, (i) => {
          const query: ListRunsQuery = {
            sort: RUN_SORT_COLUMNS[i % RUN_SORT_COLUMNS.length],
            direction: i % 2 ? 'asc' : 'desc',
            limit: 50,
            offset: (i * 37) % Math.max(1, runs - 50),
          };
          if (i % 4 === 1) query.status = statuses[i % 3];
          if (i % 4 === 2) query.tag = TAGS[i % TAGS.length];
          if (i % 4 === 3) query.text = 'bold';
          if (i % 5 === 0) query.preset = 'custom';
          store.listRuns(query);
        }),
      );
      timings.push(
        measure('compare 20 runs', 50, 100, () => {
          const ids = new Set<number>();
          while (ids.size < 20) ids.add(1 + Math.floor(random() * runs));
          store.compareRuns([...ids]);
        }),
      );
      timings.push(
        measure('predictions page (filter + sort)', 20, 200, (i) => {
          const query: PredictionsQuery = {
            runId: 1 + Math.floor(random() * runs),
            role: i % 2 ? 'best' : 'final',
            limit: 100,
            offset: (i % 5) * 100,
          };
          if (i % 3 === 0) query.correct = false;
          if (i % 3 === 1) query.trueClass = i % 10;
          query.sort = (['confidence-asc', 'confidence-desc', 'index'] as const)[i % 3];
          store.predictions(query);
        }),
      );
      timings.push(
        measure('get one run (detail)', 20, 100, () => {
          store.getRun(1 + Math.floor(random() * runs));
        }),
      );
      const liveRun = store.createRun({ ...PRESETS.seed, epochs });
      let epoch = 0;
      timings.push(
        measure('write one epoch event', 2, epochs - 5, () => {
          epoch++;
          store.recordEvent(liveRun, {
            type: 'epoch',
            epoch,
            trainLoss: 0.4,
            trainAccuracy: 0.86,
            validationLoss: 0.42,
            validationAccuracy: 0.85 + random() * 0.01,
            testLoss: 0.43,
            testAccuracy: 0.85,
            learningRate: 0.003,
            seconds: 21,
            imagesPerSec: 3000,
          });
        }),
      );
      let step = 0;
      timings.push(
        measure('write one batch event', 2, 500, () => {
          step++;
          store.recordEvent(liveRun, {
            type: 'batch',
            epoch: 1 + Math.floor(step / 844),
            batch: 1 + (step % 844),
            batchesPerEpoch: 844,
            loss: 0.5,
            accuracy: 0.8,
            imagesPerSec: 3000,
          });
        }),
      );
      store.recordEvent(liveRun, { type: 'stopped', epochs: epoch });
    } finally {
      store.close();
    }

    const one = measureOneRun(dir, epochs, labels, labelsSha);
    const averageRunBytes = Math.round(usedBytes(file).used / runs);
    const footprint = {
      oneRunBytes: one.oneRunBytes,
      averageRunBytes,
      budgetBytes: 1_000_000,
      pass: one.oneRunBytes <= 1_000_000 && averageRunBytes <= 1_000_000,
      byTable: one.byTable,
    };
    const result: StoreBenchResult = {
      when: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      runs,
      epochsPerRun: epochs,
      batchPointsPerRun: MAX_BATCH_POINTS,
      generateSeconds,
      databaseBytes,
      timings,
      footprint,
      pass: timings.every((t) => t.pass) && footprint.pass,
    };

    log('');
    log(`${'operation'.padEnd(40)}${'median ms'.padStart(11)}${'p95 ms'.padStart(10)}${'budget'.padStart(9)}  ok`);
    for (const t of timings)
      log(
        `${t.name.padEnd(40)}${t.medianMs.toFixed(3).padStart(11)}${t.p95Ms.toFixed(3).padStart(10)}${String(t.budgetMs).padStart(9)}  ${t.pass ? 'yes' : 'NO'}`,
      );
    log(
      `${'one run on disk (recorded via events)'.padEnd(40)}${`${(one.oneRunBytes / 1024).toFixed(0)} KB`.padStart(21)}${'1 MB'.padStart(9)}  ${one.oneRunBytes <= 1e6 ? 'yes' : 'NO'}`,
    );
    log(
      `${'average run on disk (bench database)'.padEnd(40)}${`${(averageRunBytes / 1024).toFixed(0)} KB`.padStart(21)}${'1 MB'.padStart(9)}  ${averageRunBytes <= 1e6 ? 'yes' : 'NO'}`,
    );
    log(
      `  per table: ${Object.entries(one.byTable)
        .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`)
        .join(', ')}`,
    );

    const out = options.out === undefined ? resolve('bench-results', 'store.json') : options.out;
    if (out) {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      log(`\nwrote ${out}`);
    }
    return result;
  } finally {
    if (!options.keep) {
      for (const name of ['bench.db', 'one-run.db'])
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, name + suffix), { force: true });
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

function parseBenchArgs(argv: readonly string[]): StoreBenchOptions {
  const opts: StoreBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    };
    if (arg === '--runs') opts.runs = Number.parseInt(next(), 10);
    else if (arg === '--epochs') opts.epochs = Number.parseInt(next(), 10);
    else if (arg === '--dir') opts.dir = next();
    else if (arg === '--out') opts.out = resolve(next());
    else if (arg === '--keep') opts.keep = true;
    else
      throw new Error(
        `unknown argument ${arg}; usage: bench-store [--runs N] [--epochs N] [--dir DIR] [--keep] [--out FILE]`,
      );
  }
  for (const [key, value] of Object.entries({ runs: opts.runs, epochs: opts.epochs })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw new Error(`--${key} must be a positive integer`);
  }
  return opts;
}

/** CLI entry: exit code 0 when every budget is met, 1 otherwise. */
export function runStoreBenchCli(argv: readonly string[]): number {
  return runStoreBench(parseBenchArgs(argv)).pass ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runStoreBenchCli(process.argv.slice(2));
}
