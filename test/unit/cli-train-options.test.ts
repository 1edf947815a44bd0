import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/shared/hyperparams';
import { parseTrainArgs, UsageError } from '../../src/cli/train-options';

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
      model: { convActivation: 'relu', pooling: 'avg', c5: 'conv', inputSize: 32 },
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
    [['--preset', 'huge'], /--preset: must be one of seed, modern, quick/],
    [['--backend', 'gpu'], /--backend: must be one of/],
    [['--bogus', '1'], /Unknown option '--bogus'/],
  ])('refuses %j naming the flag and the range', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});
