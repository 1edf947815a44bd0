/**
 * Geometry of the architecture diagram, in the manner of LeCun's LeNet-5 figure: the input image,
 * feature maps as offset stacks of squares, subsampling, the fully connected layers as columns of
 * units, and the 10 outputs. Pure: takes `layerSpec` rows, returns boxes and links in SVG units.
 */
import type { LayerSpec } from '@shared/lenet';

export type NodeShape = 'image' | 'maps' | 'column' | 'output';

export interface DiagramNode {
  layer: LayerSpec;
  /** "C1", "S2", "Input", "F6", "Output". */
  name: string;
  /** "6@28×28", "120". */
  shape: string;
  drawAs: NodeShape;
  /** Bounding box of the drawing (labels excluded). */
  x: number;
  y: number;
  w: number;
  h: number;
  /** maps / image: side of one square and the offset between stacked squares. */
  side?: number;
  count?: number;
  step?: number;
  /** column / output: units drawn (dots) and whether some are elided. */
  dots?: number;
  elided?: boolean;
  /** Batch norm applied right after this layer, before its activation. */
  norm?: string;
  /** Activation applied right after this layer, if any. */
  activation?: string;
  /** Layers folded into this node's outgoing link (flatten). */
  then?: string[];
}

export interface DiagramLink {
  from: DiagramNode;
  to: DiagramNode;
  /** Classic-figure wording: "Convolutions", "Subsampling", "Full connection". */
  op: string;
  /** e.g. "5×5, pad 2", "avg 2×2"; empty for a full connection. */
  detail: string;
  /** What happens to the source's output first: its activation, flatten. */
  pre: string[];
  /** `pre` as the diagram writes it: "after …", wrapped so neighbouring links' labels do not collide. */
  preLines: string[];
  style: 'kernel' | 'fan' | 'plain';
}

export interface DiagramLayout {
  width: number;
  height: number;
  /** Vertical centre line of the drawings. */
  cy: number;
  nodes: DiagramNode[];
  links: DiagramLink[];
  /** y of the op labels row. */
  opY: number;
}

const DRAWN: LayerSpec['kind'][] = ['input', 'pad', 'conv', 'pool', 'dense'];
const GAP = 78;
const FAN_GAP = 100;
const MARGIN = 24;
const TOP = 64;
const CY = TOP + 100;
const OUTPUT_LABELS = 78;

/** Characters of the 10 px monospace op labels that fit between two full connections' midpoints. */
const PRE_LINE_CHARS = 20;

/** "after a, b, c" in lines of at most PRE_LINE_CHARS characters, breaking after a comma. */
function wrapPre(pre: string[]): string[] {
  if (pre.length === 0) return [];
  const lines: string[] = [];
  let line = 'after';
  pre.forEach((item, i) => {
    const word = i < pre.length - 1 ? `${item},` : item;
    // Break only after a word: "after" stays with the first.
    if (line !== 'after' && line.length + 1 + word.length > PRE_LINE_CHARS) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`;
  });
  lines.push(line);
  return lines;
}

function splitLabel(label: string): { name: string; shape: string } {
  const i = label.indexOf(':');
  return i < 0 ? { name: label, shape: '' } : { name: label.slice(0, i).trim(), shape: label.slice(i + 1).trim() };
}

/** Pixel side of a feature map of `n`×`n` cells: proportional, with a floor so 5×5 stays visible. */
const mapSide = (n: number) => 16 + n * 3.2;

export function layoutDiagram(layers: LayerSpec[]): DiagramLayout {
  const nodes: DiagramNode[] = [];
  for (const layer of layers) {
    if (!DRAWN.includes(layer.kind)) {
      const last = nodes[nodes.length - 1];
      if (layer.kind === 'activation' && last) last.activation = layer.activation ?? layer.torchName;
      else if (layer.kind === 'norm' && last) last.norm = 'batch norm';
      else if (last) (last.then ??= []).push(layer.torchName.toLowerCase());
      continue;
    }
    const { name, shape } = splitLabel(layer.label);
    const [c, h] = layer.outputShape;
    let node: DiagramNode;
    if (layer.outputShape.length === 3 && h > 1) {
      const side = mapSide(h);
      const count = Math.min(c, 16);
      const step = c === 1 ? 0 : count > 8 ? 4 : 6;
      const extent = side + step * (count - 1);
      node = {
        layer,
        name,
        shape,
        drawAs: layer.kind === 'input' || layer.kind === 'pad' ? 'image' : 'maps',
        x: 0,
        y: CY - extent / 2,
        w: extent,
        h: extent,
        side,
        count,
        step,
      };
    } else {
      // A dense layer, or C5 as a convolution to 1×1 maps: a column of units either way.
      const units = layer.outputShape[0];
      const isOutput = name.toLowerCase() === 'output';
      const dots = isOutput ? units : Math.min(units, 13);
      const h = isOutput ? units * 15 : Math.round(10 * Math.sqrt(units) + 18);
      node = {
        layer,
        name,
        shape,
        drawAs: isOutput ? 'output' : 'column',
        x: 0,
        y: CY - h / 2,
        w: 22,
        h,
        dots,
        elided: dots < units,
      };
    }
    nodes.push(node);
  }

  // Full connections get more room: their op labels sit side by side.
  let x = MARGIN;
  nodes.forEach((node, i) => {
    if (i > 0) x += node.drawAs === 'column' || node.drawAs === 'output' ? FAN_GAP : GAP;
    node.x = x;
    x += node.w;
  });
  const last = nodes[nodes.length - 1];
  const width = (last ? last.x + last.w + (last.drawAs === 'output' ? OUTPUT_LABELS : 0) : 0) + MARGIN;

  const links: DiagramLink[] = [];
  for (let i = 1; i < nodes.length; i++) {
    const from = nodes[i - 1];
    const to = nodes[i];
    const l = to.layer;
    const pre = [from.norm, from.activation, ...(from.then ?? [])].filter(Boolean) as string[];
    let op: string;
    let detail: string;
    let style: DiagramLink['style'];
    if (l.kind === 'pad') {
      op = 'Zero padding';
      detail = `pad ${l.padding ?? 0}`;
      style = 'plain';
    } else if (l.kind === 'conv') {
      op = 'Convolutions';
      detail = `${l.kernel}×${l.kernel}${l.padding ? `, pad ${l.padding}` : ''}${l.connections ? ', Table I' : ''}`;
      style = to.drawAs === 'maps' ? 'kernel' : 'fan';
    } else if (l.kind === 'pool') {
      op = 'Subsampling';
      // The 1998 network's subsampling has a coefficient and a bias per map: its only pooling with parameters.
      const kind = l.params > 0 ? 'trainable' : l.torchName.startsWith('Max') ? 'max' : 'avg';
      detail = `${kind} ${l.kernel}×${l.kernel}`;
      style = 'kernel';
    } else if (l.fixedParams) {
      // The paper's name for its RBF output (Fig. 2).
      op = 'Gaussian connections';
      detail = 'fixed codes';
      style = 'fan';
    } else {
      op = 'Full connection';
      detail = '';
      style = 'fan';
    }
    links.push({ from, to, op, detail, pre, preLines: wrapPre(pre), style });
  }

  const bottom = Math.max(...nodes.map((n) => n.y + n.h), CY + 80);
  // A wrapped "after …" label takes a line more.
  const extraLines = Math.max(0, ...links.map((l) => l.preLines.length + (l.detail ? 1 : 0) - 2));
  return { width, height: bottom + 78 + 14 * extraLines, cy: CY, nodes, links, opY: bottom + 40 };
}
