import { describe, expect, it } from 'vitest';
import { FIELD_PATHS, HYPERPARAM_FIELDS, PRESETS, rangeBrief } from '../../src/shared/hyperparams';
import { parseTrainArgs, TRAIN_USAGE, UsageError } from '../../src/cli/train-options';
import { FIELD_GROUPS } from '../../src/renderer/src/lib/hyperparam-fields';

describe('npm run train options', () => {
  it('defaults to the seed preset', () => {
    const o = parseTrainArgs([]);
    expect(o.config).toEqual(PRESETS.seed);
    expect(o.preset).toBe('seed');
  });

  it('maps every flag onto the configuration, keeping the preset it started from', () => {
    const o = parseTrainArgs([
      '--preset',
      'modern',
      '--lr',
      '0.01',
      '--epochs',
      '3',
      '--batch-size',
      '128',
      '--optimizer',
      'sgd',
      '--pooling',
      'avg',
      '--c5',
      'conv',
      '--input-size',
      '32',
      '--train-subset',
      '1000',
      '--patience',
      '2',
      '--shift',
      '2',
      '--flip',
      'horizontal',
      '--label-smoothing',
      '0.1',
      '--exclude-marked',
      'wrong',
      '--batch-norm',
      'conv',
      '--dropout',
      '0.3',
      '--c1-maps',
      '16',
      '--c3-maps',
      '32',
      '--c5-units',
      '96',
      '--f6-units',
      '64',
      '--tags',
      'a, b',
      '--data',
      '/d',
      '--db',
      '/x.db',
      '--backend',
      'cpu',
    ]);
    expect(o.config).toMatchObject({
      learningRate: 0.01,
      epochs: 3,
      batchSize: 128,
      optimizer: 'sgd',
      trainSubset: 1000,
      earlyStoppingPatience: 2,
      augmentShift: 2,
      augmentFlip: 'horizontal',
      labelSmoothing: 0.1,
      excludeMarked: 'wrong',
      model: {
        convActivation: 'relu',
        pooling: 'avg',
        c5: 'conv',
        inputSize: 32,
        batchNorm: 'conv',
        dropout: 0.3,
        c1Maps: 16,
        c3Maps: 32,
        c5Units: 96,
        f6Units: 64,
      },
    });
    expect(o).toMatchObject({ preset: 'modern', tags: ['a', 'b'], dataDir: '/d', dbPath: '/x.db', backend: 'cpu' });
  });

  it.each([
    [['--lr', '50'], /--lr \(learningRate: must be > 0 and ≤ 10\)/],
    [['--lr', 'fast'], /--lr \(learningRate: must be a number/],
    [['--epochs', '0'], /--epochs \(epochs: must be an integer from 1 to 1000\)/],
    [['--batch-size', '2.5'], /--batch-size \(batchSize: must be an integer from 1 to 4096\)/],
    [['--optimizer', 'lion'], /--optimizer \(optimizer: /],
    [['--input-size', '30'], /--input-size \(model.inputSize: must be 28 or 32\)/],
    [['--c3-maps', '200'], /--c3-maps \(model.c3Maps: must be an integer from 1 to 128\)/],
    [['--c1-maps', '0'], /--c1-maps \(model.c1Maps: must be an integer from 1 to 64\)/],
    [['--shift', '5'], /--shift \(augmentShift: must be an integer from 0 to 4\)/],
    [['--flip', 'vertical'], /--flip \(augmentFlip: /],
    [['--label-smoothing', '0.7'], /--label-smoothing \(labelSmoothing: must be from 0 to 0.5\)/],
    [['--exclude-marked', 'ambiguous'], /--exclude-marked \(excludeMarked: .*none.*wrong/],
    [['--dropout', '1'], /--dropout \(model.dropout: must be from 0 to 0.9\)/],
    [['--batch-norm', 'yes'], /--batch-norm \(model.batchNorm: /],
    [['--preset', 'huge'], /--preset: must be one of classic, modern, quick/],
    [['--backend', 'gpu'], /--backend: must be one of/],
    [['--keep-checkpoints', 'some'], /--keep-checkpoints: must be one of best-last, all \(got "some"\)/],
    [['--bogus', '1'], /unknown option --bogus/],
  ])('refuses %j naming the flag and the range', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});

describe('--keep-checkpoints', () => {
  it('is best and last by default, or all', () => {
    expect(parseTrainArgs([]).keepCheckpoints).toBeUndefined();
    expect(parseTrainArgs(['--keep-checkpoints', 'all']).keepCheckpoints).toBe('all');
    expect(TRAIN_USAGE).toContain('--keep-checkpoints best-last|all');
  });
});

describe('npm run train --help', () => {
  it('is generated from the field metadata: every field’s flag, label and range or choices', () => {
    for (const p of FIELD_PATHS) {
      const f = HYPERPARAM_FIELDS[p];
      const line = TRAIN_USAGE.split('\n').find((l) => l.trimStart().startsWith(`--${f.flag} `));
      expect(line, p).toBeDefined();
      expect(line).toContain(`${f.label}: `);
      if (f.kind === 'number') expect(line).toContain(rangeBrief(f.range));
      else expect(line).toContain(f.options.map((o) => o.value).join('|'));
    }
    expect(TRAIN_USAGE).toMatch(/^Usage: npm run train -- \[--preset classic\|modern\|quick\|lecun1998\] \[options\]/);
    expect(TRAIN_USAGE).toMatch(/--lr X +Learning rate: > 0 and ≤ 10\n/);
    expect(TRAIN_USAGE).toMatch(/--momentum X +Momentum: 0–0\.999, only with --optimizer momentum\|rmsprop\n/);
    expect(TRAIN_USAGE).toContain('--backend NAME');
  });

  it('lists the model fields in the New-run form’s order (which network first)', () => {
    const flags = FIELD_GROUPS[0]!.fields.map((f) => f.flag);
    expect(flags.slice(0, 2)).toEqual(['architecture', 'output']);
    const positions = flags.map((flag) => TRAIN_USAGE.indexOf(`  --${flag} `));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('accepts every flag its help lists', () => {
    const flags = [...TRAIN_USAGE.matchAll(/^ {2}--([a-z0-9-]+)/gm)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(FIELD_PATHS.length);
    for (const flag of flags) {
      const msg = (() => {
        try {
          parseTrainArgs([`--${flag}`, 'x']);
          return '';
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(msg, flag).not.toMatch(/Unknown option/);
    }
  });
});
