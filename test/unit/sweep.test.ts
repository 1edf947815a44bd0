/** Sweep definitions: --vary parsing, grid and seeded random expansion, seeds, and refusals naming the flag and range. */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import {
  expandSweep,
  parseSweepDefinition,
  parseVarySpec,
  sweepDefinitionSchema,
  sweepRunCount,
  type SweepDefinitionInput,
} from '../../src/shared/sweep';

const def = (over: Partial<SweepDefinitionInput>) =>
  sweepDefinitionSchema.parse({ base: PRESETS.quick, vary: [], ...over });

describe('parseVarySpec', () => {
  it('reads lists and linear/log ranges', () => {
    expect(parseVarySpec('lr=0.001,0.003')).toEqual({ flag: 'lr', values: [0.001, 0.003] });
    expect(parseVarySpec('conv-activation=relu,tanh')).toEqual({ flag: 'conv-activation', values: ['relu', 'tanh'] });
    expect(parseVarySpec('lr=0.0001..0.1:log:4')).toEqual({
      flag: 'lr',
      range: { min: 0.0001, max: 0.1, log: true, points: 4 },
    });
    expect(parseVarySpec('batch-size=16..64:3')).toEqual({
      flag: 'batch-size',
      range: { min: 16, max: 64, log: false, points: 3 },
    });
  });

  it('refuses unknown flags and malformed specs, naming them', () => {
    expect(() => parseVarySpec('rate=1,2')).toThrow(/--vary rate: unknown option; one of .*lr/);
    expect(() => parseVarySpec('lr')).toThrow(/--vary lr: write FLAG=V1,V2/);
    expect(() => parseVarySpec('lr=0.1..0.2:cubic')).toThrow(/--vary lr=0.1..0.2:cubic: unknown range option "cubic"/);
    expect(() => parseVarySpec('lr=0.1,,0.2')).toThrow(/an empty value/);
  });
});

describe('expandSweep', () => {
  it('grid × seeds: every combination over K seeds', () => {
    const d = def({
      vary: [parseVarySpec('lr=0.001,0.01'), parseVarySpec('conv-activation=sigmoid,relu')],
      seeds: 2,
    });
    const runs = expandSweep(d);
    expect(sweepRunCount(d)).toBe(8);
    expect(runs).toHaveLength(8);
    expect(runs.map((r) => r.values)).toContainEqual({ lr: 0.01, 'conv-activation': 'relu', seed: 43 });
    const one = runs.find(
      (r) => r.values.lr === 0.01 && r.values['conv-activation'] === 'relu' && r.values.seed === 43,
    )!;
    expect(one.config).toMatchObject({ learningRate: 0.01, seed: 43, model: { convActivation: 'relu' } });
    expect(new Set(runs.map((r) => r.config.seed))).toEqual(new Set([42, 43]));
  });

  it('varies whether the images marked wrong are left out (issue 26), off in the preset', () => {
    expect(PRESETS.quick.excludeMarked).toBe('none');
    const runs = expandSweep(def({ vary: [parseVarySpec('exclude-marked=none,wrong')] }));
    expect(runs.map((r) => r.config.excludeMarked)).toEqual(['none', 'wrong']);
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('exclude-marked=all')] })).toThrow(
      /exclude-marked/,
    );
  });

  it('varies batch norm and dropout by their flags', () => {
    const runs = expandSweep(
      def({ base: PRESETS.modern, vary: [parseVarySpec('batch-norm=none,conv'), parseVarySpec('dropout=0,0.25')] }),
    );
    expect(runs.map((r) => [r.config.model.batchNorm, r.config.model.dropout])).toEqual([
      ['none', 0],
      ['none', 0.25],
      ['conv', 0],
      ['conv', 0.25],
    ]);
    expect(() => expandSweep(def({ vary: [parseVarySpec('dropout=0.2,0.95')] }))).toThrow(
      /--dropout.*must be from 0 to 0.9|dropout.*0\.95/,
    );
  });

  it('ranges: linear, log, integers rounded and deduplicated', () => {
    const log = expandSweep(def({ vary: [parseVarySpec('lr=0.0001..0.1:log:4')] }));
    expect(log.map((r) => r.config.learningRate)).toEqual([0.0001, 0.001, 0.01, 0.1]);
    const ints = expandSweep(def({ vary: [parseVarySpec('epochs=1..2:4')] }));
    expect(ints.map((r) => r.config.epochs)).toEqual([1, 2]);
  });

  it('random: the same sampling seed draws the same runs, within the range', () => {
    const d = def({ vary: [parseVarySpec('lr=0.0001..0.1:log')], method: 'random', samples: 6, samplingSeed: 5 });
    const a = expandSweep(d).map((r) => r.config.learningRate);
    expect(a).toEqual(expandSweep(d).map((r) => r.config.learningRate));
    expect(a).toHaveLength(6);
    for (const lr of a) expect(lr >= 0.0001 && lr <= 0.1).toBe(true);
    expect(new Set(a).size).toBe(6);
    const other = expandSweep({ ...d, samplingSeed: 6 }).map((r) => r.config.learningRate);
    expect(other).not.toEqual(a);
  });

  it('refuses bad ranges and values naming the flag and the range', () => {
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('lr=0..1')] })).toThrow(
      '--vary lr=0..1: 0 is outside the range of Learning rate, which must be > 0 and ≤ 10',
    );
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('batch-size=8,10000')] })).toThrow(
      '--vary batch-size: 10000 is outside the range of Batch size, which must be an integer from 1 to 4096',
    );
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('lr=0.1..0.01')] })).toThrow(
      '--vary lr=0.1..0.01: the range must go from low to high',
    );
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('pooling=avg,median')] })).toThrow(
      '--vary pooling: "median" is not one of avg, max',
    );
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('pooling=0..1')] })).toThrow(
      /--vary pooling: the range ends must be numbers|is a choice/,
    );
    expect(() => parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('seed=1,2')], seeds: 3 })).toThrow(
      'vary the seed or repeat over --seeds, not both',
    );
    expect(() =>
      parseSweepDefinition({ base: PRESETS.quick, vary: [parseVarySpec('lr=0.001..0.1:log:1000')], seeds: 11 }),
    ).toThrow('this sweep makes 11,000 runs; at most 10,000');
  });
});
