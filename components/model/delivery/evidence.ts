// Verdicts on evidence (R-PD-11): how many bad events a window must hold before a canary
// check may fail, derived from the false-abort budget and what a healthy release looks
// like. A check counts, over a window, the canary's requests n and its bad ones x (5xx, or
// slower than a latency criterion) and fails when x > share · n (the criterion: "error rate
// > 5 %", "p95 ≥ 500 ms" is "more than 5 % slower than 500 ms") **and** x ≥ minCount. The
// second clause is what a raw ratio lacks: one 5xx among 15 requests is over 5 %, and a
// healthy release makes one now and then. minCount is the least count for which a healthy
// release (bad share pHealthy) fails one measurement with probability at most alpha, at
// any traffic: max over n of P(Binomial(n, pHealthy) ≥ max(minCount, ⌊share·n⌋ + 1)).
// Pure arithmetic, no Pulumi.
import { memoize } from "../../shared/memo";

/** ln Γ(x) (Lanczos, g = 7), for binomial coefficients in log space. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed from the smaller side. */
export function binomTail(n: number, p: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const mean = n * p;
  if (k > mean) {
    let s = 0;
    for (let i = k; i <= n; i++) {
      const t = binomPmf(n, p, i);
      s += t;
      if (t < s * 1e-16 && i > mean) break;
    }
    return Math.min(1, s);
  }
  let s = 0;
  for (let i = 0; i < k; i++) s += binomPmf(n, p, i);
  return Math.max(0, 1 - s);
}

/**
 * The probability that one measurement of a check fails a healthy release, at the
 * traffic (window count n) where it is largest. For a failure with m bad events the window
 * may hold at most ⌈m/share⌉ − 1 requests, and fewer only make m less likely: so the
 * candidates are n = ⌈m/share⌉ − 1 for m = minCount, minCount + 1, …, whose probabilities
 * fall once m passes the healthy mean of n (pHealthy < share).
 */
export function worstFalseFailure(share: number, pHealthy: number, minCount: number): { probability: number; atRequests: number } {
  let worst = { probability: 0, atRequests: 0 };
  for (let m = minCount; m < minCount + 10000; m++) {
    const n = Math.max(m, Math.ceil(m / share) - 1);
    const p = binomTail(n, pHealthy, m);
    if (p > worst.probability) worst = { probability: p, atRequests: n };
    else if (p < worst.probability * 1e-3) break;
  }
  return worst;
}

/** The least count of bad events a check needs so that a healthy release fails one measurement with probability ≤ alpha. */
export const minEvidence = memoize((share: number, pHealthy: number, alpha: number) => `${share}/${pHealthy}/${alpha}`, leastEvidence);

function leastEvidence(share: number, pHealthy: number, alpha: number): number {
  if (!(pHealthy < share)) throw new Error(`a healthy release's share (${pHealthy}) must be below the criterion (${share})`);
  for (let k = 1; k <= 1000; k++) {
    if (worstFalseFailure(share, pHealthy, k).probability <= alpha) return k;
  }
  throw new Error(`no count up to 1000 keeps a false failure under ${alpha}`);
}
