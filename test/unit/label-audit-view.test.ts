/**
 * The label audit page's words (renderer/lib/audit-view.ts) and Compare's "Images left out" cell
 * (run-format.ts): expected texts written out by hand from the AUM definition.
 */
import { describe, expect, it } from 'vitest';
import { runOptionText, strengthText, withoutMarked } from '../../src/renderer/src/lib/audit-view';
import { configLabel, configValue } from '../../src/renderer/src/lib/run-format';
import { PRESETS } from '../../src/shared/hyperparams';
import { fieldLabel } from '../../src/core/report/report-data';

describe('label audit words', () => {
  it('names the favoured class and by how much: another class when the AUM is negative, the label otherwise', () => {
    // Given Shirt (6), the network's largest other logit is T-shirt/top (0).
    expect(strengthText({ aum: -2.314, given: 6, believed: 0 })).toBe('T-shirt/top, by 2.31 logits');
    expect(strengthText({ aum: 0.4, given: 6, believed: 0 })).toBe('its label Shirt, by 0.40 logits');
  });

  it('says in the run picker why a run cannot be audited', () => {
    const run = { id: 7, name: 'quick', status: 'completed' as const, epochsDone: 2, marginSource: null };
    expect(runOptionText({ ...run, marginEpochs: 2, marginSource: 'training' })).toBe('#7 quick · 2 epochs of margins');
    expect(runOptionText({ ...run, marginEpochs: 1, marginSource: 'checkpoint' })).toBe(
      "#7 quick · final network's margins (from its checkpoint)",
    );
    expect(runOptionText({ ...run, marginEpochs: 1 })).toBe('#7 quick · 1 epoch of margins');
    expect(runOptionText({ ...run, epochsDone: 0, marginEpochs: null })).toBe('#7 quick · no completed epoch');
    expect(runOptionText({ ...run, marginEpochs: null })).toBe(
      '#7 quick · no margins (recorded before they were kept)',
    );
  });

  it('starts from the audited run’s settings with only the marked images left out', () => {
    const audited = { ...PRESETS.quick, learningRate: 0.003, seed: 9 };
    expect(withoutMarked(audited)).toEqual({ ...audited, excludeMarked: 'wrong' });
    expect(audited.excludeMarked).toBe('none'); // not changed in place
  });

  it('Compare and the report name the left-out count in words', () => {
    expect(configLabel('leftOut')).toBe('Images left out');
    expect(configLabel('excludeMarked')).toBe('Leave out marked images');
    expect(fieldLabel('leftOut')).toBe('Images left out'); // the HTML report's settings table
    expect(configValue('leftOut', 0)).toBe('none');
    expect(configValue('leftOut', 1)).toBe('1 image marked wrong');
    expect(configValue('leftOut', 37)).toBe('37 images marked wrong');
  });
});
