/**
 * The clipping guard: finds text on the page that a reader cannot read whole. For every visible
 * text in the page it measures where the browser laid the text out (a Range's client rects) and
 * reports it when
 * - part of it lies outside a box that clips it (an ancestor with overflow other than visible:
 *   a matrix cell, an ellipsised label, a table wrapper scrolled sideways), outside the window, or
 *   sideways outside the block that holds it (where it runs over its neighbour);
 * - one word of it is broken over two lines ("Trous / er"): the browser split it mid-word.
 * SVG boxes (the architecture diagram) are checked whole against the boxes that clip them.
 * Canvas charts draw their own text and are not seen here.
 */
import type { Page } from 'playwright-core';

export interface Clipped {
  /** The text (or `<svg …>`) that does not show whole. */
  text: string;
  /** `cut`: part of it is outside a box that clips it; `split`: a word broken over two lines. */
  kind: 'cut' | 'split';
  /** The nearest element with a test id, to find it. */
  where: string;
}

/** Everything on the page that is clipped or split, at the current window size. */
export function clippedText(page: Page): Promise<Clipped[]> {
  return page.evaluate(() => {
    const SLACK = 1;
    const out: { text: string; kind: 'cut' | 'split'; where: string }[] = [];
    const where = (el: Element): string => {
      const tagged = el.closest('[data-testid]');
      return tagged ? `${tagged.getAttribute('data-testid')}` : el.tagName.toLowerCase();
    };
    /** Meant to be read by screen readers only (the usual 1px clip) or not shown at all. */
    const hidden = (el: Element): boolean => {
      for (let e: Element | null = el, from: Element | null = null; e; from = e, e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return true;
        if ((s.clip !== 'auto' || s.clipPath !== 'none') && s.position === 'absolute') return true;
        // A closed details control shows its summary only.
        if (e instanceof HTMLDetailsElement && !e.open && from?.tagName !== 'SUMMARY') return true;
      }
      return false;
    };
    /** The boxes that clip `el`'s content: ancestors whose overflow is not visible, and the window. */
    const clipBoxes = (el: Element) => {
      const boxes: { left: number; right: number; top: number | null; bottom: number | null }[] = [];
      for (let e = el.parentElement; e; e = e.parentElement) {
        if (e === document.body || e === document.documentElement) break;
        const s = getComputedStyle(e);
        const x = s.overflowX !== 'visible';
        // Vertical scrolling (a long list in its own pane) hides nothing for good: only a box
        // that cuts vertically without a scroll bar counts.
        const y = s.overflowY === 'hidden' || s.overflowY === 'clip';
        if (!x && !y) continue;
        const r = e.getBoundingClientRect();
        // The box's inside, without its border and scroll bar.
        const left = r.left + e.clientLeft;
        boxes.push({
          left: x ? left : -Infinity,
          right: x ? left + e.clientWidth : Infinity,
          top: y ? r.top + e.clientTop : null,
          bottom: y ? r.top + e.clientTop + e.clientHeight : null,
        });
      }
      boxes.push({ left: 0, right: document.documentElement.clientWidth, top: null, bottom: null });
      return boxes;
    };
    const outside = (r: DOMRect, boxes: ReturnType<typeof clipBoxes>) =>
      boxes.some(
        (b) =>
          r.left < b.left - SLACK ||
          r.right > b.right + SLACK ||
          (b.top != null && r.top < b.top - SLACK) ||
          (b.bottom != null && r.bottom > b.bottom + SLACK),
      );

    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!text.trim()) continue;
      const el = node.parentElement;
      if (!el || el.closest('svg, script, style, option, textarea, title') || hidden(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (!rects.length) continue;
      const boxes = clipBoxes(el);
      // A block that holds the text is a box too: text running out of it runs over its neighbour
      // (a class name wider than its matrix column), though nothing cuts it.
      const display = getComputedStyle(el).display;
      if (display !== 'inline' && display !== 'contents') {
        const r = el.getBoundingClientRect();
        boxes.push({ left: r.left, right: r.right, top: null, bottom: null });
      }
      if (rects.some((r) => outside(r, boxes))) {
        out.push({ text: text.trim(), kind: 'cut', where: where(el) });
        continue;
      }
      // Each word on one line: words end at spaces, and after a hyphen, slash or zero-width space
      // (where a break reads naturally: "T-shirt/ top").
      const word = /[^\s\u200b/-]+[/-]?/g;
      for (let m = word.exec(text); m; m = word.exec(text)) {
        const w = document.createRange();
        w.setStart(node, m.index);
        w.setEnd(node, m.index + m[0].length);
        const tops = new Set([...w.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) {
          out.push({ text: `${m[0]} (in "${text.trim()}")`, kind: 'split', where: where(el) });
          break;
        }
      }
    }
    for (const svg of document.querySelectorAll('svg')) {
      if (hidden(svg) || svg.parentElement?.closest('svg')) continue;
      const r = svg.getBoundingClientRect();
      if (r.width < 24 || r.height < 24) continue; // icons
      if (outside(r, clipBoxes(svg)))
        out.push({ text: `<svg ${svg.getAttribute('aria-label') ?? ''}>`, kind: 'cut', where: where(svg) });
    }
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + SLACK)
      out.push({
        text: `the page is ${document.documentElement.scrollWidth}px wide in a ${document.documentElement.clientWidth}px window`,
        kind: 'cut',
        where: 'html',
      });
    return out;
  });
}
