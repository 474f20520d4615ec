// The delivery plan the render summary and docs/delivery.md show: stages with their
// criteria and what their limits mean under Argo's "exceeds" rule, and each rollback
// trigger's worst-case time from a bad release's first request to traffic on stable,
// computed from the declared windows, durations, intervals and limits.
import type { StackConfig } from "../../config/schema";
import { formatDuration } from "../format";
import { DELIVERY_NAMES } from "../names";
import { AnalysisArgs, stageCount } from "./analysis";
import { verdictMechanism } from "./verdict";

export interface TriggerPlan {
  trigger: string;
  requirement: string;
  condition: string;
  /** Seconds from onset until Prometheus says the condition held for its whole duration. */
  detectSeconds: number;
  intervalSeconds: number;
  /** Argo's failureLimit: the triggers abort on the first failed measurement. */
  failureLimit: number;
  /** Worst time from the first bad request to traffic back on stable, seconds. */
  worstSeconds: number;
  breakdown: string;
}

const fd = formatDuration;

/**
 * Worst case per trigger = detection + interval × (failureLimit + 1) + traffic shift:
 * - detection: a rate window W holds only post-onset samples W after the onset; a
 *   condition "for D" is then D more (the subquery's points must all be above the
 *   threshold); a gauge's first post-onset sample is at most one scrape late;
 * - the next measurement comes at most one interval later, and with failureLimit 0 it
 *   aborts (Argo fails a metric when failures exceed the limit);
 * - the router then moves the canary weight to 0 within the traffic-shift budget.
 */
export function triggerPlans(cfg: AnalysisArgs): TriggerPlan[] {
  const r = cfg.delivery.rollback;
  const rules = cfg.alerting.rules;
  const scrape = cfg.monitoring.scrapeInterval.seconds;
  const shift = cfg.delivery.trafficShiftBudget.seconds;
  const mem = rules.memorySustained.critical;
  const spawn = rules.agentSpawnFailures.critical;
  const plan = (
    trigger: string,
    requirement: string,
    condition: string,
    basis: [number, string],
    sustained: number,
    interval: number,
  ): TriggerPlan => {
    const detect = basis[0] + sustained;
    const failureLimit = 0;
    return {
      trigger,
      requirement,
      condition,
      detectSeconds: detect,
      intervalSeconds: interval,
      failureLimit,
      worstSeconds: detect + interval * (failureLimit + 1) + shift,
      breakdown:
        `${fd(basis[0])} ${basis[1]}${sustained ? ` + ${fd(sustained)} held` : ""} + ${failureLimit + 1}×${fd(interval)} measurement + ${fd(shift)} shift`,
    };
  };
  const pct = (x: number) => `${+(x * 100).toPrecision(4)} %`;
  return [
    // Evidence is counted up to the last scrape: at traffic enough for the least count in
    // one scrape interval, the first scrape after the onset carries it.
    plan("error-rate", "R-PD-4", `error rate > ${pct(rules.errorRate.critical.threshold!)} (evidence over ${r.errorRate.window.text})`, [scrape, "scrape"], 0, r.errorRate.interval.seconds),
    plan(
      "latency-p99",
      "R-PD-4",
      `p99 > ${r.latencyP99.thresholdMs} ms over ${r.latencyP99.sustained.text} (> 1 % of requests slower)`,
      [r.latencyP99.sustained.seconds, "held window"],
      0,
      r.latencyP99.interval.seconds,
    ),
    plan("memory", "R-PD-5", `memory > ${pct(mem.threshold!)} of limit for ${mem.for!.text}`, [scrape, "scrape"], mem.for!.seconds, r.memoryInterval.seconds),
    plan(
      "agent-spawn-failures",
      "R-PD-5",
      `agent-spawn failures > ${pct(spawn.threshold!)} for ${spawn.for!.text}`,
      [spawn.window!.seconds, "window"],
      spawn.for!.seconds,
      r.agentSpawnInterval.seconds,
    ),
  ];
}

export interface StagePlan {
  weight: number;
  duration: string;
  criteria: string;
  /** What the stage's limits do, under Argo's "exceeds" rule. */
  limits: string;
}

export interface DeliveryPlan {
  strategy: string;
  gates: string[];
  stages: StagePlan[];
  triggers: TriggerPlan[];
  rollback: { trafficShiftSeconds: number; verificationSeconds: number; completeSeconds: number };
  blueGreen?: { activeService: string; previewService: string; scaleDownDelay: string };
  /** How `pulumi up` learns the rollout's verdict (R-PD-10), and how long it may wait. */
  verdict: string;
}

const nth = (n: number) => `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

export function deliveryPlan(cfg: AnalysisArgs & Pick<StackConfig, "image">): DeliveryPlan {
  const d = cfg.delivery;
  const a = d.analysis;
  const shift = d.trafficShiftBudget.seconds;
  const verify = d.rollbackVerification.seconds;
  const limits =
    `fails on the ${nth(a.failuresTolerated + 1)} measurement with evidence, pauses on the ${nth(a.inconclusiveTolerated + 1)} inconclusive one ` +
    `(none: every query answers), aborts on the ${nth(a.consecutiveErrorsTolerated + 1)} query error in a row`;
  const smoke = `smoke test: ${d.smokeTest.measurements} × GET ${cfg.probes.healthPath} every ${d.smokeTest.interval.text}, each "healthy"`;
  const migrate = d.migration.enabled ? [`migrations: Job before the workload changes (${d.migration.command.join(" ")})`] : [];
  const gates =
    d.strategy === "canary"
      ? [...migrate, `1 canary pod, no traffic; ${smoke} via ${DELIVERY_NAMES.canaryService}`]
      : d.strategy === "blueGreen"
        ? [...migrate, `preview colour at full size; ${smoke} via ${DELIVERY_NAMES.previewService}`]
        : migrate;
  return {
    strategy: d.strategy,
    gates,
    stages:
      d.strategy === "canary"
        ? [
            ...d.canarySteps.map((s) => ({
              weight: s.weight,
              duration: s.duration.text,
              criteria: `error rate < ${+(s.maxErrorRate * 100).toFixed(2)} %, ${s.latencyQuantile} < ${s.maxLatencyMs} ms (${stageCount(cfg, s)} × ${a.interval.text})`,
              limits,
            })),
            { weight: 100, duration: "-", criteria: "promoted", limits: "" },
          ]
        : [],
    triggers: d.strategy === "canary" ? triggerPlans(cfg) : [],
    rollback: { trafficShiftSeconds: shift, verificationSeconds: verify, completeSeconds: shift + verify },
    verdict: verdictMechanism(cfg),
    ...(d.strategy === "blueGreen"
      ? {
          blueGreen: {
            activeService: DELIVERY_NAMES.stableService,
            previewService: DELIVERY_NAMES.previewService,
            scaleDownDelay: d.blueGreen.scaleDownDelay.text,
          },
        }
      : {}),
  };
}
