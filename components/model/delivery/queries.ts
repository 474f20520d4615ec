// PromQL of the canary analyses (R-PD-3..5). Stage queries return nothing below the
// canary's minimum traffic, which Argo counts as inconclusive (the rollout pauses).
// Trigger queries ask whether a condition held for its whole duration: a subquery over
// the duration, its minimum above the threshold, over a full window of points; below the
// minimum volume they return 0, so a quiet canary never aborts and never pauses.
import type { StackConfig } from "../../config/schema";
import { formatDuration } from "../format";
import { CONTAINER, DELIVERY_NAMES } from "../names";

/** The template arg Argo fills with the new (canary / preview) ReplicaSet's pod hash. */
export const HASH_ARG = "{{args.canary-hash}}";

export type QueryArgs = Pick<StackConfig, "namespace" | "resources" | "monitoring" | "alerting" | "delivery">;

const w = (seconds: number) => formatDuration(seconds);

/**
 * The new pods' series only. The ServiceMonitor copies the pod label
 * `rollouts-pod-template-hash` onto every series (podTargetLabels), so the analyses judge
 * the canary on its own traffic, not diluted by stable.
 */
const newPods = (cfg: QueryArgs) => `namespace="${cfg.namespace}",rollouts_pod_template_hash="${HASH_ARG}"`;

const requestRate = (sel: string, window: string) => `sum(rate(http_requests_total{${sel}}[${window}]))`;
const errorRatio = (sel: string, window: string) =>
  `sum(rate(http_requests_total{${sel},code=~"5.."}[${window}])) / ${requestRate(sel, window)}`;
const quantile = (q: "p95" | "p99", sel: string, window: string) =>
  `histogram_quantile(${q === "p95" ? "0.95" : "0.99"}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${window}])))`;

/** Returns nothing (Argo: inconclusive) when the canary's traffic is below the minimum. */
const guarded = (expr: string, sel: string, window: string, min: number) => `(${expr}) and on() (${requestRate(sel, window)} >= ${min})`;

/**
 * True when `inner` held above `threshold` at every point of the last `forSeconds`
 * (points one scrape apart), and that window is full: a canary younger than the window
 * cannot fail it. The result keeps `inner`'s labels; `max` picks the worst pod.
 */
function sustained(inner: string, forSeconds: number, step: number): string {
  const sub = `(${inner})[${w(forSeconds)}:${w(step)}]`;
  return `max(min_over_time(${sub}) and count_over_time(${sub}) >= ${Math.floor(forSeconds / step)})`;
}

export function stageQueries(cfg: QueryArgs) {
  const sel = newPods(cfg);
  const min = cfg.delivery.analysis.minRequestRate;
  return {
    errorRate: (window: string) => guarded(errorRatio(sel, window), sel, window, min),
    latency: (q: "p95" | "p99", window: string) => guarded(quantile(q, sel, window), sel, window, min),
  };
}

export function triggerQueries(cfg: QueryArgs) {
  const sel = newPods(cfg);
  const step = cfg.monitoring.scrapeInterval.seconds;
  const min = cfg.delivery.analysis.minRequestRate;
  const r = cfg.delivery.rollback;
  const mem = cfg.alerting.rules.memorySustained.critical;
  const spawn = cfg.alerting.rules.agentSpawnFailures.critical;
  const sw = w(spawn.window!.seconds);
  const orZero = (expr: string) => `(${expr}) or on() vector(0)`;
  return {
    /** The error ratio over the trigger's window; 0 below the minimum traffic. */
    errorRate: () => orZero(guarded(errorRatio(sel, w(r.errorRate.window.seconds)), sel, w(r.errorRate.window.seconds), min)),
    /** The lowest p99 of the sustained window: above the threshold only if every point was. */
    latencyP99: () => {
      const lw = w(r.latencyP99.window.seconds);
      return orZero(sustained(guarded(quantile("p99", sel, lw), sel, lw, min), r.latencyP99.sustained.seconds, step));
    },
    /** Per pod, the lowest working-set share of the limit over the alert's `for`. cAdvisor names Rollout pods <rollout>-<hash>-<suffix>. */
    memory: () =>
      orZero(
        sustained(
          `max by (pod) (container_memory_working_set_bytes{namespace="${cfg.namespace}",pod=~"${DELIVERY_NAMES.rollout}-${HASH_ARG}-.*",container="${CONTAINER}"}) / ${cfg.resources.limits.memory.value}`,
          mem.for!.seconds,
          step,
        ),
      ),
    /** The lowest spawn-failure ratio over the alert's `for`, with the alert's volume guard. */
    agentSpawnFailures: () =>
      orZero(
        sustained(
          `(sum(rate(agent_spawn_total{${sel},result="failure"}[${sw}])) / sum(rate(agent_spawn_total{${sel}}[${sw}])))` +
            ` and on() (sum(rate(agent_spawn_total{${sel}}[${sw}])) >= ${cfg.alerting.guards.agentSpawnsPerSecond})`,
          spawn.for!.seconds,
          step,
        ),
      ),
  };
}
