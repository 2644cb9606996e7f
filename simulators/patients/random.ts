// Seeded randomness for the simulators: one small PRNG (mulberry32; the load generator's
// home workload uses it too) and the distributions the physiology draws from. Everything a virtual
// patient does comes from here, so a seed reproduces a run exactly. Streams are derived by
// hashing the seed with names and numbers (`hashSeed(seed, 'day', 41)`), so that one day's or
// one signal's draws never shift when another's change: a window of measurements can be asked
// for in any order and gives the same values.

/** mulberry32: small, fast, good enough for noise (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box-Muller, one of the pair). */
export function standardNormal(rand: () => number): number {
  // 1 - u is in (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A 32-bit seed from any parts (FNV-1a over their text, then the murmur3 finaliser). */
export function hashSeed(...parts: Array<number | string>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193); // a separator, so ('1', '23') differs from ('12', '3')
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded source of the distributions the physiology uses. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** A stream named by `parts` under `seed`. */
  static of(...parts: Array<number | string>): Rng {
    return new Rng(hashSeed(...parts));
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Normal deviate (Box-Muller, one of the pair: the draw count per call stays fixed). */
  normal(mean = 0, sd = 1): number {
    return mean + sd * standardNormal(this.next);
  }
  /** Normal, clamped to [lo, hi] (physiology has limits; a clamp keeps the draw count fixed). */
  clampedNormal(mean: number, sd: number, lo: number, hi: number): number {
    return Math.min(hi, Math.max(lo, this.normal(mean, sd)));
  }
  /** Log-normal with the given median and log-SD. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Rounds to `decimals` places (what a device displays). */
export const roundTo = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};
