/** Seeds for the weight initializers, derived from a run's seed. */

/**
 * A distinct, well-mixed seed per tensor: with `seed + i`, run seed 1's first layer would draw the
 * same stream as run seed 0's second layer. (murmur3's 32-bit finalizer.)
 */
export function deriveSeed(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
