/** The architecture diagram folds batch norm and dropout into the links, in the order they run. */
import { describe, expect, it } from 'vitest';
import { layoutDiagram } from '../../src/renderer/src/lib/diagram-layout';
import { layerSpec } from '../../src/shared/lenet';
import { RELU_MAX } from '../support/networks';

describe('layoutDiagram with batch norm and dropout', () => {
  it('draws the same layers and names batch norm before the activation, dropout after it', () => {
    const plain = layoutDiagram(layerSpec(RELU_MAX));
    const layout = layoutDiagram(layerSpec({ ...RELU_MAX, batchNorm: 'all', dropout: 0.3 }));
    expect(layout.nodes.map((n) => n.name)).toEqual(plain.nodes.map((n) => n.name));
    expect(layout.links.map((l) => l.pre.join(', '))).toEqual([
      '',
      'batch norm, relu',
      '',
      'batch norm, relu',
      'flatten',
      'batch norm, relu, dropout',
      'batch norm, relu, dropout',
    ]);
    // Neighbouring full connections' labels are ~120 px apart: each line fits in 20 characters.
    expect(layout.links.map((l) => l.preLines)).toEqual([
      [],
      ['after batch norm,', 'relu'],
      [],
      ['after batch norm,', 'relu'],
      ['after flatten'],
      ['after batch norm,', 'relu, dropout'],
      ['after batch norm,', 'relu, dropout'],
    ]);
    expect(layout.height).toBe(plain.height + 14);
    // Without them the labels are one line, as before.
    expect(plain.links.map((l) => l.preLines)).toEqual([
      [],
      ['after relu'],
      [],
      ['after relu'],
      ['after flatten'],
      ['after relu'],
      ['after relu'],
    ]);
  });
});
