// A canary's counters as Prometheus scrapes them (R-PD-11): every scrape interval at a
// random phase; a labelled series exists from the first scrape after its first event.
import { CanaryView } from "./queries";
import { shareAbove } from "./verdicts";
import { poisson } from "./random";
import { Release } from "./simulator";

/**
 * The canary's counters as Prometheus scrapes them: the samples of each scrape, each
 * series from its first event on. Generated lazily, scrape by scrape.
 */
export class ScrapedCanary implements CanaryView {
  private readonly phase: number;
  readonly errorCounts: number[] = [];
  readonly ok: number[] = [];
  /** Cumulative counts per latency bound (the bounds the checks read), and +Inf. */
  readonly buckets: number[][] = [];
  /** Index of the first scrape of each series (Infinity: not created yet). */
  firstError = Infinity;
  firstOk = Infinity;
  firstObservation = Infinity;
  private readonly probs: number[];

  constructor(
    private readonly scrape: number,
    private readonly rate: (t: number) => number,
    /** Times at which the rate changes (stage boundaries), ascending. */
    private readonly changes: number[],
    private readonly release: Release,
    private readonly bounds: number[],
    private readonly u: () => number,
    /** The first scrape's time; random (uniform over one interval) when not given. */
    phase?: number,
  ) {
    this.phase = phase ?? u() * scrape;
    // Share of requests in each latency cell: (-inf, b1], (b1, b2], ..., (b_last, +inf).
    const cdf = bounds.map((b) => 1 - shareAbove(release.latency, b));
    this.probs = [...cdf.map((c, i) => c - (i ? cdf[i - 1] : 0)), 1 - (cdf[cdf.length - 1] ?? 0)];
  }

  /** Requests expected in (a, b]: the integral of the piecewise-constant rate. */
  private expected(a: number, b: number): number {
    let total = 0;
    let from = a;
    for (const c of this.changes) {
      if (c <= from) continue;
      if (c >= b) break;
      total += this.rate(from) * (c - from);
      from = c;
    }
    return total + this.rate(from) * (b - from);
  }

  extendTo(index: number): void {
    while (this.errorCounts.length <= index) {
      const k = this.errorCounts.length;
      const t = this.phase + k * this.scrape;
      // Traffic starts at 0: the scrape before the first traffic holds nothing.
      const mean = this.expected(Math.max(0, t - this.scrape), Math.max(0, t));
      const prevE = k ? this.errorCounts[k - 1] : 0;
      const prevO = k ? this.ok[k - 1] : 0;
      const e = prevE + poisson(mean * this.release.errorRate, this.u);
      const o = prevO + poisson(mean * (1 - this.release.errorRate), this.u);
      const prevB = k ? this.buckets[k - 1] : this.probs.map(() => 0);
      // cum[i]: observations ≤ bound i since the start (the last one: +Inf), as the buckets count.
      const cum: number[] = [];
      let run = 0;
      for (let i = 0; i < this.probs.length; i++) {
        run += poisson(mean * this.probs[i], this.u);
        cum.push(prevB[i] + run);
      }
      if (e > 0 && this.firstError === Infinity) this.firstError = k;
      if (o > 0 && this.firstOk === Infinity) this.firstOk = k;
      if (cum[cum.length - 1] > 0 && this.firstObservation === Infinity) this.firstObservation = k;
      this.errorCounts.push(e);
      this.ok.push(o);
      this.buckets.push(cum);
    }
  }

  index(time: number): number {
    const k = Math.floor((time - this.phase) / this.scrape);
    if (k >= 0) this.extendTo(k);
    return k;
  }

  errors(i: number): number | undefined {
    return i >= this.firstError ? this.errorCounts[i] : undefined;
  }

  requests(i: number): number | undefined {
    const e = this.errors(i);
    const o = i >= this.firstOk ? this.ok[i] : undefined;
    return e === undefined && o === undefined ? undefined : (e ?? 0) + (o ?? 0);
  }

  bucket(i: number, le: number): number | undefined {
    if (i < this.firstObservation) return undefined;
    const cell = le === Infinity ? this.bounds.length : this.bounds.indexOf(le);
    return cell < 0 ? undefined : this.buckets[i][cell];
  }
}

// ------------------------------------------------------------------------- the plan --
