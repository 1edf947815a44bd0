/** The Sweep form's rows → a sweep definition, and its refusals naming fields by their labels. */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import {
  buildDefinition,
  labelSweepMessage,
  newRow,
  type SweepFormValues,
} from '../../src/renderer/src/lib/sweep-form';

const base = PRESETS.quick;
const form = (over: Partial<SweepFormValues> = {}): SweepFormValues => ({
  name: '',
  rows: [{ ...newRow('lr', base), values: '0.001, 0.01' }],
  method: 'grid',
  samples: '10',
  seeds: '1',
  parallel: '2',
  ...over,
});

describe('sweep form', () => {
  it('builds a grid definition from lists and ranges', () => {
    const r = buildDefinition(
      form({
        rows: [
          { ...newRow('lr', base), mode: 'range', min: '0.001', max: '0.1', log: true, points: '3' },
          newRow('conv-activation', base),
        ],
        seeds: '2',
      }),
      base,
      'quick',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.vary[0]).toEqual({ flag: 'lr', range: { min: 0.001, max: 0.1, log: true, points: 3 } });
    expect(r.definition.vary[1].values?.length).toBeGreaterThan(1);
    expect(r.definition).toMatchObject({ method: 'grid', seeds: 2, parallel: 2, preset: 'quick' });
  });

  it('a sequential (tpe) sweep takes its samples, like a random one', () => {
    const r = buildDefinition(
      form({
        rows: [{ ...newRow('lr', base), mode: 'range', min: '0.0001', max: '0.1', log: true, points: '5' }],
        method: 'tpe',
        samples: '12',
      }),
      base,
      'quick',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition).toMatchObject({ method: 'tpe', samples: 12 });
  });

  it('a choice row starts with every choice listed', () => {
    expect(newRow('pooling', base).values).toBe('avg, max');
    expect(newRow('lr', base).values).toBe(String(base.learningRate));
  });

  it.each([
    ['a value outside the range', { values: '0.001, 0' }, /^Learning rate: 0 is outside the range of Learning rate/],
    ['a word in a number list', { values: '0.001, fast' }, /^Learning rate: "fast" is not a number/],
    [
      'a log range from 0',
      { mode: 'range' as const, min: '0', max: '1', log: true },
      /^Learning rate 0\.\.1:log: a log range must be above 0/,
    ],
    [
      'range ends that are not numbers',
      { mode: 'range' as const, min: 'a', max: '1' },
      /^Learning rate: the range ends/,
    ],
    [
      'too few points',
      { mode: 'range' as const, min: '0.1', max: '1', points: '1' },
      /^Learning rate: the number of points/,
    ],
  ])('refuses %s, naming the field by its label', (_case, row, pattern) => {
    const r = buildDefinition(form({ rows: [{ ...newRow('lr', base), ...row }] }), base, null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(pattern);
  });

  it('refuses a range over a choice field, no fields, bad seeds and an invalid base', () => {
    const choice = buildDefinition(
      form({ rows: [{ ...newRow('pooling', base), mode: 'range', min: '1', max: '2' }] }),
      base,
      null,
    );
    expect(!choice.ok && choice.message).toMatch(/^Pooling: Pooling is a choice/);
    expect(buildDefinition(form({ rows: [] }), base, null)).toEqual({
      ok: false,
      message: 'Add at least one field to vary.',
    });
    const seeds = buildDefinition(form({ seeds: '0' }), base, null);
    expect(!seeds.ok && seeds.message).toMatch(/^Seeds: must be an integer from 1 to 100/);
    expect(buildDefinition(form(), null, null).ok).toBe(false);
  });

  it('labels the flags in main’s messages', () => {
    expect(labelSweepMessage('--vary batch-size: given twice')).toBe('Batch size: given twice');
  });
});
