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
import { memoize } from "../../shared/memo";
import { EvidenceCheck, evidence } from "./queries";
import { rng } from "./random";
import { ScrapedCanary } from "./scraped";

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

// ------------------------------------------------------------------------ a rollout --

/** What every rollout of a plan shares: when each stage starts, when the rollout ends, the latency bounds its checks read. */
interface Shape {
  starts: number[];
  end: number;
  bounds: number[];
}

function shapeOf(plan: SimPlan): Shape {
  // Stage boundaries: each stage runs its metrics' measurements; the next starts after the last.
  const starts: number[] = [];
  let t0 = 0;
  for (const s of plan.stages) {
    starts.push(t0);
    const last = Math.max(...s.metrics.map((m) => ((m.count ?? 1) - 1) * m.interval));
    t0 += last;
  }
  const all = [...plan.background, ...plan.stages.flatMap((s) => s.metrics)];
  const bounds = [...new Set(all.flatMap((m) => (m.check.bad.kind === "slow" ? [m.check.bad.le] : [])))].sort((a, b) => a - b);
  return { starts, end: t0, bounds };
}

/** One rollout of `release` at `totalRps`: aborted (when, by what), or promoted. */
export function simulateRollout(plan: SimPlan, release: Release, totalRps: number, u: () => number): Outcome {
  return rollout(plan, shapeOf(plan), release, totalRps, u);
}

function rollout(plan: SimPlan, { starts, end, bounds }: Shape, release: Release, totalRps: number, u: () => number): Outcome {
  const weightAt = (t: number) => {
    let w = 0;
    for (let i = 0; i < starts.length; i++) if (t >= starts[i]) w = plan.stages[i].weight;
    return t >= end ? 100 : w;
  };
  const canary = new ScrapedCanary(plan.scrapeInterval, (t) => (totalRps * weightAt(t)) / 100, [...starts.slice(1), end], release, bounds, u);

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
  const shape = shapeOf(plan);
  const times: number[] = [];
  const by: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const o = rollout(plan, shape, release, totalRps, u);
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

/** Simulated figures at one traffic level (fixed seeds; memoised per plan and traffic within a process). */
export const trafficFigures = memoize(
  (plan: SimPlan, rel: ReturnType<typeof releases>, totalRps: number, rollouts: number) => JSON.stringify([plan, rel, totalRps, rollouts]),
  (plan: SimPlan, rel: ReturnType<typeof releases>, totalRps: number, rollouts: number): TrafficFigures => {
    const healthy = simulateCase(plan, rel.healthy, totalRps, rollouts, 1);
    return {
      totalRps,
      rollouts,
      falseAbort: healthy.aborted / rollouts,
      errorsP95: abortQuantile(simulateCase(plan, rel.errors, totalRps, rollouts, 2), 0.95),
      outageP95: abortQuantile(simulateCase(plan, rel.outage, totalRps, rollouts, 3), 0.95),
      latencyP95: abortQuantile(simulateCase(plan, rel.latency, totalRps, rollouts, 4), 0.95),
    };
  },
);
