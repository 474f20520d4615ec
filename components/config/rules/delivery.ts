// Cross-field rules of progressive delivery (R-PD): the progress deadline, rising canary
// weights with a measurement per stage, rate windows of two scrapes, traffic routing for a
// canary, and the verdict evidence's latency bounds and healthy release (R-PD-11).
import type { Path } from "../messages";
import type { StackConfig } from "../schema";
import { Ref, twoScrapes } from "./common";

/** Rules among the delivery settings, and their latency bounds against the request histogram. */
export function deliveryProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  if (cfg.delivery.progressDeadline.seconds <= cfg.delivery.minReady.seconds) {
    p.push(
      `${ref(["delivery", "progressDeadline"])}: must be longer than ${ref(["delivery", "minReady"])} (Kubernetes rejects a progress deadline that is not)`,
    );
  }
  const d = cfg.delivery;
  d.canarySteps.forEach((step, i) => {
    const prev = d.canarySteps[i - 1];
    if (prev && step.weight <= prev.weight) {
      p.push(`${ref(["delivery", "canarySteps", i, "weight"])}: canary weights must rise stage by stage (stage ${i} has ${prev.weight})`);
    }
    if (step.duration.seconds < d.analysis.interval.seconds) {
      p.push(`${ref(["delivery", "canarySteps", i, "duration"])}: must be at least ${ref(["delivery", "analysis", "interval"])} (one measurement per stage)`);
    }
  });
  p.push(...twoScrapes(cfg, ref, ["delivery", "rollback", "errorRate", "window"], d.rollback.errorRate.window.seconds));
  p.push(...twoScrapes(cfg, ref, ["delivery", "rollback", "latencyP99", "sustained"], d.rollback.latencyP99.sustained.seconds));
  if (d.strategy === "canary" && d.trafficRouter === "none") {
    p.push(`${ref(["delivery", "trafficRouter"])}: a canary needs traffic routing for exact weights such as ${d.canarySteps[0].weight} %; use "gatewayApi"`);
  }

  p.push(...verdictProblems(cfg, ref));
  return p;
}

/** Whether this stack installs the Argo Rollouts controller with the Gateway API plugin. */
export function pluginInstalled(cfg: Pick<StackConfig, "delivery">): boolean {
  const d = cfg.delivery;
  return d.installController && d.strategy === "canary" && d.trafficRouter === "gatewayApi";
}

/**
 * The canary's checks count requests above latency bounds, so each bound is a bucket of the
 * request histogram; and a healthy release (delivery.verdicts) must lie inside every
 * criterion, or no count of evidence could tell it from a bad one (R-PD-11).
 */
function verdictProblems(cfg: StackConfig, ref: Ref): string[] {
  const d = cfg.delivery;
  const v = d.verdicts;
  const p: string[] = [];
  const buckets = cfg.alerting.histograms.requestDurationBuckets;
  const bucketsRef = ref(["alerting", "histograms", "requestDurationBuckets"]);
  const bound = (path: Path, ms: number) => {
    if (!buckets.includes(ms / 1000)) p.push(`${ref(path)}: must be a bucket bound of http_request_duration_seconds (${bucketsRef}); the canary's checks count the requests above it`);
  };
  if (d.strategy !== "rolling") {
    d.canarySteps.forEach((s, i) => bound(["delivery", "canarySteps", i, "maxLatencyMs"], s.maxLatencyMs));
    bound(["delivery", "rollback", "latencyP99", "thresholdMs"], d.rollback.latencyP99.thresholdMs);
  }
  if (v.healthyLatency.p99Ms <= v.healthyLatency.medianMs) {
    p.push(`${ref(["delivery", "verdicts", "healthyLatency", "p99Ms"])}: must be above ${ref(["delivery", "verdicts", "healthyLatency", "medianMs"])}`);
  }
  const errorCriteria: Array<[Path, number]> = [
    [["alerting", "rules", "errorRate", "critical", "threshold"], cfg.alerting.rules.errorRate.critical.threshold!],
    ...d.canarySteps.map((s, i) => [["delivery", "canarySteps", i, "maxErrorRate"], s.maxErrorRate] as [Path, number]),
  ];
  const [lowestPath, lowest] = errorCriteria.reduce((a, b) => (b[1] < a[1] ? b : a));
  if (v.healthyErrorRate >= lowest) {
    p.push(`${ref(["delivery", "verdicts", "healthyErrorRate"])}: must be below ${ref(lowestPath)} (the lowest error criterion): a healthy release must pass the canary's checks`);
  }
  return p;
}
