// The AnalysisTemplates of progressive delivery (R-PD-3..5, R-PD-7). Every *Limit is
// written with Argo's rule in mind (argo-rollouts v1.8.3 analysis/analysis.go,
// assessMetricFailureInconclusiveOrError): a metric fails, pauses or errors when its count
// *exceeds* the limit, so a limit of N tolerates N and acts on the next one.
import type { StackConfig } from "../../config/schema";
import { DELIVERY_NAMES } from "../names";
import { prometheusUrl } from "../monitoring";
import { QueryArgs, evidenceQuery, sustainedQueries } from "./queries";
import { stageMeasurements, verdictChecks } from "./verdicts";

export interface AnalysisTemplate {
  name: string;
  spec: Record<string, unknown>;
}

export type AnalysisArgs = QueryArgs & Pick<StackConfig, "probes">;

const HASH_ARGS = [{ name: "canary-hash" }];

/** Fail above the trigger's threshold (R-PD-4/5 say "> N"). */
const notAbove = (max: number) => ({
  successCondition: `len(result) > 0 && result[0] <= ${max}`,
  failureCondition: `len(result) > 0 && result[0] > ${max}`,
});

/** An evidence query answers the bad count when it is evidence, 0 otherwise: every answer decides. */
const onEvidence = {
  successCondition: "result[0] == 0",
  failureCondition: "result[0] > 0",
};

function prometheus(cfg: Pick<StackConfig, "monitoring">, query: string) {
  return { prometheus: { address: prometheusUrl(cfg), query } };
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
export const stageCount = (cfg: AnalysisArgs, step: CanaryStep) => stageMeasurements(cfg, step);

/** One analysis per canary stage: evidence against that stage's criteria over the stage (R-PD-3, R-PD-11). */
export function stageTemplate(cfg: AnalysisArgs, step: CanaryStep, index: number): AnalysisTemplate {
  const c = verdictChecks(cfg).stages[index];
  const common = { ...stageLimits(cfg), count: stageCount(cfg, step) };
  return {
    name: DELIVERY_NAMES.stageTemplate(index),
    spec: {
      args: HASH_ARGS,
      metrics: [
        { name: "error-rate", ...common, ...onEvidence, provider: prometheus(cfg, evidenceQuery(cfg, c.errors)) },
        { name: c.latencyMetric, ...common, ...onEvidence, provider: prometheus(cfg, evidenceQuery(cfg, c.latency)) },
      ],
    },
  };
}

/**
 * Background rollback triggers (R-PD-4, R-PD-5). The HTTP ones abort on the first
 * measurement that is evidence (R-PD-11); the memory and spawn ones ask whether the
 * condition held for its whole duration. Every query answers, so no measurement is
 * inconclusive, and failureLimit 0 means no count of unrelated moments adds up over a
 * long rollout.
 */
export function triggersTemplate(cfg: AnalysisArgs): AnalysisTemplate {
  const q = sustainedQueries(cfg);
  const c = verdictChecks(cfg);
  const r = cfg.delivery.rollback;
  const rules = cfg.alerting.rules;
  const limits = (interval: string) => ({ interval, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: r.consecutiveErrorsTolerated });
  return {
    name: DELIVERY_NAMES.triggersTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        { name: "error-rate", ...limits(r.errorRate.interval.text), ...onEvidence, provider: prometheus(cfg, evidenceQuery(cfg, c.errorTrigger!)) },
        { name: "latency-p99", ...limits(r.latencyP99.interval.text), ...onEvidence, provider: prometheus(cfg, evidenceQuery(cfg, c.latencyTrigger!)) },
        { name: "memory", ...limits(r.memoryInterval.text), ...notAbove(rules.memorySustained.critical.threshold!), provider: prometheus(cfg, q.memory()) },
        {
          name: "agent-spawn-failures",
          ...limits(r.agentSpawnInterval.text),
          ...notAbove(rules.agentSpawnFailures.critical.threshold!),
          provider: prometheus(cfg, q.agentSpawnFailures()),
        },
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

/** After a blue/green switch: evidence against the last stage's error criterion on the new active colour. */
export function postPromotionTemplate(cfg: AnalysisArgs): AnalysisTemplate {
  const c = verdictChecks(cfg).postPromotion!;
  return {
    name: DELIVERY_NAMES.postPromotionTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        {
          name: "error-rate",
          ...stageLimits(cfg),
          count: cfg.delivery.analysis.postPromotionMeasurements,
          ...onEvidence,
          provider: prometheus(cfg, evidenceQuery(cfg, c)),
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
