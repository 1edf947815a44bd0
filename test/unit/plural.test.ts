import { describe, expect, it } from 'vitest';
import { countOf } from '../../src/shared/plural';
import { describeEnd } from '../../src/cli/train';

describe('one plural rule', () => {
  it('says "1 epoch" and "0 epochs", "3 epochs"', () => {
    expect(countOf(1, 'epoch')).toBe('1 epoch');
    expect(countOf(0, 'epoch')).toBe('0 epochs');
    expect(countOf(3, 'epoch')).toBe('3 epochs');
    expect(countOf(2, 'match', 'matches')).toBe('2 matches');
  });

  it("the CLI's end line never reads '(1 epochs)'", () => {
    expect(describeEnd({ type: 'completed', epochs: 1, reason: 'epochs' })).toBe('completed (1 epoch)');
    expect(describeEnd({ type: 'completed', epochs: 1, reason: 'early-stopping' })).toBe(
      'completed (early stopping after 1 epoch)',
    );
    expect(describeEnd({ type: 'completed', epochs: 4, reason: 'epochs' })).toBe('completed (4 epochs)');
    expect(describeEnd({ type: 'stopped', epochs: 1 })).toBe('stopped after 1 epoch');
  });
});
