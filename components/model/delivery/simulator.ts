// A verdict simulator (R-PD-11): runs the canary plan as Argo Rollouts v1.8.3 runs it on
// the rendered AnalysisTemplates, against Poisson traffic scraped as Prometheus scrapes it,
// and reports how often a release is rolled back and how soon.
//
// - Argo (analysis/analysis.go): each metric's first measurement is taken when its run
//   starts, the next one interval after the last finished (calculateNextReconcileTime); a
//   metric fails when its failed count exceeds failureLimit (assessMetricFailure…), and a
//   failed run aborts the rollout. The background run (the triggers) starts with the first
//   traffic; each stage's run starts at its setWeight and the next stage follows its last
//   measurement.
// - Prometheus: the canary's counters are scraped every scrape interval at a random phase;
//   an instant selector reads the last sample at or before the evaluation time; a series
//   exists from the first scrape after its first event (labelled counters are created
//   lazily, e.g. the first 5xx). The queries are the templates' own: each metric's PromQL
//   is checked against the builder whose TypeScript twin (queries.ts) the simulator runs.
// - Traffic: requests arrive as a Poisson process of the total rate times the stage's weight;
//   each is a 5xx with the release's error rate and takes a log-normal time.
// Pure and deterministic for a seed.
import { DELIVERY_NAMES } from "../names";
import { CanaryView, EvidenceCheck, evidence, evidenceQuery } from "./queries";
import { VerdictChecks, shareAbove } from "./verdicts";

/** A release as the canary's users see it. */
export interface Release {
  name: string;
  errorRate: number;
  /** ln(latency seconds) ~ N(mu, sigma²). */
  latency: { mu: number; sigma: number };
}

export interface SimMetric {
  template: string;
  name: string;
  interval: number;
  /** Measurements before the metric succeeds (stages); undefined: until the rollout ends. */
  count?: number;
  failureLimit: number;
  check: EvidenceCheck;
}

export interface SimPlan {
  scrapeInterval: number;
  stages: Array<{ weight: number; metrics: SimMetric[] }>;
  background: SimMetric[];
  /** Metrics the simulator does not run (gauges and volumes a healthy or an HTTP-only bad release never moves). */
  notSimulated: string[];
}

export interface Outcome {
  aborted: boolean;
  /** Seconds from the first traffic to the failing measurement (aborted), or to the last one. */
  at: number;
  /** `template/metric` that failed. */
  by?: string;
}

// ------------------------------------------------------------------ random numbers --

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

type Template = { metadata: { name: string }; spec: { metrics: Array<Record<string, unknown>> } };

/** Go duration text (Argo's intervals) to seconds: h, m, s, ms. */
export function goSeconds(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let m: RegExpExecArray | null;
  let seen = "";
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
    seen += m[0];
  }
  if (seen !== text) throw new Error(`not a Go duration: ${text}`);
  return total;
}

/**
 * The plan as the rendered objects state it: the Rollout's steps and weights, each
 * template's metrics with their intervals, counts and limits. Each HTTP metric's query and
 * conditions must be the evidence builder's (so the simulated check is the rendered one);
 * other metrics are listed as not simulated.
 */
