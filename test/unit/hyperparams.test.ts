import { describe, expect, it } from 'vitest';
import {
  describeIssuesByLabel,
  FIELD_PATHS,
  HYPERPARAM_FIELDS,
  hyperparamsSchema,
  isFieldUsed,
  labelledMessage,
  modelOptionsSchema,
  parseHyperparams,
  PRESET_NAMES,
  PRESETS,
  rangeBrief,
  rangeText,
} from '../../src/shared/hyperparams';
import { ALL_FIELDS, FIELD_GROUPS } from '../../src/renderer/src/lib/hyperparam-fields';

const seed = PRESETS.seed;

/** The seed preset with the field at `p` (`learningRate`, `model.dropout`) set to `v`. */
const withField = (p: string, v: unknown) =>
  p.startsWith('model.') ? { ...seed, model: { ...seed.model, [p.slice(6)]: v } } : { ...seed, [p]: v };

describe('hyperparameter schema', () => {
  it.each(PRESET_NAMES)('accepts the %s preset', (name) => {
    expect(parseHyperparams(PRESETS[name])).toEqual({ ok: true, data: PRESETS[name] });
  });

  it.each([
    ['epochs', 0, 'epochs: must be an integer from 1 to 1000'],
    ['epochs', 1001, 'epochs: must be an integer from 1 to 1000'],
    ['batchSize', 4097, 'batchSize: must be an integer from 1 to 4096'],
    ['learningRate', 0, 'learningRate: must be > 0 and ≤ 10'],
    ['learningRate', 10.5, 'learningRate: must be > 0 and ≤ 10'],
    ['learningRate', Number.NaN, 'learningRate: must be a number > 0 and ≤ 10'],
    ['learningRate', '0.1', 'learningRate: must be a number > 0 and ≤ 10'],
    ['validationFraction', 0.6, 'validationFraction: must be from 0 to 0.5'],
    ['trainSubset', 60_001, 'trainSubset: must be an integer from 0 to 60000'],
    ['weightDecay', -1, 'weightDecay: must be from 0 to 1'],
    ['seed', 1.5, 'seed: must be an integer from 0 to 2147483647'],
  ])('refuses %s = %s, naming the field and the range', (field, value, message) => {
    const r = parseHyperparams({ ...seed, [field]: value });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toContain(message);
  });

  it('refuses unknown fields and bad model options', () => {
    const r = parseHyperparams({ ...seed, dropout: 0.5, model: { ...seed.model, pooling: 'median' } });
    expect(r.ok).toBe(false);
    const errors = !r.ok ? r.errors.join('\n') : '';
    expect(errors).toMatch(/dropout/);
    expect(errors).toMatch(/model\.pooling/);
  });

  it('gives the configurable network a softmax output whatever the input says; the 1998 network keeps its choice', () => {
    // A seed-network configuration stored with the old default, and one from before the field.
    const storedRbf = parseHyperparams({ ...seed, model: { ...seed.model, output: 'rbf' } });
    expect(storedRbf.ok && storedRbf.data.model.output).toBe('softmax');
    const { output: _o, ...older } = seed.model;
    const beforeField = parseHyperparams({ ...seed, model: older });
    expect(beforeField.ok && beforeField.data.model.output).toBe('softmax');
    expect(PRESETS.seed.model.output).toBe('softmax');
    expect(PRESETS.modern.model.output).toBe('softmax');
    expect(PRESETS.lecun1998.model.output).toBe('rbf');
    const lecunSoftmax = parseHyperparams({
      ...PRESETS.lecun1998,
      model: { ...PRESETS.lecun1998.model, output: 'softmax' },
    });
    expect(lecunSoftmax.ok && lecunSoftmax.data.model.output).toBe('softmax');
    const lecunRbf = parseHyperparams(PRESETS.lecun1998);
    expect(lecunRbf.ok && lecunRbf.data.model.output).toBe('rbf');
  });

  it.each([
    [{ batchNorm: 'before' }, 'model.batchNorm: Invalid option: expected one of "none"|"conv"|"all"'],
    [{ dropout: 0.95 }, 'model.dropout: must be from 0 to 0.9'],
    [{ dropout: -0.1 }, 'model.dropout: must be from 0 to 0.9'],
    [{ dropout: '0.3' }, 'model.dropout: must be a number from 0 to 0.9'],
  ])('refuses batch norm and dropout settings out of range: %j', (model, message) => {
    const r = parseHyperparams({ ...seed, model: { ...seed.model, ...model } });
    expect(!r.ok && r.errors).toEqual([message]);
  });

  it('refuses a missing configuration', () => {
    expect(parseHyperparams(undefined).ok).toBe(false);
    expect(parseHyperparams(null).ok).toBe(false);
  });
});

