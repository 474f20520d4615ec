// The alerting part of the contract (R-ENV-7, R-ENV-12, R-AL): which rules exist, what
// each threshold measures, and the three presets a profile (or a stack) starts from.
// Every threshold, `for`, window, priority, guard and SLO number lives here as data;
// components/model/alerts reads only this data.
import { z } from "zod";
import { duration, ratio } from "./fields";

export const PRIORITIES = ["P0", "P1", "P2", "P3"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SEVERITIES = ["warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PRESETS = ["strict", "relaxed", "informational"] as const;
export type PresetName = (typeof PRESETS)[number];

/** What a threshold is measured in; decides its range and how messages print it. */
export type ThresholdUnit = "ratio" | "seconds" | "factor" | "count" | "sigma" | "failures";

interface SignalSpec {
  requirement: string;
  /** What the threshold compares, in words. */
  what: string;
  unit: ThresholdUnit | null;
  /** ">" fires above the threshold, "<" below; warning must be less severe than critical. */
  op: ">" | "<" | null;
  severities: readonly Severity[];
  /** Whether the rule has a `for` of its own (probe rules derive it from the failure count). */
  for: boolean;
  /** Whether the rule measures a rate over a window (counters and histograms). */
  window: boolean;
}

/** Every alert rule the catalogue has, keyed as in `alerting.rules.<key>`. */
export const SIGNALS = {
  errorRate: { requirement: "R-AL-1", what: "HTTP 5xx ratio", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: true },
  latencyP95: { requirement: "R-AL-2", what: "p95 request latency, seconds", unit: "seconds", op: ">", severities: ["warning"], for: true, window: true },
  latencyP99: { requirement: "R-AL-3", what: "p99 request latency, seconds", unit: "seconds", op: ">", severities: ["critical"], for: true, window: true },
  responseTimeP50: { requirement: "R-AL-4", what: "median response time, seconds", unit: "seconds", op: ">", severities: ["warning", "critical"], for: true, window: true },
  cpuSaturation: { requirement: "R-AL-5", what: "CPU use of the container limit", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: true },
  memorySaturation: { requirement: "R-AL-6", what: "memory working set of the container limit", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: false },
  memorySustained: { requirement: "R-AL-6, R-PD-5", what: "memory working set of the limit, held for `for` (also the canary rollback trigger)", unit: "ratio", op: ">", severities: ["critical"], for: true, window: false },
  diskUsage: { requirement: "R-AL-7", what: "volume usage", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: false },
  agentErrorRate: { requirement: "R-AL-8", what: "share of agent tasks failing", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: true },
  agentSpawnFailures: { requirement: "R-AL-9, R-PD-5", what: "share of agent spawns failing (also the canary rollback trigger)", unit: "ratio", op: ">", severities: ["critical"], for: true, window: true },
  taskDuration: { requirement: "R-AL-10", what: "p95 task duration, seconds", unit: "seconds", op: ">", severities: ["warning", "critical"], for: true, window: true },
  memoryLeak: { requirement: "R-AL-11", what: "resident memory over the pod's own 1-day median", unit: "factor", op: ">", severities: ["warning", "critical"], for: true, window: false },
  swarmFailures: { requirement: "R-AL-12", what: "share of swarm coordinations failing", unit: "ratio", op: ">", severities: ["warning"], for: true, window: true },
  taskCompletion: { requirement: "R-AL-13", what: "share of tasks completing", unit: "ratio", op: "<", severities: ["warning"], for: true, window: true },
  swarmEfficiency: { requirement: "R-AL-14", what: "share of swarm coordinations succeeding", unit: "ratio", op: "<", severities: ["warning"], for: true, window: true },
  availability: { requirement: "R-AL-15", what: "uptime of the basic probe over the window", unit: "ratio", op: "<", severities: ["warning"], for: true, window: true },
  probeBasic: { requirement: "R-AL-16, R-PD-5", what: "consecutive failures of the basic /health probe tolerated (fires on the next)", unit: "failures", op: ">", severities: ["critical"], for: false, window: false },
  probeFunctional: { requirement: "R-AL-16", what: "consecutive failures of the functional probe tolerated (fires on the next)", unit: "failures", op: ">", severities: ["critical"], for: false, window: false },
  probeIntegration: { requirement: "R-AL-16", what: "consecutive failures of the integration probe tolerated (fires on the next)", unit: "failures", op: ">", severities: ["critical"], for: false, window: false },
  metricsMissing: { requirement: "R-AL-16", what: "no platform metrics target up", unit: null, op: null, severities: ["critical"], for: true, window: false },
  agentsPerPod: { requirement: "R-AL-17", what: "active agents on one pod", unit: "count", op: ">", severities: ["warning", "critical"], for: true, window: false },
  trafficAnomaly: { requirement: "R-AL-18", what: "request-rate z-score against its last day", unit: "sigma", op: ">", severities: ["warning", "critical"], for: true, window: true },
  exportStale: { requirement: "R-DATA-3", what: "age of the newest successful export, in export schedule periods (the longest gap between runs)", unit: "factor", op: ">", severities: ["warning"], for: true, window: false },
} as const satisfies Record<string, SignalSpec>;

export type SignalKey = keyof typeof SIGNALS;
export const SIGNAL_KEYS = Object.keys(SIGNALS) as SignalKey[];

const UNIT_SCHEMA: Record<ThresholdUnit, z.ZodNumber> = {
  ratio,
  seconds: z.number().gt(0),
  factor: z.number().gt(1),
  count: z.number().int().min(1),
  sigma: z.number().gt(0),
  failures: z.number().int().min(1).max(20),
};

const priority = z.enum(PRIORITIES);
export const forDuration = (d: string) =>
  duration(d, { min: 0, max: 86400, wholeSeconds: true, consumer: "a Prometheus rule's `for`, up to 24h" });
const rateWindow = (d: string) =>
  duration(d, { min: 1, max: 3 * 86400, wholeSeconds: true, consumer: "a PromQL range, up to 3d" });

/** One rule (a signal at one severity). Which fields a signal has is checked per signal below. */
export const ruleSchema = z.strictObject({
  threshold: z.number().optional().describe("Threshold the signal is compared with."),
  for: forDuration("How long the condition must hold before the alert fires.").optional(),
  window: rateWindow("Rate window of the measured signal.").optional(),
  priority: priority.describe("Priority label (R-MON-5 routing)."),
});
export type RuleSettings = z.output<typeof ruleSchema>;

function signalSchema<K extends SignalKey>(key: K) {
  const spec: SignalSpec = SIGNALS[key];
  const shape = Object.fromEntries(spec.severities.map((sev) => [sev, ruleSchema])) as {
    [S in (typeof SIGNALS)[K]["severities"][number]]: typeof ruleSchema;
  };
  return z
    .strictObject(shape)
    .superRefine((value, ctx) => {
      for (const [sev, rule] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        const need = (field: string, wanted: boolean, what: string) => {
          if (wanted && rule[field] === undefined) ctx.addIssue({ code: "custom", path: [sev, field], message: `is required: ${what}` });
          if (!wanted && rule[field] !== undefined) {
            ctx.addIssue({ code: "custom", path: [sev, field], message: `is not a setting of this rule (${spec.what})` });
          }
        };
        need("threshold", spec.unit !== null, spec.what);
        need("for", spec.for, "how long the condition must hold");
        need("window", spec.window, "the rate window of the signal");
        if (spec.unit && typeof rule.threshold === "number") {
          const res = UNIT_SCHEMA[spec.unit].safeParse(rule.threshold);
          if (!res.success) {
            for (const issue of res.error.issues) ctx.addIssue({ ...issue, path: [sev, "threshold"] } as never);
          }
        }
      }
    })
    .describe(`${spec.requirement}: ${spec.what}.`);
}

export const rulesSchema = z
  .strictObject({
    errorRate: signalSchema("errorRate"),
    latencyP95: signalSchema("latencyP95"),
    latencyP99: signalSchema("latencyP99"),
    responseTimeP50: signalSchema("responseTimeP50"),
    cpuSaturation: signalSchema("cpuSaturation"),
    memorySaturation: signalSchema("memorySaturation"),
    memorySustained: signalSchema("memorySustained"),
    diskUsage: signalSchema("diskUsage"),
    agentErrorRate: signalSchema("agentErrorRate"),
    agentSpawnFailures: signalSchema("agentSpawnFailures"),
    taskDuration: signalSchema("taskDuration"),
    memoryLeak: signalSchema("memoryLeak"),
    swarmFailures: signalSchema("swarmFailures"),
    taskCompletion: signalSchema("taskCompletion"),
    swarmEfficiency: signalSchema("swarmEfficiency"),
    availability: signalSchema("availability"),
    probeBasic: signalSchema("probeBasic"),
    probeFunctional: signalSchema("probeFunctional"),
    probeIntegration: signalSchema("probeIntegration"),
    metricsMissing: signalSchema("metricsMissing"),
    agentsPerPod: signalSchema("agentsPerPod"),
    trafficAnomaly: signalSchema("trafficAnomaly"),
    exportStale: signalSchema("exportStale"),
  } satisfies Record<SignalKey, unknown>)
  .describe("Alert rules: threshold, `for`, rate window and priority per signal and severity (R-ENV-12).");
export type RulesSettings = z.output<typeof rulesSchema>;

const burnWindow = z.strictObject({
  long: rateWindow("Long window of the burn-rate pair."),
  short: rateWindow("Short window confirming the burn is still going on."),
  factor: z.number().gt(0).describe("Burn-rate factor: the error budget consumed this many times faster than allowed."),
});

const burnAlert = (what: string) =>
  z
    .strictObject({
      severity: z.enum(SEVERITIES).describe("Severity label."),
      priority: priority.describe("Priority label (R-MON-5 routing)."),
      for: forDuration("How long the burn must hold."),
      windows: z.array(burnWindow).min(1).describe("Window pairs; any pair burning fires the alert."),
    })
    .describe(what);

const sloBurns = {
  fastBurn: burnAlert("Fast error-budget burn (page-level in prod)."),
  slowBurn: burnAlert("Slow error-budget burn (ticket-level)."),
};

export const sloSchema = z
  .strictObject({
    availability: z
      .strictObject({
        target: ratio.describe("Availability SLO: share of non-5xx requests, e.g. 0.999 (R-AL-19)."),
        ...sloBurns,
      })
      .describe("The availability SLO and its burn alerts (ErrorBudgetBurn)."),
    latency: z
      .strictObject({
        target: ratio.describe("Latency SLO: share of requests faster than thresholdSeconds (R-AL-19)."),
        thresholdSeconds: z.number().gt(0).describe("Latency SLO threshold; must be a bucket bound of http_request_duration_seconds."),
        ...sloBurns,
      })
      .describe("The latency SLO and its burn alerts (LatencyBudgetBurn)."),
  })
  .describe("Service level objectives and their multi-window, multi-burn-rate alerts (R-AL-19).");

// ------------------------------------------------------------------ presets ----

type RuleIn = z.input<typeof ruleSchema>;
type RulesIn = z.input<typeof rulesSchema>;
type AnyRules = Record<SignalKey, Partial<Record<Severity, RuleIn>>>;
type SloIn = z.input<typeof sloSchema>;

const r = (threshold: number, forText: string, priority: Priority, window?: string): RuleIn => ({
  threshold,
  for: forText,
  priority,
  ...(window ? { window } : {}),
});
const probe = (threshold: number, priority: Priority): RuleIn => ({ threshold, priority });

/**
 * strict is the R-AL table itself (prod). Windows: the R-PD-5 conditions measure over 1m
 * so a step change pages within `for` + 1m + one evaluation (R-AL-22); warnings over 5m.
 */
const STRICT: RulesIn = {
  errorRate: { warning: r(0.02, "10m", "P2", "5m"), critical: r(0.05, "2m", "P0", "1m") },
  latencyP95: { warning: r(1, "15m", "P2", "5m") },
  latencyP99: { critical: r(3, "5m", "P1", "1m") },
  responseTimeP50: { warning: r(5, "5m", "P2", "5m"), critical: r(10, "5m", "P1", "5m") },
  cpuSaturation: { warning: r(0.7, "15m", "P2", "5m"), critical: r(0.9, "5m", "P1", "5m") },
  memorySaturation: { warning: r(0.8, "10m", "P2"), critical: r(0.95, "1m", "P1") },
  memorySustained: { critical: r(0.9, "3m", "P1") },
  diskUsage: { warning: r(0.85, "15m", "P2"), critical: r(0.95, "5m", "P1") },
  agentErrorRate: { warning: r(0.05, "10m", "P2", "10m"), critical: r(0.15, "5m", "P1", "5m") },
  agentSpawnFailures: { critical: r(0.5, "2m", "P1", "1m") },
  taskDuration: { warning: r(300, "10m", "P2", "10m"), critical: r(900, "10m", "P1", "10m") },
  memoryLeak: { warning: r(1.5, "30m", "P3"), critical: r(3, "15m", "P1") },
  swarmFailures: { warning: r(0.25, "5m", "P2", "5m") },
  taskCompletion: { warning: r(0.9, "15m", "P2", "10m") },
  swarmEfficiency: { warning: r(0.7, "30m", "P3", "1h") },
  availability: { warning: r(0.995, "5m", "P2", "1d") },
  probeBasic: { critical: probe(3, "P0") },
  probeFunctional: { critical: probe(3, "P1") },
  probeIntegration: { critical: probe(3, "P1") },
  metricsMissing: { critical: { for: "5m", priority: "P1" } },
  agentsPerPod: { warning: r(20, "10m", "P2"), critical: r(25, "2m", "P1") },
  trafficAnomaly: { warning: r(3, "10m", "P3", "5m"), critical: r(4, "10m", "P1", "5m") },
  // R-DATA-3: older than twice the schedule. A missed backup is no outage: P2.
  exportStale: { warning: r(2, "5m", "P2") },
};

/** relaxed widens the margins (staging): same rules, looser thresholds. */
const RELAXED_THRESHOLDS: Record<SignalKey, Partial<Record<Severity, number>>> = {
  errorRate: { warning: 0.04, critical: 0.1 },
  latencyP95: { warning: 1.5 },
  latencyP99: { critical: 4.5 },
  responseTimeP50: { warning: 7.5, critical: 15 },
  cpuSaturation: { warning: 0.8, critical: 0.95 },
  memorySaturation: { warning: 0.85, critical: 0.97 },
  memorySustained: { critical: 0.93 },
  diskUsage: { warning: 0.9, critical: 0.97 },
  agentErrorRate: { warning: 0.1, critical: 0.25 },
  agentSpawnFailures: { critical: 0.6 },
  taskDuration: { warning: 450, critical: 1200 },
  memoryLeak: { warning: 2, critical: 4 },
  swarmFailures: { warning: 0.35 },
  taskCompletion: { warning: 0.85 },
  swarmEfficiency: { warning: 0.6 },
  availability: { warning: 0.99 },
  probeBasic: { critical: 3 },
  probeFunctional: { critical: 3 },
  probeIntegration: { critical: 3 },
  metricsMissing: {},
  agentsPerPod: { warning: 22, critical: 25 },
  trafficAnomaly: { warning: 4, critical: 5 },
  exportStale: { warning: 2 },
};

/** A preset derived rule by rule from strict (same signals and severities). */
function derive(fn: (key: SignalKey, sev: Severity, rule: RuleIn) => RuleIn): RulesIn {
  const strict = STRICT as AnyRules;
  const out = {} as AnyRules;
  for (const key of SIGNAL_KEYS) {
    out[key] = {};
    for (const sev of SIGNALS[key].severities) out[key][sev] = fn(key, sev, strict[key][sev]!);
  }
  return out as RulesIn;
}

const RELAXED: RulesIn = derive((key, sev, rule) =>
  rule.threshold === undefined ? { ...rule } : { ...rule, threshold: RELAXED_THRESHOLDS[key][sev] },
);
/** informational (dev): the relaxed numbers, and nothing above P3: no alert pages or interrupts anyone. */
const INFORMATIONAL: RulesIn = derive((key, sev) => ({ ...(RELAXED as AnyRules)[key][sev]!, priority: "P3" }));

// SRE workbook ch. 5: page on 14.4× over 1h confirmed by 5m, or 6× over 6h confirmed by
// 30m; ticket on 3× over 1d confirmed by 2h, or 1× over 3d confirmed by 6h.
const PAGE_WINDOWS = [
  { long: "1h", short: "5m", factor: 14.4 },
  { long: "6h", short: "30m", factor: 6 },
];
const TICKET_WINDOWS = [
  { long: "1d", short: "2h", factor: 3 },
  { long: "3d", short: "6h", factor: 1 },
];

type Burn = SloIn["availability"]["fastBurn"];
const burn = (severity: Burn["severity"], priority: Priority, forText: string, windows: Burn["windows"]): Burn => ({ severity, priority, for: forText, windows });

const SLO_PRESETS: Record<PresetName, SloIn> = {
  // An availability burn is an outage in the making (P0); a latency burn a major degradation (P1).
  strict: {
    availability: { target: 0.999, fastBurn: burn("critical", "P0", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.999, thresholdSeconds: 1, fastBurn: burn("critical", "P1", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
  // Staging: a looser objective, and even a fast burn is a P2 for working hours, never a page.
  relaxed: {
    availability: { target: 0.99, fastBurn: burn("warning", "P2", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.99, thresholdSeconds: 1, fastBurn: burn("warning", "P2", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
  informational: {
    availability: { target: 0.99, fastBurn: burn("warning", "P3", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
    latency: { target: 0.99, thresholdSeconds: 1, fastBurn: burn("warning", "P3", "2m", PAGE_WINDOWS), slowBurn: burn("warning", "P3", "15m", TICKET_WINDOWS) },
  },
};

export const RULE_PRESETS: Record<PresetName, { rules: RulesIn; slo: SloIn }> = {
  strict: { rules: STRICT, slo: SLO_PRESETS.strict },
  relaxed: { rules: RELAXED, slo: SLO_PRESETS.relaxed },
  informational: { rules: INFORMATIONAL, slo: SLO_PRESETS.informational },
};
