/** Grouping compared runs: seeds-only differences form a group, a field or none can be picked. */
import { describe, expect, it } from 'vitest';
import type { ConfigField } from '../../src/shared/runs';
import { groupRuns, groupSeries, groupsSomething, memberValues, summaryText } from '../../src/shared/run-groups';

const field = (key: string, values: ConfigField['values'], used = values.map(() => true)): ConfigField => ({
  key,
  values,
  used,
  differs: new Set(values.filter((_, i) => used[i])).size > 1,
});

// Six runs: two learning rates × three seeds; the batch size is the same everywhere.
const config: ConfigField[] = [
  field('learningRate', [0.005, 0.005, 0.002, 0.005, 0.002, 0.002]),
  field('seed', [1, 2, 1, 3, 2, 3]),
  field('batchSize', [64, 64, 64, 64, 64, 64]),
];

describe('groupRuns', () => {
  it('puts runs that differ only in their seed together, labelled by what sets them apart', () => {
    const groups = groupRuns(config, 6, 'seeds');
    expect(groups.map((g) => g.members)).toEqual([
      [0, 1, 3],
      [2, 4, 5],
    ]);
    expect(groups.map((g) => g.label)).toEqual(['Learning rate 0.005', 'Learning rate 0.002']);
    expect(groupsSomething(groups)).toBe(true);
  });

  it('keeps runs apart when another field differs too', () => {
    const more = [...config, field('convActivation', ['relu', 'tanh', 'relu', 'relu', 'relu', 'relu'])];
    expect(groupRuns(more, 6, 'seeds').map((g) => g.members)).toEqual([[0, 3], [1], [2, 4, 5]]);
  });

  it('groups by a picked field, or not at all', () => {
    expect(groupRuns(config, 6, 'seed').map((g) => g.members)).toEqual([
      [0, 2],
      [1, 4],
      [3, 5],
    ]);
    const none = groupRuns(config, 6, 'none');
    expect(none.map((g) => g.members)).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(groupsSomething(none)).toBe(false);
  });

  it('does not split runs on a field they do not use', () => {
    const momentum = field('momentum', [0.9, 0.5, 0.9, 0.9, 0.9, 0.9], [true, false, true, true, true, true]);
    expect(groupRuns([...config, momentum], 6, 'seeds').map((g) => g.members)).toEqual([
      [0, 1, 3],
      [2, 4, 5],
    ]);
  });

  it('is one group when the runs share a configuration', () => {
    const same = [field('learningRate', [0.005, 0.005])];
    expect(groupRuns(same, 2, 'seeds')).toEqual([{ key: '[]', label: 'all runs', members: [0, 1] }]);
  });
});

describe('group figures', () => {
  const [a] = groupRuns(config, 6, 'seeds');
  it('summarises a series per epoch over the members that recorded it', () => {
    const series = [
      [0.5, 0.7],
      [0.6, null],
      [0, 0],
      [0.7, 0.9],
      [0, 0],
      [0, 0],
    ];
    const [e1, e2] = groupSeries(a, series, 2);
    expect(e1).toMatchObject({ n: 3, mean: expect.closeTo(0.6, 12), std: expect.closeTo(0.1, 12), min: 0.5, max: 0.7 });
    expect(e2).toMatchObject({ n: 2, mean: expect.closeTo(0.8, 12), min: 0.7, max: 0.9 });
    expect(groupSeries(a, [[null], [null], [0], [null], [0], [0]], 1)).toEqual([null]);
  });
  it('takes the members’ values of a per-run figure, skipping missing ones', () => {
    expect(memberValues(a, [0.9, null, 0.1, 0.8, 0.2, 0.3])).toEqual([0.9, 0.8]);
  });
});

describe('a group as tables and legends write it', () => {
  it('mean ± std in the mean’s unit and n; one run has no spread', () => {
    // 89.1, 89.4, 89.7 %: mean 89.4, sample std 0.3 (worked by hand).
    const s = { n: 3, mean: 0.894, std: 0.003, min: 0.891, max: 0.897 };
    expect(summaryText(s, { percent: true })).toBe('89.40% ± 0.30 (n=3)');
    expect(summaryText(s, { percent: true, digits: 1 })).toBe('89.4% ± 0.3 (n=3)');
    expect(summaryText({ n: 2, mean: 0.3125, std: 0.0125, min: 0.3, max: 0.325 }, { digits: 3 })).toBe(
      '0.313 ± 0.013 (n=2)',
    );
    expect(summaryText({ n: 1, mean: 0.9, std: 0, min: 0.9, max: 0.9 }, { percent: true })).toBe('90.00% (n=1)');
  });
});
