import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/core/store/index';
import type { Store } from '../../src/core/store/index';
import { PRESETS } from '../../src/shared/hyperparams';
import { RUN_SORT_COLUMNS, listRunsQuerySchema, predictionsQuerySchema } from '../../src/shared/runs';
import type { TrainerEvent } from '../../src/shared/training';
import { config, epochEvent, evaluationEvent, makeLabels, startedEvent, tempDir } from './store-fixtures';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return (error as StoreError).code;
  }
  return 'no error';
}

const { labels, sha256 } = makeLabels();

/** Six runs with known figures: ids 1–6. */
function seed(store: Store): number[] {
  const specs = [
    {
      cfg: structuredClone(PRESETS.seed),
      preset: 'seed' as const,
      name: 'alpha',
      tags: ['baseline'],
      notes: 'the seed network',
      acc: [0.6, 0.7],
      status: 'completed',
    },
    {
      cfg: structuredClone(PRESETS.modern),
      preset: 'modern' as const,
      name: 'beta',
      tags: ['relu', 'baseline'],
      notes: '',
      acc: [0.8, 0.9, 0.88],
      status: 'completed',
    },
    {
      cfg: config({ learningRate: 0.01 }),
      name: 'gamma 100%_done',
      tags: [],
      notes: "O'Brien said; DROP TABLE runs; --",
      acc: [0.5],
      status: 'failed',
    },
    {
      cfg: config({ optimizer: 'sgd' }),
      name: 'Ärger',
      tags: ['sweep'],
      notes: 'ÜBER notes',
      acc: [],
      status: 'queued',
    },
    { cfg: config({ batchSize: 128 }), name: 'delta', tags: ['sweep'], notes: '', acc: [0.4, 0.45], status: 'stopped' },
    {
      cfg: config({ model: { ...PRESETS.quick.model, pooling: 'max' } }),
      name: 'epsilon',
      tags: [],
      notes: '',
      acc: [0.3],
      status: 'running',
    },
  ];
  return specs.map((s, i) => {
    const id = store.createRun(s.cfg, { name: s.name, preset: s.preset, tags: s.tags, notes: s.notes });
    if (s.status === 'queued') return id;
    store.recordEvent(id, {
      ...startedEvent(sha256, { official: i !== 4 }),
      backend: i === 1 ? 'tensorflow' : 'wasm',
      testLabels: labels,
    } as TrainerEvent);
    s.acc.forEach((a, e) => store.recordEvent(id, epochEvent(e + 1, a)));
    if (s.status === 'completed') {
      store.recordEvent(
        id,
        evaluationEvent('best', s.acc.length, labels, (k) => k % (i + 2) === 0),
      );
      store.recordEvent(
        id,
        evaluationEvent('final', s.acc.length, labels, (k) => k % (i + 3) === 0),
      );
      store.recordEvent(id, { type: 'completed', epochs: s.acc.length, reason: 'epochs' });
    }
    if (s.status === 'failed') store.recordEvent(id, { type: 'failed', error: 'boom' });
    if (s.status === 'stopped') store.recordEvent(id, { type: 'stopped', epochs: s.acc.length });
    return id;
  });
}