describe('field metadata beside the schema', () => {
  it('declares metadata for exactly the schema’s fields, in schema order', () => {
    const model = Object.keys(modelOptionsSchema.shape).map((k) => `model.${k}`);
    const top = Object.keys(hyperparamsSchema.shape).filter((k) => k !== 'model');
    expect(FIELD_PATHS).toEqual([...model, ...top]);
    for (const p of FIELD_PATHS) expect(HYPERPARAM_FIELDS[p].path).toBe(p);
  });

  it('gives every field a distinct CLI flag, keeping the established names', () => {
    const flags = FIELD_PATHS.map((p) => HYPERPARAM_FIELDS[p].flag);
    expect(new Set(flags).size).toBe(flags.length);
    expect(HYPERPARAM_FIELDS.learningRate.flag).toBe('lr');
    expect(HYPERPARAM_FIELDS.batchSize.flag).toBe('batch-size');
    expect(HYPERPARAM_FIELDS['model.convActivation'].flag).toBe('conv-activation');
    expect(HYPERPARAM_FIELDS.earlyStoppingPatience.flag).toBe('patience');
  });

  it('states ranges as data; the schema refuses exactly outside them, in the same words', () => {
    for (const p of FIELD_PATHS) {
      const f = HYPERPARAM_FIELDS[p];
      if (f.kind !== 'number') continue;
      const { min, max, exclusiveMin, integer } = f.range;
      const at = (v: unknown) => parseHyperparams(withField(p, v));
      expect(at(max).ok, `${p} = max`).toBe(true);
      expect(at(min).ok, `${p} = min`).toBe(!exclusiveMin);
      const above = at(integer ? max + 1 : max * 1.01 + 0.01);
      expect(!above.ok && above.errors).toContain(`${p}: must be ${rangeText(f.range)}`);
    }
    expect(rangeText(HYPERPARAM_FIELDS.learningRate.range)).toBe('> 0 and ≤ 10');
    expect(rangeText(HYPERPARAM_FIELDS.epochs.range)).toBe('an integer from 1 to 1000');
    expect(rangeBrief(HYPERPARAM_FIELDS.momentum.range)).toBe('0–0.999');
  });

  it('lists exactly the values each choice accepts', () => {
    for (const p of FIELD_PATHS) {
      const f = HYPERPARAM_FIELDS[p];
      if (f.kind !== 'choice') continue;
      const set = (v: unknown) => withField(p, v);
      for (const o of f.options) expect(parseHyperparams(set(o.value)).ok, `${p} = ${o.value}`).toBe(true);
      expect(parseHyperparams(set('nope')).ok).toBe(false);
    }
    expect(HYPERPARAM_FIELDS['model.inputSize'].options.map((o) => o.value)).toEqual([28, 32]);
  });

  it('knows when a field is ignored', () => {
    expect(isFieldUsed('momentum', seed)).toBe(false);
    expect(isFieldUsed('momentum', { ...seed, optimizer: 'rmsprop' })).toBe(true);
    expect(isFieldUsed('lrGamma', { ...seed, lrSchedule: 'step' })).toBe(true);
    expect(isFieldUsed('lrGamma', seed)).toBe(false);
    expect(isFieldUsed('learningRate', seed)).toBe(true);
    expect(isFieldUsed('model.batchNorm', seed)).toBe(true);
    expect(isFieldUsed('model.dropout', PRESETS.lecun1998)).toBe(false);
    expect(isFieldUsed('model.output', seed)).toBe(false);
  });

  it('names a field by its label in people’s messages', () => {
    expect(labelledMessage('learningRate', 'must be > 0 and ≤ 10')).toBe('Learning rate must be > 0 and ≤ 10');
    expect(labelledMessage('model.pooling', 'must be avg or max')).toBe('Pooling must be avg or max');
    expect(labelledMessage('dropout', 'is unknown')).toBe('dropout is unknown');
    const r = hyperparamsSchema.safeParse({ ...seed, learningRate: 11 });
    expect(!r.success && describeIssuesByLabel(r.error)).toEqual(['Learning rate must be > 0 and ≤ 10']);
  });
});

describe('the New-run form reads the metadata', () => {
  it('keeps its groups, order and labels', () => {
    expect(FIELD_GROUPS.map((g) => [g.title, g.fields.map((f) => f.label)])).toEqual([
      [
        'Model',
        [
          'Architecture',
          'Output',
          'Conv activation',
          'Dense activation',
          'Pooling',
          'C5 layer',
          'Input size',
          'C1 maps',
          'C3 maps',
          'C5 units',
          'F6 units',
          'Batch norm',
          'Dropout',
        ],
      ],
      ['Optimizer', ['Optimizer', 'Learning rate', 'Momentum', 'Weight decay', 'Label smoothing', 'Batch size']],
      ['Schedule', ['Epochs', 'LR schedule', 'Step every', 'Gamma']],
      [
        'Data',
        ['Validation fraction', 'Train subset', 'Random shift', 'Random flip', 'Leave out marked images', 'Seed'],
      ],
      ['Stopping', ['Early-stopping patience']],
    ]);
  });

  it('shows each field’s declared range and choices', () => {
    const lr = ALL_FIELDS.find((f) => f.path === 'learningRate');
    expect(lr).toMatchObject({
      kind: 'number',
      integer: false,
      min: 0,
      max: 10,
      exclusiveMin: true,
      range: '> 0 and ≤ 10',
    });
    const batch = ALL_FIELDS.find((f) => f.path === 'batchSize');
    expect(batch).toMatchObject({
      integer: true,
      min: 1,
      max: 4096,
      range: 'an integer from 1 to 4096',
      unit: 'images',
    });
    const input = ALL_FIELDS.find((f) => f.path === 'model.inputSize');
    expect(input).toMatchObject({
      kind: 'choice',
      options: [
        { value: 28, label: '28×28' },
        { value: 32, label: '32×32' },
      ],
    });
    const momentum = ALL_FIELDS.find((f) => f.path === 'momentum')!;
    expect(momentum.usedWhen?.(seed)).toBe(false);
    expect(momentum.usedWhen?.({ ...seed, optimizer: 'momentum' })).toBe(true);
    expect(ALL_FIELDS).toHaveLength(FIELD_PATHS.length);
  });
});
