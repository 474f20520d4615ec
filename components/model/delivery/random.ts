// Deterministic randomness for the verdict simulator (R-PD-11): a seeded generator and
// Poisson draws (Knuth for small means, PTRS for large: Hörmann 1993).

/** mulberry32: a small, fast, seedable PRNG with a full 2^32 period. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lnFactorial(k: number): number {
  // Stirling's series is exact to ~1e-10 from 10 on; below, sum the logs.
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  return (k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * (k + 1)) - 1 / (360 * (k + 1) ** 3);
}

/** A Poisson variate: inversion for small means, Hörmann's PTRS (transformed rejection) above. */
export function poisson(mean: number, u: () => number): number {
  if (mean <= 0) return 0;
  if (mean < 10) {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const x = u();
    while (x > s && k < 1000) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = u() - 0.5;
    const V = u();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - lnFactorial(k)) return k;
  }
}

// -------------------------------------------------------------- the canary's counters --
