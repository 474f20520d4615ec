// The AnalysisTemplates of progressive delivery (R-PD-3..5, R-PD-7). Every *Limit is
// written with Argo's rule in mind (argo-rollouts v1.8.3 analysis/analysis.go,
// assessMetricFailureInconclusiveOrError): a metric fails, pauses or errors when its count
// *exceeds* the limit, so a limit of N tolerates N and acts on the next one.
import type { StackConfig } from "../../config/schema";
import { formatDuration } from "../format";
import { DELIVERY_NAMES } from "../names";
import { prometheusUrl } from "../monitoring";
import { QueryArgs, stageQueries, triggerQueries } from "./queries";

export interface AnalysisTemplate {
  name: string;
  spec: Record<string, unknown>;
}

export type AnalysisArgs = QueryArgs & Pick<StackConfig, "probes">;

const HASH_ARGS = [{ name: "canary-hash" }];

/** Pass below `max`, fail at or above it; an empty result (too little traffic) is neither: inconclusive. */
const below = (max: number) => ({
  successCondition: `len(result) > 0 && result[0] < ${max}`,
  failureCondition: `len(result) > 0 && result[0] >= ${max}`,
});

/** Fail above the trigger's threshold (R-PD-4/5 say "> N"). */
const notAbove = (max: number) => ({
  successCondition: `len(result) > 0 && result[0] <= ${max}`,
  failureCondition: `len(result) > 0 && result[0] > ${max}`,
});

function prometheus(cfg: Pick<StackConfig, "monitoring">, query: string) {
  return { prometheus: { address: prometheusUrl(cfg), query } };
}

/** The rate window of a stage measurement: the interval, and at least four scrapes. */
function stageWindow(cfg: AnalysisArgs): string {
  return formatDuration(Math.max(cfg.delivery.analysis.interval.seconds, 4 * cfg.monitoring.scrapeInterval.seconds));
}

/** The limits of a stage metric (see the header: each tolerates its count). */
function stageLimits(cfg: AnalysisArgs) {
  const a = cfg.delivery.analysis;
  return {
    interval: a.interval.text,
    failureLimit: a.failuresTolerated,
    inconclusiveLimit: a.inconclusiveTolerated,
    consecutiveErrorLimit: a.consecutiveErrorsTolerated,
  };
}

type CanaryStep = StackConfig["delivery"]["canarySteps"][number];

/** Measurements of a stage: one per interval for the stage's whole duration. */
export const stageCount = (cfg: AnalysisArgs, step: CanaryStep) =>
  Math.max(1, Math.round(step.duration.seconds / cfg.delivery.analysis.interval.seconds));

/** One analysis per canary stage, measuring that stage's criteria over its whole window (R-PD-3). */
export function stageTemplate(cfg: AnalysisArgs, step: CanaryStep, index: number): AnalysisTemplate {
  const q = stageQueries(cfg);
  const window = stageWindow(cfg);
  const common = { ...stageLimits(cfg), count: stageCount(cfg, step) };
  return {
    name: DELIVERY_NAMES.stageTemplate(index),
    spec: {
      args: HASH_ARGS,
      metrics: [
        { name: "error-rate", ...common, ...below(step.maxErrorRate), provider: prometheus(cfg, q.errorRate(window)) },
        {
          name: `latency-${step.latencyQuantile}`,
          ...common,
          ...below(step.maxLatencyMs / 1000),
          provider: prometheus(cfg, q.latency(step.latencyQuantile, window)),
        },
      ],
    },
  };
}

/**
 * Background rollback triggers (R-PD-4, R-PD-5). Each query already answers "did the
 * condition hold for its whole duration", so the first failed measurement aborts
 * (failureLimit 0) and no count of unrelated short spikes can add up over a long rollout.
 * The queries never return nothing, so no measurement is inconclusive.
 */
export function triggersTemplate(cfg: AnalysisArgs): AnalysisTemplate {
  const q = triggerQueries(cfg);
  const r = cfg.delivery.rollback;
  const rules = cfg.alerting.rules;
  const metric = (name: string, interval: string, max: number, query: string) => ({
    name,
    interval,
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: r.consecutiveErrorsTolerated,
    ...notAbove(max),
    provider: prometheus(cfg, query),
  });
  return {
    name: DELIVERY_NAMES.triggersTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        metric("error-rate", r.errorRate.interval.text, rules.errorRate.critical.threshold!, q.errorRate()),
        metric("latency-p99", r.latencyP99.interval.text, r.latencyP99.thresholdMs / 1000, q.latencyP99()),
        metric("memory", r.memoryInterval.text, rules.memorySustained.critical.threshold!, q.memory()),
        metric("agent-spawn-failures", r.agentSpawnInterval.text, rules.agentSpawnFailures.critical.threshold!, q.agentSpawnFailures()),
      ],
    },
  };
}

/**
 * R-PD-7: the new pods' /health must answer 200 with every component healthy, before any
 * traffic reaches them. Run by the controller's web provider against the Service named in
 * the `service` arg (preview for blue/green, canary for canary); a non-2xx answer or a
 * status other than "healthy" fails it at once (failureLimit 0).
 */
export function smokeTemplate(cfg: AnalysisArgs): AnalysisTemplate {
  const s = cfg.delivery.smokeTest;
  return {
    name: DELIVERY_NAMES.smokeTemplate,
    spec: {
      args: [{ name: "service" }],
      metrics: [
        {
          name: "health",
          count: s.measurements,
          interval: s.interval.text,
          failureLimit: 0,
          consecutiveErrorLimit: cfg.delivery.analysis.consecutiveErrorsTolerated,
          successCondition: `result == "healthy"`,
          provider: {
            web: {
              url: `http://{{args.service}}.${cfg.namespace}.svc.cluster.local${cfg.probes.healthPath}`,
              jsonPath: "{$.status}",
              timeoutSeconds: s.timeout.seconds,
            },
          },
        },
      ],
    },
  };
}

/** After a blue/green switch: the new active colour keeps its error rate under the last stage's criteria. */
export function postPromotionTemplate(cfg: AnalysisArgs): AnalysisTemplate {
  const q = stageQueries(cfg);
  const last = cfg.delivery.canarySteps[cfg.delivery.canarySteps.length - 1];
  return {
    name: DELIVERY_NAMES.postPromotionTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        {
          name: "error-rate",
          ...stageLimits(cfg),
          count: cfg.delivery.analysis.postPromotionMeasurements,
          ...below(last.maxErrorRate),
          provider: prometheus(cfg, q.errorRate(stageWindow(cfg))),
        },
      ],
    },
  };
}

export function analysisTemplates(cfg: AnalysisArgs): AnalysisTemplate[] {
  const d = cfg.delivery;
  if (d.strategy === "canary") return [...d.canarySteps.map((s, i) => stageTemplate(cfg, s, i)), triggersTemplate(cfg), smokeTemplate(cfg)];
  if (d.strategy === "blueGreen") return [smokeTemplate(cfg), postPromotionTemplate(cfg)];
  return [];
}
