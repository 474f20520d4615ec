// The canary's checks (R-PD-3..5, R-PD-11), each an evidence check (queries.ts) whose least
// count is derived from the profile's false-abort budget and its picture of a healthy
// release (delivery.verdicts), never typed in: the budget is shared equally among the
// checks, and each check's share among its measurements, so that a healthy release is
// rolled back in at most the budget's share of rollouts at any traffic. The simulator
// (simulator.ts) measures what the derivation promises.
import type { StackConfig } from "../../config/schema";
import { EvidenceCheck } from "./queries";
import { minEvidence } from "./evidence";

export type ChecksArgs = Pick<StackConfig, "delivery" | "alerting">;

/** Φ⁻¹(0.99): a log-normal's p99 lies this many standard deviations above its median. */
const Z99 = 2.3263478740408408;

/** The standard normal's upper tail, 1 − Φ(z) (Abramowitz–Stegun 7.1.26 via erfc, |error| < 1.5e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The healthy release's latency as a log-normal: ln(latency seconds) ~ N(mu, sigma²). */
export function healthyLatency(cfg: Pick<StackConfig, "delivery">): { mu: number; sigma: number } {
  const h = cfg.delivery.verdicts.healthyLatency;
  const mu = Math.log(h.medianMs / 1000);
  return { mu, sigma: (Math.log(h.p99Ms / 1000) - mu) / Z99 };
}

/** Share of a log-normal latency above `seconds`. */
export function shareAbove(l: { mu: number; sigma: number }, seconds: number): number {
  return normalUpperTail((Math.log(seconds) - l.mu) / l.sigma);
}

/** The share of requests slower than the bound that a latency quantile criterion allows: p95 → 5 %, p99 → 1 %. */
export const quantileShare = (q: "p95" | "p99") => (q === "p95" ? 0.05 : 0.01);

export interface TimedCheck extends EvidenceCheck {
  /** Seconds between measurements. */
  interval: number;
  /** Measurements over the rollout (gates) or its whole traffic phase (triggers). */
  measurements: number;
  /** The healthy release's bad share the count was derived against. */
  healthyShare: number;
  /** The false-failure probability allowed per measurement. */
  alpha: number;
}

export interface VerdictChecks {
  /** R-PD-4: error rate above alerting.rules.errorRate.critical.threshold, at once. */
  errorTrigger?: TimedCheck;
  /** R-PD-4: p99 above the threshold held for the sustained window. */
  latencyTrigger?: TimedCheck;
  /** R-PD-3, per canary stage: its error-rate and latency criteria over the stage. */
  stages: Array<{ errors: TimedCheck; latency: TimedCheck; latencyMetric: string }>;
  /** Blue/green: the new colour's error rate after the switch. */
  postPromotion?: TimedCheck;
}

/** Seconds of traffic the canary plan takes: the stages' durations. */
export const trafficSeconds = (cfg: Pick<StackConfig, "delivery">) => cfg.delivery.canarySteps.reduce((s, x) => s + x.duration.seconds, 0);

/** Measurements of a stage: one per interval for the stage's whole duration. */
export const stageMeasurements = (cfg: Pick<StackConfig, "delivery">, step: StackConfig["delivery"]["canarySteps"][number]) =>
  Math.max(1, Math.round(step.duration.seconds / cfg.delivery.analysis.interval.seconds));

