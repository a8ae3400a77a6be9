// mulberry32: a small seeded PRNG, so generated data (bench scenarios, storms, backfilled series,
// synthetic fits) is the same on every run. The one copy the tests, benches and scripts share.

export type Rng = () => number;

/** Uniform numbers in [0, 1); the same seed gives the same sequence. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
