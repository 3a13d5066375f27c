/** A seeded pseudo-random source: returns floats in [0, 1). */
export type Random = () => number;

/** mulberry32: a 32-bit seeded PRNG, small and fast enough for sampling and initialisation. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n) drawn from `random`. */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/**
 * Seeded sample of `size` distinct indices from [0, n), sorted ascending.
 * Returns every index when size ≥ n. Floyd's algorithm keeps memory at O(size), not O(n).
 */
export function sampleIndices(n: number, size: number, seed: number): Uint32Array {
  if (size >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  const chosen = new Set<number>();
  for (let j = n - size; j < n; j++) {
    const t = randomInt(random, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen).sort();
}
