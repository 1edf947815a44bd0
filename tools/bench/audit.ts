/**
 * The label audit's answer time over 60,000 training images (issue 26: under 10 s), through a real
 * database file: one run's margins recorded as the trainer sends them, then `store.audit` (what
 * `audit:list` and `npm run audit` call) timed cold (first read after opening) and warm, for the
 * whole ranking and for a class-pair filter. Also prints the stored size of one run's margins, and
 * the time the window's gallery waits for a page of 50 training images (`audit:images`: read from
 * the training file the run trained on, checked by its hashes), the first time (the file is read and
 * decoded) and after, on the installed FashionMNIST.
 *
 *   npm run bench -- audit [--repeats N] [--out FILE]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../src/core/store';
import { clearFashionMnistCache, DatasetService, loadFashionMnist, SYSTEM_DATASET_DIR } from '../../src/core/dataset';
import { PRESETS } from '../../src/shared/hyperparams';
import { mulberry32 } from '../../src/shared/random';
import type { TrainerEvent } from '../../src/shared/training';
import { writeResults } from './print';
import { quantile, round } from './stats';

const IMAGES = 60_000;
const TARGET_MS = 10_000;

function parse(argv: readonly string[]): { repeats: number; out: string } {
  const options = { repeats: 10, out: resolve('bench-results/audit.json') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--out' && value) options.out = resolve(value);
    else if (flag === '--repeats' && /^[1-9][0-9]*$/.test(value ?? '')) options.repeats = Number(value);
    else throw new Error(`unknown argument ${flag}; usage: npm run bench -- audit [--repeats N] [--out FILE]`);
  }
  return options;
}

/** `audit:images` for 50 indices, cold (the dataset is read) and warm; null without the installed data. */
async function galleryTimes(): Promise<{ coldMs: number; warmP50Ms: number } | null> {
  if (!existsSync(SYSTEM_DATASET_DIR)) return null;
  const scratch = mkdtempSync(join(tmpdir(), 'lenet5-bench-gallery-'));
  try {
    const service = new DatasetService({ cacheDir: scratch, dataDir: () => undefined, systemDir: SYSTEM_DATASET_DIR });
    const { identity } = await loadFashionMnist({ systemDir: SYSTEM_DATASET_DIR, allowDownload: false });
    clearFashionMnistCache();
    const random = mulberry32(50);
    const page = () => Array.from({ length: 50 }, () => Math.floor(random() * IMAGES));
    const timed = async () => {
      const start = performance.now();
      await service.trainImagesOf(identity, page());
      return performance.now() - start;
    };
    const coldMs = await timed();
    const warm: number[] = [];
    for (let r = 0; r < 10; r++) warm.push(await timed());
    return {
      coldMs: round(coldMs, 1),
      warmP50Ms: round(
        quantile(
          warm.sort((a, b) => a - b),
          0.5,
        ),
        1,
      ),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function runAuditBench(argv: readonly string[]): Promise<{ pass: boolean }> {
  const { repeats, out } = parse(argv);
  const dir = mkdtempSync(join(tmpdir(), 'lenet5-bench-audit-'));
  try {
    const file = join(dir, 'studio.db');
    let store = openStore(file);
    const runId = store.createRun({ ...PRESETS.seed });
    const sha = (c: string) => c.repeat(64);
    store.recordEvent(runId, {
      type: 'started',
      backend: 'wasm',
      tfjsVersion: '4.22.0',
      dataset: {
        source: 'user',
        dir: dir,
        sha256: {
          'train-images-idx3-ubyte': sha('1'),
          'train-labels-idx1-ubyte': sha('2'),
          't10k-images-idx3-ubyte': sha('3'),
          't10k-labels-idx1-ubyte': sha('4'),
        },
        official: false,
      },
      trainSize: IMAGES,
      validationSize: 0,
      testSize: 10_000,
      epochs: 10,
      batchesPerEpoch: 1875,
      parameterCount: 61_706,
    } satisfies TrainerEvent);
    const random = mulberry32(26);
    const labels = Uint8Array.from({ length: IMAGES }, () => Math.floor(random() * 10));
    const sums = Float32Array.from({ length: IMAGES }, () => (random() - 0.1) * 40);
    const believed = Uint8Array.from(labels, (l) => (l + 1 + Math.floor(random() * 9)) % 10);
    store.recordEvent(runId, { type: 'margins', epoch: 10, epochs: 10, sums, believed, labels });
    store.close();

    const time = (query: object): number => {
      const start = performance.now();
      store.audit(query);
      return performance.now() - start;
    };
    store = openStore(file);
    const coldMs = time({ runId, top: 50 });
    const whole: number[] = [];
    const pair: number[] = [];
    for (let r = 0; r < repeats; r++) {
      whole.push(time({ runId, top: 50 }));
      pair.push(time({ runId, pair: [6, 0], top: 50 }));
    }
    store.close();
    const result = {
      images: IMAGES,
      coldMs: round(coldMs, 1),
      wholeP50Ms: round(
        quantile(
          [...whole].sort((a, b) => a - b),
          0.5,
        ),
        1,
      ),
      pairP50Ms: round(
        quantile(
          [...pair].sort((a, b) => a - b),
          0.5,
        ),
        1,
      ),
      storedBytesPerRun: IMAGES * (4 + 1 + 1),
      targetMs: TARGET_MS,
      pass: Math.max(coldMs, ...whole, ...pair) < TARGET_MS,
    };
    process.stdout.write(
      `audit of ${IMAGES.toLocaleString('en-US')} images: cold ${result.coldMs} ms, warm p50 ${result.wholeP50Ms} ms, ` +
        `class pair p50 ${result.pairP50Ms} ms (target < ${TARGET_MS} ms: ${result.pass ? 'yes' : 'NO'}); ` +
        `margins stored per run: ${(result.storedBytesPerRun / 1000).toFixed(0)} KB\n`,
    );
    const gallery = await galleryTimes();
    process.stdout.write(
      gallery
        ? `audit gallery, 50 training images: first ${gallery.coldMs} ms (reads the training file), then p50 ${gallery.warmP50Ms} ms\n`
        : `audit gallery: not timed (no FashionMNIST in ${SYSTEM_DATASET_DIR})\n`,
    );
    if (writeResults(out, { ...result, gallery })) process.stdout.write(`results: ${out}\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
