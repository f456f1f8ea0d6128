/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so runs are reproducible. */
export function createRng(seed: number): () => number {
  // The state in a typed array: a uint32 kept in a closure variable is boxed on every call (above the small-integer
  // range), and the scheduler draws once per tied node.
  const state = new Uint32Array([seed >>> 0]);
  return () => {
    state[0] = state[0] + 0x6d2b79f5;
    let t = state[0];
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