export function planFromRendered(
  rollout: { strategy: { canary?: { steps: Array<Record<string, unknown>>; analysis?: { templates: Array<{ templateName: string }> } } } },
  templates: Template[],
  checks: VerdictChecks,
  scrapeInterval: number,
  namespace: string,
): SimPlan {
  const canary = rollout.strategy.canary;
  if (!canary) throw new Error("the simulator runs canary plans");
  const byName = new Map(templates.map((t) => [t.metadata.name, t]));
  const expected = new Map<string, EvidenceCheck>();
  if (checks.errorTrigger) expected.set(`${DELIVERY_NAMES.triggersTemplate}/error-rate`, checks.errorTrigger);
  if (checks.latencyTrigger) expected.set(`${DELIVERY_NAMES.triggersTemplate}/latency-p99`, checks.latencyTrigger);
  checks.stages.forEach((s, i) => {
    expected.set(`${DELIVERY_NAMES.stageTemplate(i)}/error-rate`, s.errors);
    expected.set(`${DELIVERY_NAMES.stageTemplate(i)}/${s.latencyMetric}`, s.latency);
  });
  const notSimulated: string[] = [];
  const metricsOf = (name: string): SimMetric[] => {
    const t = byName.get(name);
    if (!t) throw new Error(`no rendered AnalysisTemplate ${name}`);
    return t.spec.metrics.flatMap((m) => {
      const key = `${name}/${String(m.name)}`;
      const check = expected.get(key);
      if (!check) {
        notSimulated.push(key);
        return [];
      }
      const query = (m.provider as { prometheus?: { query?: string } }).prometheus?.query;
      if (query !== evidenceQuery({ namespace }, check)) throw new Error(`${key}: the rendered query is not the evidence check the simulator runs`);
      if (m.successCondition !== "result[0] == 0" || m.failureCondition !== "result[0] > 0") throw new Error(`${key}: conditions are not the evidence conditions`);
      return [
        {
          template: name,
          name: String(m.name),
          interval: goSeconds(String(m.interval)),
          count: typeof m.count === "number" ? m.count : undefined,
          failureLimit: Number(m.failureLimit ?? 0),
          check,
        },
      ];
    });
  };
  const stages: SimPlan["stages"] = [];
  let weight = 0;
  for (const step of canary.steps) {
    if (typeof step.setWeight === "number") weight = step.setWeight;
    const analysis = step.analysis as { templates?: Array<{ templateName: string }> } | undefined;
    if (analysis && weight > 0) stages.push({ weight, metrics: analysis.templates!.flatMap((x) => metricsOf(x.templateName)) });
  }
  const background = (canary.analysis?.templates ?? []).flatMap((x) => metricsOf(x.templateName));
  return { scrapeInterval, stages, background, notSimulated };
}

/** Latency bounds the plan's checks read. */
function boundsOf(plan: SimPlan): number[] {
  const all = [...plan.background, ...plan.stages.flatMap((s) => s.metrics)];
  return [...new Set(all.flatMap((m) => (m.check.bad.kind === "slow" ? [m.check.bad.le] : [])))].sort((a, b) => a - b);
}

/** One rollout of `release` at `totalRps`: aborted (when, by what), or promoted. */
export function simulateRollout(plan: SimPlan, release: Release, totalRps: number, u: () => number): Outcome {
  // Stage boundaries: each stage runs its metrics' measurements; the next starts after the last.
  const starts: number[] = [];
  let t0 = 0;
  for (const s of plan.stages) {
    starts.push(t0);
    const last = Math.max(...s.metrics.map((m) => ((m.count ?? 1) - 1) * m.interval));
    t0 += last;
  }
  const end = t0;
  const weightAt = (t: number) => {
    let w = 0;
    for (let i = 0; i < starts.length; i++) if (t >= starts[i]) w = plan.stages[i].weight;
    return t >= end ? 100 : w;
  };
  const canary = new ScrapedCanary(plan.scrapeInterval, (t) => (totalRps * weightAt(t)) / 100, [...starts.slice(1), end], release, boundsOf(plan), u);

  interface Pending {
    metric: SimMetric;
    next: number;
    taken: number;
    failed: number;
    until: number;
  }
  const pending: Pending[] = plan.background.map((m) => ({ metric: m, next: 0, taken: 0, failed: 0, until: end }));
  plan.stages.forEach((s, i) => {
    for (const m of s.metrics) pending.push({ metric: m, next: starts[i], taken: 0, failed: 0, until: Infinity });
  });
  for (;;) {
    let p: Pending | undefined;
    for (const x of pending) if ((x.metric.count === undefined || x.taken < x.metric.count) && x.next <= x.until && (!p || x.next < p.next)) p = x;
    if (!p) return { aborted: false, at: end };
    const value = evidence(canary, p.metric.check, p.next);
    p.taken++;
    if (value > 0 && ++p.failed > p.metric.failureLimit) return { aborted: true, at: p.next, by: `${p.metric.template}/${p.metric.name}` };
    p.next += p.metric.interval;
  }
}

