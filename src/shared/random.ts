/**
 * mulberry32: a tiny, fast 32-bit PRNG with good enough statistics for shuffling and sampling.
 * Math.random cannot be seeded, and splits, shuffles and sweep samples must repeat for a seed.
 * The stream's whole state is one uint32, so a checkpoint can save it and a resumed run continue
 * the same sequence.
 */
export interface RandomStream {
  /** A float in [0, 1). */
  next(): number;
  /** The current state; `mulberry32Stream(state)` continues from here. */
  readonly state: number;
}

export function mulberry32Stream(state: number): RandomStream {
  let s = state >>> 0;
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    get state() {
      return s;
    },
  };
}

/** @returns a function giving floats in [0, 1) */
export function mulberry32(seed: number): () => number {
  const stream = mulberry32Stream(seed);
  return () => stream.next();
}
