/**
 * Run-store speed and size, against the store's budgets:
 *   listing a page of runs ≤ 20 ms, a page's chosen values (best, at epoch N) ≤ 50 ms, comparing
 *   20 runs ≤ 50 ms, a predictions page ≤ 20 ms, writing one epoch event ≤ 2 ms, one run with its
 *   two prediction sets ≤ 1 MB on disk.
 *
 * The database holds `runs` runs (default 1,000) of `epochs` epochs (default 200) each, with a
 * full per-batch curve (2,000 points), best and final evaluations and their 10,000-row
 * prediction sets. They are recorded through the store's own modules (createRun, recordEvent) in
 * one transaction (see fixtures/bulk-writer.ts); every measured operation goes through the real
 * Store API.
 *
 *   npm run bench -- store [--runs N] [--epochs N] [--dir DIR] [--keep] [--out FILE]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PRESETS } from '../../src/shared/hyperparams';
import { RUN_SORT_COLUMNS } from '../../src/shared/runs';
import type { ListRunsQuery, PredictionsQuery } from '../../src/shared/runs';
import { mulberry32 } from '../../src/shared/random';
import Database from 'better-sqlite3';
import { POPULATION_NOTE_WORD, POPULATION_TAGS, seedRunPopulation } from '../fixtures/run-population';
import { seedRun } from '../fixtures/synthetic-runs';
import { defaultCheckpointRoot, runCheckpointDir } from '../../src/core/paths';
import { MAX_BATCH_POINTS, openBulkWriter, openStore } from '../../src/core/store';
import type { Store } from '../../src/core/store';
import { writeResults, yes } from './print';
import { quantile, round } from './stats';

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

const FOOTPRINT_BUDGET_BYTES = 1_000_000;

function measure(name: string, budgetMs: number, samples: number, fn: (i: number) => void): BenchFigure {
  for (let i = 0; i < Math.min(5, samples); i++) fn(i); // warm the statement cache and page cache
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const medianMs = round(quantile(times, 0.5), 3);
  const p95Ms = round(quantile(times, 0.95), 3);
  return {
    name,
    samples,
    medianMs,
    p95Ms,
    maxMs: round(times[times.length - 1], 3),
    budgetMs,
    pass: p95Ms <= budgetMs,
  };
}

/**
 * Bytes in use (pages minus free pages), in all and per table or index: read with SQLite's own
 * page counts on a read-only connection of the bench's, not through the store.
 */
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

/** Record one run through the real event path into an empty database and measure what it adds. */
function measureOneRun(dir: string, epochs: number): { oneRunBytes: number; byTable: Record<string, number> } {
  const file = join(dir, 'one-run.db');
  openStore(file).close();
  const empty = usedBytes(file);
  const store = openStore(file);
  const runId = seedRun(store, {
    preset: 'seed',
    epochs,
    batchesPerEpoch: 844,
    // The trainer reports every 10th batch by default; the store keeps ≤ 2,000 points anyway.
    batchEvery: 10,
    seed: 7,
    end: 'running',
  });
  store.recordEvent(runId, {
    type: 'checkpoint',
    epoch: epochs,
    role: 'last',
    path: join(runCheckpointDir(defaultCheckpointRoot(file), runId), 'last'),
  });
  store.recordEvent(runId, { type: 'completed', epochs, reason: 'epochs' });
  store.close();
  const full = usedBytes(file);
  const byTable: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(full.byTable)) {
    const delta = bytes - (empty.byTable[name] ?? 0);
    if (delta > 0) byTable[name] = delta;
  }
  return { oneRunBytes: full.used - empty.used, byTable };
}

/** The timed operations, on a store holding `runs` runs. */
function timeOperations(store: Store, runs: number, epochs: number, random: () => number): BenchFigure[] {
  const timings: BenchFigure[] = [];
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
      if (i % 4 === 2) query.tag = POPULATION_TAGS[i % POPULATION_TAGS.length];
      if (i % 4 === 3) query.text = POPULATION_NOTE_WORD;
      if (i % 5 === 0) query.preset = 'custom';
      store.listRuns(query);
    }),
  );
  timings.push(
    measure('compare 20 runs', 50, 100, () => {
      const ids = new Set<number>();
      while (ids.size < Math.min(20, runs)) ids.add(1 + Math.floor(random() * runs));
      store.compareRuns([...ids]);
    }),
  );
  // The Runs table asks this beside each page it lists, whenever the page's epochs or the choice change:
  // 50 runs' epochs read as compare reads 20 runs', so under the same budget.
  timings.push(
    measure("a page of runs' values (best, at epoch N)", 50, 200, (i) => {
      const offset = (i * 37) % Math.max(1, runs - 50);
      const ids = Array.from({ length: Math.min(50, runs) }, (_, k) => 1 + offset + k);
      store.runValues({ ids, metric: 'testAccuracy', value: i % 2 ? 'best' : `epoch:${1 + (i % epochs)}` });
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
  return timings;
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
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });

  try {
    log(`Generating ${runs} runs × ${epochs} epochs in ${file} …`);
    const t0 = performance.now();
    const writer = openBulkWriter(file);
    try {
      writer.transaction(() => seedRunPopulation(writer, runs, epochs, seed));
    } finally {
      writer.close();
    }
    const generateSeconds = round((performance.now() - t0) / 1000, 2);
    const databaseBytes = statSync(file).size;
    log(`  done in ${generateSeconds} s, ${(databaseBytes / 1e6).toFixed(1)} MB`);

    const store: Store = openStore(file);
    let timings: BenchFigure[];
    try {
      timings = timeOperations(store, runs, epochs, mulberry32(seed + 1));
    } finally {
      store.close();
    }

    const one = measureOneRun(dir, epochs);
    const averageRunBytes = Math.round(usedBytes(file).used / runs);
    const footprint = {
      oneRunBytes: one.oneRunBytes,
      averageRunBytes,
      budgetBytes: FOOTPRINT_BUDGET_BYTES,
      pass: one.oneRunBytes <= FOOTPRINT_BUDGET_BYTES && averageRunBytes <= FOOTPRINT_BUDGET_BYTES,
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
    for (const line of formatStoreTable(result)) log(line);
    const out = options.out === undefined ? resolve('bench-results', 'store.json') : options.out;
    if (writeResults(out, result)) log(`\nwrote ${out}`);
    return result;
  } finally {
    if (!options.keep) {
      for (const name of ['bench.db', 'one-run.db'])
        for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, name + suffix), { force: true });
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The store section's table. */
export function formatStoreTable(result: StoreBenchResult): string[] {
  const { timings, footprint } = result;
  const budget = `${footprint.budgetBytes / 1e6} MB`;
  const size = (name: string, bytes: number) =>
    `${name.padEnd(40)}${`${(bytes / 1024).toFixed(0)} KB`.padStart(21)}${budget.padStart(9)}  ${yes(bytes <= footprint.budgetBytes)}`;
  return [
    `${'operation'.padEnd(40)}${'median ms'.padStart(11)}${'p95 ms'.padStart(10)}${'budget'.padStart(9)}  ok`,
    ...timings.map(
      (t) =>
        `${t.name.padEnd(40)}${t.medianMs.toFixed(3).padStart(11)}${t.p95Ms.toFixed(3).padStart(10)}${String(t.budgetMs).padStart(9)}  ${yes(t.pass)}`,
    ),
    size('one run on disk (recorded via events)', footprint.oneRunBytes),
    size('average run on disk (bench database)', footprint.averageRunBytes),
    `  per table: ${Object.entries(footprint.byTable)
      .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`)
      .join(', ')}`,
  ];
}
