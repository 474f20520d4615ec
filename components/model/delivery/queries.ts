// PromQL of the canary analyses (R-PD-3..5, R-PD-11), each built together with the same
// computation in TypeScript (`evaluate`), so the verdict simulator (simulator.ts) runs the
// queries the templates carry, and a test holds the two to Prometheus's own answers
// (promtool, on fixed series).
//
// The HTTP checks judge on evidence, not on raw ratios (evidence.ts): over a window they
// count the canary's requests n and its bad ones x, and report x when x > share · n and x ≥
// minCount, else 0. Counts are exact differences of the counters between the last scrape
// before the evaluation time and the last scrape before the window's start, per pod:
//     sum(clamp_min(sum by (pod) (c) - (sum by (pod) (c offset W) or sum by (pod) (c) * 0), 0))
// A series the application creates at its first event (prom-client's labelled counters,
// e.g. the first 5xx) has no sample W ago: `or … * 0` counts it from zero, so neither a
// missing series nor a new canary pod hides events (increase() needs two samples in the
// window and drops the first scrape of a new series). A counter reset (a restarted pod)
// counts nothing for that window, never a negative. Every query returns one number, so no
// measurement is ever inconclusive: a quiet canary passes, it never waits for a human.
import type { StackConfig } from "../../config/schema";
import { formatDuration } from "../format";
import { CONTAINER, DELIVERY_NAMES } from "../names";
import { leMatcher } from "../alerts/common";

/** The template arg Argo fills with the new (canary / preview) ReplicaSet's pod hash. */
export const HASH_ARG = "{{args.canary-hash}}";

export type QueryArgs = Pick<StackConfig, "namespace" | "resources" | "monitoring" | "alerting" | "delivery">;

const w = (seconds: number) => formatDuration(seconds);

/**
 * The new pods' series only. The ServiceMonitor copies the pod label
 * `rollouts-pod-template-hash` onto every series (podTargetLabels), so the analyses judge
 * the canary on its own traffic, not diluted by stable.
 */
const newPods = (cfg: Pick<StackConfig, "namespace">) => `namespace="${cfg.namespace}",rollouts_pod_template_hash="${HASH_ARG}"`;


// ---------------------------------------------------------------- what a check reads --

/**
 * The canary's counters as instant vector selectors see them: `index(time)` names the last
 * scrape at or before `time` (negative: none yet), and each accessor answers that scrape's
 * value, or `undefined` where the series does not exist yet (created at its first event).
 */
export interface CanaryView {
  index(time: number): number;
  /** http_requests_total of every code, summed over the series that exist. */
  requests(i: number): number | undefined;
  /** http_requests_total{code=~"5.."}. */
  errors(i: number): number | undefined;
  /** http_request_duration_seconds_bucket{le} (seconds; Infinity for +Inf). */
  bucket(i: number, le: number): number | undefined;
}

/** What is counted as bad: 5xx answers, or answers slower than a bucket bound. */
export type Bad = { kind: "errors" } | { kind: "slow"; le: number };

export interface EvidenceCheck {
  bad: Bad;
  /** Seconds of history counted. */
  window: number;
  /** The criterion: bad share above which the canary fails (0.05: "error rate > 5 %"). */
  share: number;
  /** The least bad count that may fail (evidence.ts: from the false-abort budget). */
  minCount: number;
}

/** The counter difference over a window, by the query's rule (new series from zero, resets to zero). */
function delta(now: number | undefined, then: number | undefined): number | undefined {
  if (now === undefined) return undefined;
  return Math.max(0, now - (then ?? 0));
}

/**
 * (bad, all) counted from scrape `then` to scrape `now` (the last scrapes at or before the
 * window's start and the evaluation time; negative: none), exactly as the PromQL counts them.
 */
function countsBetween(view: CanaryView, check: EvidenceCheck, now: number, then: number): { bad?: number; all?: number } {
  if (now < 0) return {};
  const past = then >= 0;
  if (check.bad.kind === "errors") {
    return { bad: delta(view.errors(now), past ? view.errors(then) : undefined), all: delta(view.requests(now), past ? view.requests(then) : undefined) };
  }
  const le = check.bad.le;
  const inf = delta(view.bucket(now, Infinity), past ? view.bucket(then, Infinity) : undefined);
  const fast = delta(view.bucket(now, le), past ? view.bucket(then, le) : undefined);
  return { bad: inf === undefined || fast === undefined ? undefined : inf - fast, all: inf };
}

/** The query's value from scrape `then` to scrape `now`: the bad count when it is evidence (x ≥ minCount and x > share · n), else 0. */
function evidenceBetween(view: CanaryView, check: EvidenceCheck, now: number, then: number): number {
  const { bad, all } = countsBetween(view, check, now, then);
  if (bad === undefined || all === undefined) return 0;
  return bad >= check.minCount && bad > check.share * all ? bad : 0;
}

/** The query's value at `time`: it reads the last scrape at or before `time` and the last at or before the window's start. */
export function evidence(view: CanaryView, check: EvidenceCheck, time: number): number {
  return evidenceBetween(view, check, view.index(time), view.index(time - check.window));
}

// --------------------------------------------------------------------------- PromQL --

/** Σ over the canary's pods of the counter's growth over the window (see the header). */
function deltaQuery(metric: string, selector: string, window: number): string {
  const c = `${metric}{${selector}}`;
  return `sum(clamp_min(sum by (pod) (${c}) - (sum by (pod) (${c} offset ${w(window)}) or sum by (pod) (${c}) * 0), 0))`;
}

/** The PromQL of an evidence check: the bad count when it is evidence, else 0. */
export function evidenceQuery(cfg: Pick<StackConfig, "namespace">, check: EvidenceCheck): string {
  const sel = newPods(cfg);
  let bad: string;
  let all: string;
  if (check.bad.kind === "errors") {
    bad = deltaQuery("http_requests_total", `${sel},code=~"5.."`, check.window);
    all = deltaQuery("http_requests_total", sel, check.window);
  } else {
    all = deltaQuery("http_request_duration_seconds_bucket", `${sel},le="+Inf"`, check.window);
    // Prometheus 3 stores a whole bound as "2.0", Prometheus 2 as the client wrote it ("2").
    bad = `(${all} - ${deltaQuery("http_request_duration_seconds_bucket", `${sel},${leMatcher(check.bad.le)}`, check.window)})`;
  }
  return `((${bad} >= ${check.minCount}) and on() (${bad} > ${check.share} * ${all})) or on() vector(0)`;
}

/**
 * True when `inner` held above `threshold` at every point of the last `forSeconds`
 * (points one scrape apart), and that window is full: a canary younger than the window
 * cannot fail it. The result keeps `inner`'s labels; `max` picks the worst pod.
 */
function sustained(inner: string, forSeconds: number, step: number): string {
  const sub = `(${inner})[${w(forSeconds)}:${w(step)}]`;
  return `max(min_over_time(${sub}) and count_over_time(${sub}) >= ${Math.floor(forSeconds / step)})`;
}

/** The gauge- and volume-based triggers (R-PD-5): memory and agent-spawn failures, held for the alert's `for`. */
export function sustainedQueries(cfg: QueryArgs) {
  const sel = newPods(cfg);
  const step = cfg.monitoring.scrapeInterval.seconds;
  const mem = cfg.alerting.rules.memorySustained.critical;
  const spawn = cfg.alerting.rules.agentSpawnFailures.critical;
  const sw = w(spawn.window!.seconds);
  const orZero = (expr: string) => `(${expr}) or on() vector(0)`;
  return {
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