export interface CaseResult {
  release: string;
  totalRps: number;
  rollouts: number;
  aborted: number;
  /** Seconds to abort, sorted (aborted rollouts only). */
  abortTimes: number[];
  /** Aborts by check. */
  by: Record<string, number>;
}

/** Runs `n` rollouts of a case with a fixed seed. */
export function simulateCase(plan: SimPlan, release: Release, totalRps: number, n: number, seed: number): CaseResult {
  const u = rng(seed);
  const times: number[] = [];
  const by: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const o = simulateRollout(plan, release, totalRps, u);
    if (o.aborted) {
      times.push(o.at);
      by[o.by!] = (by[o.by!] ?? 0) + 1;
    }
  }
  times.sort((a, b) => a - b);
  return { release: release.name, totalRps, rollouts: n, aborted: times.length, abortTimes: times, by };
}

/** The q-quantile (0..1) of the rollouts' times to abort, counting a rollout never aborted as never (Infinity). */
export function abortQuantile(r: CaseResult, q: number): number {
  const rank = Math.ceil(q * r.rollouts) - 1;
  return rank < r.abortTimes.length ? r.abortTimes[rank] : Infinity;
}

// ------------------------------------------------------------------------- the report --

/** The releases R-PD-11 measures: healthy, 10 % 5xx, a full outage, and p99 at the R-PD-5 critical latency. */
export function releases(healthy: { errorRate: number; latency: { mu: number; sigma: number } }, p99Seconds: number): Record<"healthy" | "errors" | "outage" | "latency", Release> {
  const slow = { mu: Math.log(p99Seconds) - 2.3263478740408408 * healthy.latency.sigma, sigma: healthy.latency.sigma };
  return {
    healthy: { name: "healthy", errorRate: healthy.errorRate, latency: healthy.latency },
    errors: { name: "10 % 5xx", errorRate: 0.1, latency: healthy.latency },
    outage: { name: "only 5xx", errorRate: 1, latency: healthy.latency },
    latency: { name: `p99 = ${p99Seconds} s`, errorRate: healthy.errorRate, latency: slow },
  };
}

export interface TrafficFigures {
  totalRps: number;
  rollouts: number;
  /** Share of healthy rollouts rolled back. */
  falseAbort: number;
  /** p95 seconds to abort (Infinity: not within the rollout). */
  errorsP95: number;
  outageP95: number;
  latencyP95: number;
}

const cache = new Map<string, TrafficFigures>();

/** Simulated figures at one traffic level (fixed seeds; memoised per plan and traffic within a process). */
export function trafficFigures(plan: SimPlan, rel: ReturnType<typeof releases>, totalRps: number, rollouts: number): TrafficFigures {
  const key = JSON.stringify([plan, rel, totalRps, rollouts]);
  const hit = cache.get(key);
  if (hit) return hit;
  const healthy = simulateCase(plan, rel.healthy, totalRps, rollouts, 1);
  const figures = {
    totalRps,
    rollouts,
    falseAbort: healthy.aborted / rollouts,
    errorsP95: abortQuantile(simulateCase(plan, rel.errors, totalRps, rollouts, 2), 0.95),
    outageP95: abortQuantile(simulateCase(plan, rel.outage, totalRps, rollouts, 3), 0.95),
    latencyP95: abortQuantile(simulateCase(plan, rel.latency, totalRps, rollouts, 4), 0.95),
  };
  cache.set(key, figures);
  return figures;
}