export function verdictChecks(cfg: ChecksArgs): VerdictChecks {
  const d = cfg.delivery;
  const v = d.verdicts;
  const latency = healthyLatency(cfg);
  const check = (
    bad: EvidenceCheck["bad"],
    share: number,
    window: number,
    interval: number,
    measurements: number,
    effective: number,
    budget: number,
  ): TimedCheck => {
    const healthyShare = bad.kind === "errors" ? v.healthyErrorRate : shareAbove(latency, bad.le);
    // Overlapping windows share their events: over the traffic phase there are about
    // `effective` independent chances to fail (twice the windows that fit: a scan's
    // excess), and never more than the measurements.
    const alpha = budget / Math.min(measurements, effective);
    return { bad, share, window, interval, measurements, minCount: minEvidence(share, healthyShare, alpha), healthyShare, alpha };
  };
  if (d.strategy === "blueGreen") {
    const last = d.canarySteps[d.canarySteps.length - 1];
    const n = d.analysis.postPromotionMeasurements;
    const window = n * d.analysis.interval.seconds;
    return { stages: [], postPromotion: check({ kind: "errors" }, last.maxErrorRate, window, d.analysis.interval.seconds, n, n, v.falseAbortBudget) };
  }
  if (d.strategy !== "canary") return { stages: [] };
  const checks = 2 + 2 * d.canarySteps.length;
  const share = v.falseAbortBudget / checks;
  const total = trafficSeconds(cfg);
  const r = d.rollback;
  const trigger = (bad: EvidenceCheck["bad"], criterion: number, window: number, interval: number) =>
    check(bad, criterion, window, interval, Math.ceil(total / interval) + 1, 2 * Math.ceil(total / window), share);
  return {
    errorTrigger: trigger({ kind: "errors" }, cfg.alerting.rules.errorRate.critical.threshold!, r.errorRate.window.seconds, r.errorRate.interval.seconds),
    latencyTrigger: trigger({ kind: "slow", le: r.latencyP99.thresholdMs / 1000 }, quantileShare("p99"), r.latencyP99.sustained.seconds, r.latencyP99.interval.seconds),
    stages: d.canarySteps.map((s) => {
      const n = stageMeasurements(cfg, s);
      const gate = (bad: EvidenceCheck["bad"], criterion: number) =>
        check(bad, criterion, s.duration.seconds, d.analysis.interval.seconds, n, n, share);
      return {
        errors: gate({ kind: "errors" }, s.maxErrorRate),
        latency: gate({ kind: "slow", le: s.maxLatencyMs / 1000 }, quantileShare(s.latencyQuantile)),
        latencyMetric: `latency-${s.latencyQuantile}`,
      };
    }),
  };
}

/** The least Poisson mean whose draw reaches `k` with probability `p`. */
export function poissonMeanFor(k: number, p: number): number {
  const reach = (m: number) => {
    let term = Math.exp(-m);
    let below = 0;
    for (let i = 0; i < k; i++) {
      below += term;
      term *= m / (i + 1);
    }
    return 1 - below;
  };
  let lo = 0;
  let hi = Math.max(1, k * 4 + 20);
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (reach(mid) >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface StageEvidence {
  stage: number;
  weight: number;
  duration: string;
  /** Canary requests the stage sees at the minimum traffic. */
  requests: number;
  /** Requests each check needs to fail, with 95 % probability, a release at twice its criterion. */
  needs: Array<{ check: string; requests: number }>;
  feasible: boolean;
  /** What would make it judge: the least weight at this duration, the least duration at this weight. */
  remedy?: { weight: number; durationSeconds: number };
}

/**
 * R-PD-11: whether each canary stage gathers enough requests at the profile's minimum
 * traffic to judge its criteria; where not, the weight or length that would.
 */
export function stageEvidence(cfg: ChecksArgs): StageEvidence[] {
  const d = cfg.delivery;
  if (d.strategy !== "canary") return [];
  const checks = verdictChecks(cfg);
  const rps = d.verdicts.minTraffic;
  return d.canarySteps.map((s, i) => {
    const c = checks.stages[i];
    const needs = [
      { check: `error rate < ${+(s.maxErrorRate * 100).toFixed(2)} %`, requests: poissonMeanFor(c.errors.minCount, 0.95) / (2 * c.errors.share) },
      { check: `${s.latencyQuantile} < ${s.maxLatencyMs} ms`, requests: poissonMeanFor(c.latency.minCount, 0.95) / (2 * c.latency.share) },
    ].map((n) => ({ ...n, requests: Math.ceil(n.requests) }));
    const requests = (rps * s.weight * s.duration.seconds) / 100;
    const need = Math.max(...needs.map((n) => n.requests));
    const feasible = requests >= need;
    return {
      stage: i + 1,
      weight: s.weight,
      duration: s.duration.text,
      requests: Math.floor(requests),
      needs,
      feasible,
      ...(feasible
        ? {}
        : { remedy: { weight: Math.ceil((100 * need) / (rps * s.duration.seconds)), durationSeconds: Math.ceil((100 * need) / (rps * s.weight) / 60) * 60 } }),
    };
  });
}