describe('run queries', () => {
  let dir: string;
  let store: Store;
  let ids: number[];
  beforeAll(() => {
    dir = tempDir();
    store = openStore(join(dir, 'studio.db'), { checkpointRoot: join(dir, 'checkpoints') });
    ids = seed(store);
  });
  afterAll(() => store.close());

  describe('listRuns', () => {
    it('pages, totals and sorts by any whitelisted column (nulls last, ties by id)', () => {
      const page = store.listRuns({ sort: 'bestTestAccuracy', direction: 'desc', limit: 2 });
      expect(page.total).toBe(6);
      expect(page.rows.map((r) => r.name)).toEqual(['beta', 'alpha']);
      const asc = store.listRuns({ sort: 'bestTestAccuracy', direction: 'asc' });
      expect(asc.rows.map((r) => r.name)).toEqual(['epsilon', 'delta', 'gamma 100%_done', 'alpha', 'beta', 'Ärger']);
      expect(store.listRuns({ sort: 'name', direction: 'asc', limit: 2, offset: 2 }).rows.map((r) => r.name)).toEqual([
        'delta',
        'epsilon',
      ]);
      expect(store.listRuns().rows.map((r) => r.id)).toEqual([...ids].reverse()); // default: newest first
      for (const sort of RUN_SORT_COLUMNS) expect(store.listRuns({ sort }).total).toBe(6);
    });

    it('sorts by duration: finished runs by their span, a running run up to now, queued last', () => {
      const d = tempDir();
      const s = openStore(join(d, 'studio.db'));
      try {
        const [short, long, running, queued] = [0, 1, 2, 3].map((i) => s.createRun(config(), { name: `r${i}` }));
        const db = new Database(join(d, 'studio.db'));
        const now = Date.now();
        const span = db.prepare('UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?');
        span.run(now - 60_000, now - 50_000, short); // 10 s
        span.run(now - 600_000, now - 300_000, long); // 300 s
        span.run(now - 120_000, null, running); // 120 s so far
        db.close();
        const order = (direction: 'asc' | 'desc') => s.listRuns({ sort: 'duration', direction }).rows.map((r) => r.id);
        expect(order('asc')).toEqual([short, running, long, queued]);
        expect(order('desc')).toEqual([long, running, short, queued]);
      } finally {
        s.close();
      }
    });

    it('filters by status, preset, tag, backend and text', () => {
      const names = (q: Parameters<Store['listRuns']>[0]) =>
        store.listRuns({ ...q, sort: 'id', direction: 'asc' }).rows.map((r) => r.name);
      expect(names({ status: 'completed' })).toEqual(['alpha', 'beta']);
      expect(names({ status: ['failed', 'stopped'] })).toEqual(['gamma 100%_done', 'delta']);
      expect(names({ preset: 'modern' })).toEqual(['beta']);
      expect(names({ preset: 'custom' })).toEqual(['gamma 100%_done', 'Ärger', 'delta', 'epsilon']);
      expect(names({ tag: 'baseline' })).toEqual(['alpha', 'beta']);
      expect(names({ backend: 'tensorflow' })).toEqual(['beta']);
      expect(names({ text: 'SEED' })).toEqual(['alpha']); // notes, case-insensitive
      expect(names({ text: 'über' })).toEqual(['Ärger']); // non-ASCII case folding
      expect(names({ text: 'ärg' })).toEqual(['Ärger']);
      expect(names({ tag: 'sweep', status: 'stopped' })).toEqual(['delta']);
      expect(store.listRuns({ status: 'completed', limit: 1 }).total).toBe(2);
    });

    it('treats SQL-like and wildcard text as plain text', () => {
      const names = (text: string) => store.listRuns({ text }).rows.map((r) => r.name);
      expect(names('%')).toEqual(['gamma 100%_done']);
      expect(names('_')).toEqual(['gamma 100%_done']);
      expect(names("' OR 1=1 --")).toEqual([]);
      expect(names('DROP TABLE runs;')).toEqual(['gamma 100%_done']);
      expect(names("O'Brien")).toEqual(['gamma 100%_done']);
      expect(store.listRuns({ tag: "baseline' OR '1'='1" }).total).toBe(0);
      expect(store.listRuns().total).toBe(6);
    });

    it('refuses unknown sort columns and bad paging with clear errors', () => {
      expect(() => store.listRuns({ sort: 'created_at; DROP TABLE runs' as never })).toThrow(
        /unknown sort column "created_at; DROP TABLE runs"; sortable columns: id, name/,
      );
      expect(codeOf(() => store.listRuns({ sort: 'owner_pid' as never }))).toBe('invalid-input');
      expect(codeOf(() => store.listRuns({ limit: 0 }))).toBe('invalid-input');
      expect(codeOf(() => store.listRuns({ offset: -1 }))).toBe('invalid-input');
      expect(codeOf(() => store.listRuns({ status: 'done' as never }))).toBe('invalid-input');
      expect(codeOf(() => store.listRuns({ extra: 1 } as never))).toBe('invalid-input');
      expect(listRunsQuerySchema.safeParse({ sort: 'name' }).success).toBe(true);
    });
  });

  describe('getRun and invalid ids', () => {
    it('returns configuration, series, evaluations and checkpoints', () => {
      const run = store.getRun(ids[1]);
      expect(run.config).toEqual(PRESETS.modern);
      expect(run.epochMetrics.map((m) => m.testAccuracy)).toEqual([0.8, 0.9, 0.88]);
      expect(run.evaluations.map((e) => e.role)).toEqual(['best', 'final']);
      expect(run.datasetOfficial).toBe(true);
      expect(store.getRun(ids[4]).datasetOfficial).toBe(false);
    });

    it('refuses non-integer, negative, non-number and unknown ids', () => {
      expect(codeOf(() => store.getRun(1.5))).toBe('invalid-input');
      expect(codeOf(() => store.getRun(-3))).toBe('invalid-input');
      expect(codeOf(() => store.getRun(0))).toBe('invalid-input');
      expect(codeOf(() => store.getRun(Number.NaN))).toBe('invalid-input');
      expect(codeOf(() => store.getRun('1' as never))).toBe('invalid-input');
      expect(codeOf(() => store.getRun('1; DROP TABLE runs' as never))).toBe('invalid-input');
      expect(() => store.getRun(4242)).toThrow('Run 4242 does not exist.');
      expect(codeOf(() => store.getRun(4242))).toBe('not-found');
      expect(() => store.getRun(-3)).toThrow(/positive integer run id \(got -3\)/);
    });
  });

  describe('compareRuns', () => {
    it('does not count a field a configuration ignores as a difference', () => {
      const a = store.createRun({ ...PRESETS.quick, lrSchedule: 'cosine', lrStepEpochs: 3 });
      const b = store.createRun({ ...PRESETS.quick, lrSchedule: 'cosine', lrStepEpochs: 7 });
      const c = store.createRun({ ...PRESETS.quick, lrSchedule: 'step', lrStepEpochs: 7 });
      const step = (runs: number[]) => store.compareRuns(runs).config.find((f) => f.key === 'lrStepEpochs')!;
      // Step size under a cosine schedule is unused: two cosine runs do not differ in it.
      expect(step([a, b])).toMatchObject({ values: [3, 7], used: [false, false], differs: false });
      expect(step([a, c])).toMatchObject({ used: [false, true], differs: false });
      expect(store.compareRuns([a, c]).config.find((f) => f.key === 'lrSchedule')!.differs).toBe(true);
      for (const id of [a, b, c]) {
        store.recordEvent(id, { type: 'stopped', epochs: 0 });
        store.deleteRun(id);
      }
    });

    it('marks differing (flattened) config fields and aligns series by epoch', () => {
      const result = store.compareRuns([ids[0], ids[1], ids[2]]);
      expect(result.runs.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma 100%_done']);
      const field = (key: string) => result.config.find((f) => f.key === key)!;
      const used = [true, true, true];
      expect(field('model.pooling')).toEqual({
        key: 'model.pooling',
        values: ['avg', 'max', 'avg'],
        used,
        differs: true,
      });
      expect(field('optimizer')).toEqual({ key: 'optimizer', values: ['adam', 'adam', 'adam'], used, differs: false });
      expect(field('learningRate').differs).toBe(true);
      expect(result.epochs).toEqual([1, 2, 3]);
      expect(result.series[0].testAccuracy).toEqual([0.6, 0.7, null]);
      expect(result.series[1].testAccuracy).toEqual([0.8, 0.9, 0.88]);
      expect(result.series[2].testAccuracy).toEqual([0.5, null, null]);
      expect(result.best).toEqual([
        { runId: ids[0], bestEpoch: 2, bestTestAccuracy: 0.7 },
        { runId: ids[1], bestEpoch: 2, bestTestAccuracy: 0.9 },
        { runId: ids[2], bestEpoch: 1, bestTestAccuracy: 0.5 },
      ]);
    });

    it('needs 2–20 distinct, existing runs', () => {
      expect(codeOf(() => store.compareRuns([ids[0]]))).toBe('invalid-input');
      expect(codeOf(() => store.compareRuns([ids[0], ids[0]]))).toBe('invalid-input');
      expect(codeOf(() => store.compareRuns(Array.from({ length: 21 }, (_, i) => i + 1)))).toBe('invalid-input');
      expect(() => store.compareRuns([ids[0], 777, 778])).toThrow('Runs 777, 778 do not exist.');
    });
  });

  describe('confusion matrices', () => {
    it('returns a run’s matrix and the b − a difference', () => {
      const a = store.confusion(ids[0], 'final');
      expect(a.matrix).toHaveLength(100);
      expect(a.matrix.reduce((s, n) => s + n, 0)).toBe(10_000);
      expect(a.classNames[9]).toBe('Ankle boot');
      const diff = store.confusionDiff({ a: ids[0], b: ids[1], role: 'final' });
      const b = store.confusion(ids[1], 'final');
      expect(diff.matrix).toEqual(b.matrix.map((v, i) => v - a.matrix[i]));
      expect(diff.accuracy).toBeCloseTo(b.accuracy - a.accuracy, 10);
      expect(codeOf(() => store.confusion(ids[2], 'best'))).toBe('not-found');
      expect(codeOf(() => store.confusion(ids[0], 'worst' as never))).toBe('invalid-input');
      expect(codeOf(() => store.confusionDiff({ a: ids[0], b: ids[0], role: 'final' }))).toBe('invalid-input');
    });
  });

  describe('predictions', () => {
    it('filters by true/predicted class and correctness, sorts by confidence, pages', () => {
      const run = ids[0]; // final: wrong where i % 3 === 0, predicted (label+1)%10; confidence rises with i
      const all = store.predictions({ runId: run, role: 'final', limit: 5 });
      expect(all.total).toBe(10_000);
      expect(all.labels).toBe(true);
      expect(all.rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
      const row = all.rows[1];
      expect(row).toMatchObject({ index: 1, trueClass: labels[1], predictedClass: labels[1] });
      expect(row.probabilities).toHaveLength(10);
      expect(row.confidence).toBeCloseTo(0.3, 2);
      expect(row.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 1);

      const wrong = store.predictions({ runId: run, role: 'final', correct: false, limit: 1000 });
      expect(wrong.total).toBe(3334);
      expect(wrong.rows).toHaveLength(1000);
      expect(wrong.rows.every((r) => r.index % 3 === 0 && r.predictedClass !== r.trueClass)).toBe(true);

      const cls = store.predictions({ runId: run, role: 'final', trueClass: 4, predictedClass: 5, limit: 1000 });
      // Wrong (3 | i) with label 4, predicted 4 + 1: exactly those indices of the seeded labels.
      const fourAsFive = [...labels].flatMap((label, i) => (i % 3 === 0 && label === 4 ? [i] : []));
      expect(fourAsFive.length).toBeGreaterThan(0);
      expect(cls.rows.map((r) => r.index)).toEqual(fourAsFive);
      expect(cls.rows.every((r) => r.trueClass === 4 && r.predictedClass === 5)).toBe(true);
      expect(cls.total).toBe(fourAsFive.length);

      const low = store.predictions({ runId: run, role: 'final', correct: false, sort: 'confidence-asc', limit: 3 });
      expect(low.rows.map((r) => r.index)).toEqual([0, 3, 6]);
      const high = store.predictions({ runId: run, role: 'final', sort: 'confidence-desc', limit: 2 });
      expect(high.rows[0].confidence).toBeGreaterThanOrEqual(high.rows[1].confidence);
      expect(high.rows[0].index).toBeGreaterThan(9_900);
      const picked = store.predictions({ runId: run, role: 'final', indices: [9_999, 3, 4, 3], correct: false });
      expect(picked.rows.map((r) => r.index)).toEqual([3, 9_999]); // a set, in index order, still filtered
      expect(picked.total).toBe(2);
      expect(codeOf(() => store.predictions({ runId: run, role: 'final', indices: [-1] }))).toBe('invalid-input');
      const page2 = store.predictions({ runId: run, role: 'final', correct: true, offset: 10, limit: 10 });
      expect(page2.rows[0].index).toBe(
        store.predictions({ runId: run, role: 'final', correct: true, limit: 11 }).rows[10].index,
      );
    });

    it('refuses bad queries and runs without predictions', () => {
      expect(codeOf(() => store.predictions({ runId: ids[0], role: 'final', trueClass: 10 }))).toBe('invalid-input');
      expect(codeOf(() => store.predictions({ runId: ids[0], role: 'final', sort: 'random' as never }))).toBe(
        'invalid-input',
      );
      expect(codeOf(() => store.predictions({ runId: ids[0], role: 'final', limit: 5000 }))).toBe('invalid-input');
      expect(codeOf(() => store.predictions({ runId: ids[2], role: 'final' }))).toBe('not-found');
      expect(predictionsQuerySchema.parse({ runId: 1, role: 'best' })).toMatchObject({
        sort: 'index',
        limit: 100,
        offset: 0,
      });
    });

    it('lists test images one run got right and the other wrong', () => {
      const d = store.disagreements({ a: ids[0], b: ids[1], role: 'final' }); // wrong: i%3==0 vs i%4==0
      // From the seeded predictions: a right and b wrong where 4 | i but not 3 | i, and so on.
      const indices = Array.from({ length: 10_000 }, (_, i) => i);
      // Each list leads with the wrong run's surest mistakes: the fixture's confidence of image i is
      // 0.3 + 0.6·i/10,000, stored as round(p × 65535); equal values keep index order.
      const storedConfidence = (i: number) => Math.round(Math.fround(0.3 + 0.6 * (i / 10_000)) * 65535);
      const surestFirst = (list: number[]) =>
        [...list].sort((x, y) => storedConfidence(y) - storedConfidence(x) || x - y);
      expect(d.onlyA).toHaveLength(1666); // 2,500 multiples of 4, less the 834 of 12
      expect(d.onlyA).toEqual(surestFirst(indices.filter((i) => i % 4 === 0 && i % 3 !== 0)));
      expect(d.onlyB).toHaveLength(2500); // 3,334 multiples of 3, less the 834 of 12
      expect(d.onlyB).toEqual(surestFirst(indices.filter((i) => i % 3 === 0 && i % 4 !== 0)));
      expect(d.onlyB[0]).toBeGreaterThan(9900); // the last images are the most confident
      expect(d.bothWrong).toBe(834); // multiples of 12 below 10,000
      expect(d.bothRight).toBe(5000);
    });
  });

  describe('editing, exporting', () => {
    it('renames, annotates and retags', () => {
      const updated = store.updateRun(ids[4], { name: '  renamed  ', notes: 'n', tags: ['x', 'y'] });
      expect(updated).toMatchObject({ name: 'renamed', notes: 'n', tags: ['x', 'y'] });
      expect(store.listRuns({ tag: 'sweep' }).rows.map((r) => r.name)).toEqual(['Ärger']);
      expect(codeOf(() => store.updateRun(ids[4], {}))).toBe('invalid-input');
      expect(codeOf(() => store.updateRun(ids[4], { name: '' }))).toBe('invalid-input');
      expect(codeOf(() => store.updateRun(999, { name: 'x' }))).toBe('not-found');
    });

    it('exports runs as JSON and metrics as CSV', () => {
      const doc = JSON.parse(store.exportRuns([ids[0], ids[2]], 'json').text);
      expect(doc.format).toBe('lenet5-studio/runs');
      expect(doc.runs.map((r: { name: string }) => r.name)).toEqual(['alpha', 'gamma 100%_done']);
      expect(doc.runs[0].epochMetrics).toHaveLength(2);
      expect(doc.runs[0].evaluations[0].confusion).toHaveLength(100);
      const csv = store.exportRuns([ids[0], ids[2]], 'csv').text;
      const lines = csv.trimEnd().split('\r\n');
      // The metrics, then the run's configuration under the CLI's names (issue 25 item 5).
      expect(lines[0]).toBe(
        'run_id,run_name,epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,test_loss,test_accuracy,learning_rate,seconds,images_per_sec,' +
          'preset,architecture,output,conv_activation,dense_activation,pooling,c5,input_size,c1_maps,c3_maps,c5_units,f6_units,batch_norm,dropout,epochs,batch_size,optimizer,lr,momentum,lr_schedule,lr_step_epochs,lr_gamma,weight_decay,label_smoothing,seed,validation_fraction,train_subset,shift,flip,exclude_marked,patience',
      );
      expect(lines).toHaveLength(4);
      const c = store.getRun(ids[0]).config;
      const configCells = [
        ...[c.model.architecture, c.model.output],
        ...[c.model.convActivation, c.model.denseActivation, c.model.pooling, c.model.c5, c.model.inputSize],
        ...[c.model.c1Maps, c.model.c3Maps, c.model.c5Units, c.model.f6Units, c.model.batchNorm, c.model.dropout],
        ...[c.epochs, c.batchSize, c.optimizer, c.learningRate, c.momentum, c.lrSchedule, c.lrStepEpochs, c.lrGamma],
        ...[c.weightDecay, c.labelSmoothing, c.seed, c.validationFraction, c.trainSubset],
        ...[c.augmentShift, c.augmentFlip, c.excludeMarked, c.earlyStoppingPatience],
      ];
      expect(lines[1]).toBe(
        `${ids[0]},alpha,1,1,0.61,1.1,0.6,1.2,0.6,0.005,3.5,1700,${store.getRun(ids[0]).preset ?? 'custom'},${configCells.join(',')}`,
      );
      expect(lines[3].startsWith(`${ids[2]},gamma 100%_done,1,`)).toBe(true);
      expect(codeOf(() => store.exportRuns([], 'json').text)).toBe('invalid-input');
      expect(codeOf(() => store.exportRuns([ids[0], 31337], 'csv').text)).toBe('not-found');
    });

    it('quotes CSV text and defuses spreadsheet formulas', () => {
      const id = store.createRun(config(), { name: '=HYPERLINK("http://evil","x"), a' });
      store.recordEvent(id, epochEvent(1, 0.5));
      store.recordEvent(id, { type: 'stopped', epochs: 1 });
      const line = store.exportRuns([id], 'csv').text.split('\r\n')[1];
      expect(line.startsWith(`${id},"'=HYPERLINK(""http://evil"",""x""), a",1,`)).toBe(true);
      store.deleteRun(id);
    });
  });
});

describe('deleteRun', () => {
  it('deletes the run, its rows and its checkpoint folder inside the root, never a folder outside', () => {
    const dir = tempDir();
    const root = join(dir, 'checkpoints');
    const store = openStore(join(dir, 'studio.db'), { checkpointRoot: root });
    const id = store.createRun(config());
    const inside = join(root, `run-${id}`);
    mkdirSync(join(inside, 'best'), { recursive: true });
    writeFileSync(join(inside, 'best', 'model.json'), '{}');
    const outside = join(dir, 'elsewhere', 'last');
    mkdirSync(outside, { recursive: true });
    store.recordEvent(id, epochEvent(1, 0.5));
    store.recordEvent(
      id,
      evaluationEvent('final', 1, labels, () => false),
    );
    store.recordEvent(id, { type: 'checkpoint', epoch: 1, role: 'best', path: join(inside, 'best') });
    store.recordEvent(id, { type: 'checkpoint', epoch: 1, role: 'last', path: outside });
    const keep = store.createRun(config());
    mkdirSync(join(root, `run-${keep}`), { recursive: true });

    // A run that is still queued or running (owned by this live process) cannot be deleted.
    expect(codeOf(() => store.deleteRun(id))).toBe('conflict');
    expect(existsSync(inside)).toBe(true);
    store.recordEvent(id, { type: 'completed', epochs: 1, reason: 'epochs' });
    const result = store.deleteRun(id);
    expect(result).toEqual({ id, removedPaths: [inside], keptPaths: [outside] });
    expect(existsSync(inside)).toBe(false);
    expect(existsSync(outside)).toBe(true);
    expect(existsSync(join(root, `run-${keep}`))).toBe(true);
    expect(codeOf(() => store.getRun(id))).toBe('not-found');
    expect(store.listRuns().total).toBe(1);
    expect(store.integrityCheck()).toBe('ok');
    expect(codeOf(() => store.deleteRun(id))).toBe('not-found');
    expect(codeOf(() => store.deleteRun(-1))).toBe('invalid-input');
    store.close();
  });

  it('does not follow a checkpoint path that climbs out of the root', () => {
    const dir = tempDir();
    const root = join(dir, 'checkpoints');
    mkdirSync(root);
    const victim = join(dir, 'precious');
    mkdirSync(victim);
    const store = openStore(join(dir, 'studio.db'), { checkpointRoot: root });
    const id = store.createRun(config(), { checkpointDir: join(root, '..', 'precious') });
    store.recordEvent(id, { type: 'checkpoint', epoch: 1, role: 'best', path: join(root, '..', 'precious', 'best') });
    store.recordEvent(id, { type: 'failed', error: 'x' });
    const result = store.deleteRun(id);
    expect(result.removedPaths).toEqual([]);
    expect(existsSync(victim)).toBe(true);
    store.close();
  });
});

describe('stored confidences', () => {
  it('keep the digits the window shows (1/65535), and runs stored one byte a probability still read', () => {
    const dir = tempDir();
    const file = join(dir, 'studio.db');
    const store = openStore(file);
    const id = store.createRun(config());
    store.recordEvent(id, { ...startedEvent(sha256), testLabels: labels } as TrainerEvent);
    store.recordEvent(id, epochEvent(1, 0.5));
    store.recordEvent(
      id,
      evaluationEvent('final', 1, labels, () => false),
    );
    // The fixture's confidence of image i is float32(0.3 + 0.6·i/10,000).
    const fixture = (i: number) => Math.fround(0.3 + 0.6 * (i / 10_000));
    const rows = store.predictions({ runId: id, role: 'final', limit: 20, offset: 1000 }).rows;
    for (const r of rows) expect(Math.abs(r.confidence - fixture(r.index))).toBeLessThanOrEqual(0.5 / 65535 + 1e-9);
    // A one-decimal percentage of the stored value is that of the value computed.
    for (const r of rows) expect((r.confidence * 100).toFixed(1)).toBe((fixture(r.index) * 100).toFixed(1));
    store.close();

    // The same predictions as an older build wrote them: one byte, round(p × 255).
    const db = new Database(file);
    const stored = db.prepare(`SELECT evaluation_id, probabilities FROM predictions`).get() as {
      evaluation_id: number;
      probabilities: Buffer;
    };
    const bytes = Buffer.alloc(stored.probabilities.length / 2);
    for (let k = 0; k < bytes.length; k++)
      bytes[k] = Math.round((stored.probabilities.readUInt16LE(2 * k) / 65535) * 255);
    db.prepare(`UPDATE predictions SET encoding = 'u8-v1', probabilities = ? WHERE evaluation_id = ?`).run(
      bytes,
      stored.evaluation_id,
    );
    db.close();
    const reopened = openStore(file);
    const old = reopened.predictions({ runId: id, role: 'final', limit: 20, offset: 1000 }).rows;
    for (const r of old) expect(r.confidence).toBe(Math.round(fixture(r.index) * 255) / 255);
    // Ordered by the stored bytes, ties by index.
    const asc = reopened.predictions({ runId: id, role: 'final', sort: 'confidence-asc', limit: 3 }).rows;
    expect(asc.map((r) => r.index)).toEqual([0, 1, 2]);
    reopened.close();
  });
});
