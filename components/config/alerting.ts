// The alerting part of the contract (R-ENV-7, R-ENV-12, R-AL): which rules exist, what
// each threshold measures, and the three presets a profile (or a stack) starts from.
// The schema of every threshold, `for`, window, priority, guard and SLO number a rule
// evaluates; the numbers themselves are the presets in profiles/alerting.ts and the stack
// file's `alerting.rules`. components/model/alerts evaluates only these; the targets its
// summaries quote (R-AL's 95 %, 80 %, 99.9 %) are text, not thresholds.
import { z } from "zod";
import { duration, httpUrl, ratio } from "./fields";

export const PRIORITIES = ["P0", "P1", "P2", "P3"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SEVERITIES = ["warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PRESETS = ["strict", "relaxed", "informational"] as const;
export type PresetName = (typeof PRESETS)[number];

/** What a threshold is measured in; decides its range and how messages print it. */
export type ThresholdUnit = "ratio" | "seconds" | "factor" | "count" | "sigma" | "failures" | "lines" | "perSecond";

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
  logErrors: { requirement: "R-OBS-2", what: "share of the platform's log records at level error or fatal", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: true },
  logFatal: { requirement: "R-OBS-2", what: "fatal or unhandled-error log records in the window tolerated (fires on more)", unit: "lines", op: ">", severities: ["critical"], for: true, window: true },
  authFailures: { requirement: "R-OBS-2", what: "authentication failures the platform logs, per second", unit: "perSecond", op: ">", severities: ["warning"], for: true, window: true },
  dbConnectionErrors: { requirement: "R-OBS-2", what: "database connection errors the platform logs, per second", unit: "perSecond", op: ">", severities: ["warning", "critical"], for: true, window: true },
  telemetryDropped: { requirement: "R-OBS-4", what: "log records and spans the collector failed to send or refused, per second", unit: "perSecond", op: ">", severities: ["warning"], for: true, window: true },
  telemetryQueue: { requirement: "R-OBS-4", what: "fill of a collector exporter's sending queue (size over capacity)", unit: "ratio", op: ">", severities: ["warning"], for: true, window: false },
  telemetryStorage: { requirement: "R-OBS-4", what: "usage of Loki's or Tempo's volume", unit: "ratio", op: ">", severities: ["warning", "critical"], for: true, window: false },
  drillStale: { requirement: "R-DATA-8", what: "age of the newest successful restore drill, in drill schedule periods (the longest gap between runs)", unit: "factor", op: ">", severities: ["warning"], for: true, window: false },
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
  lines: z.number().int().min(0),
  perSecond: z.number().gt(0),
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
    drillStale: signalSchema("drillStale"),
    logErrors: signalSchema("logErrors"),
    logFatal: signalSchema("logFatal"),
    authFailures: signalSchema("authFailures"),
    dbConnectionErrors: signalSchema("dbConnectionErrors"),
    telemetryDropped: signalSchema("telemetryDropped"),
    telemetryQueue: signalSchema("telemetryQueue"),
    telemetryStorage: signalSchema("telemetryStorage"),
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

const slackChannel = (example: string) =>
  z.string().regex(/^#[\w-]+$/, { message: `must be a Slack channel such as ${example}` });

/** The alerting posture, its rules and SLOs, routing and receivers (R-ENV-7, R-AL, R-MON-5). */
export const alertingSchema = z
  .strictObject({
    paging: z.boolean().describe("Page on-call through PagerDuty for P0/P1 alerts; off: the Slack incident channel only (R-ENV-7)."),
    preset: z
      .enum(PRESETS)
      .describe(
        "The rule set `rules` and `slo` start from: strict (the R-AL table), relaxed (wider margins), informational (relaxed, nothing above P3). Setting it in a stack file replaces the profile's rules before the stack's own overrides apply (R-ENV-7).",
      ),
    evaluationInterval: duration("Evaluation interval of the platform's rule groups.", { min: 1, wholeSeconds: true, consumer: "a Prometheus rule group interval" }),
    runbookBaseUrl: httpUrl("Base URL of docs/runbooks as on-call browses it; every alert links <base>/<Alert>.md."),
    guards: z
      .strictObject({
        requestsPerSecond: z.number().gt(0).describe("HTTP requests/s over a rule's window below which HTTP ratio alerts stay silent (R-AL-23)."),
        tasksPerSecond: z.number().gt(0).describe("Tasks/s below which task-ratio alerts stay silent (R-AL-23)."),
        agentSpawnsPerSecond: z.number().gt(0).describe("Agent spawns/s below which the spawn-failure alert stays silent (R-AL-23)."),
        swarmCoordinationsPerSecond: z.number().gt(0).describe("Swarm coordinations/s below which swarm-ratio alerts stay silent (R-AL-23)."),
      })
      .describe("Minimum-volume guards of the ratio alerts (R-AL-23)."),
    histograms: z
      .strictObject({
        requestDurationBuckets: z
          .array(z.number().gt(0))
          .min(2)
          .describe("Bucket bounds (`le`) the platform exposes for http_request_duration_seconds."),
        taskDurationBuckets: z.array(z.number().gt(0)).min(2).describe("Bucket bounds (`le`) of task_duration_seconds."),
      })
      .describe("Histogram buckets of the metric contract; latency thresholds are checked against them."),
    baselines: z
      .strictObject({
        trafficHistory: duration("History the request rate's z-score is taken against (R-AL-18).", { min: 3600, consumer: "at least 1h" }),
        trafficMinHistory: duration("History needed before a z-score is recorded at all.", { min: 60 }),
        trafficMinRelativeDeviation: z
          .number()
          .gt(0)
          .lt(1)
          .describe("Standard deviation, relative to the mean, below which the history counts as flat and no z-score is recorded (no division by ~0)."),
        memoryHistory: duration("History of the resident-memory median a pod is compared with (R-AL-11).", { min: 3600, consumer: "at least 1h" }),
      })
      .describe("Baselines of the anomaly and leak alerts."),
    slo: sloSchema,
    rules: rulesSchema,
    routing: z
      .strictObject(
        Object.fromEntries(
          PRIORITIES.map((p) => [
            p,
            z.strictObject({
              groupWait: duration(`How long Alertmanager waits to group a new ${p} alert.`, { min: 0 }),
              groupInterval: duration(`How often a changed ${p} group is re-sent.`, { min: 1 }),
              repeatInterval: duration(`How often an unchanged firing ${p} group is re-sent.`, { min: 1 }),
            }),
          ]),
        ) as Record<(typeof PRIORITIES)[number], z.ZodObject<{ groupWait: ReturnType<typeof duration>; groupInterval: ReturnType<typeof duration>; repeatInterval: ReturnType<typeof duration> }>>,
      )
      .describe("Alertmanager timing per priority, from the R-MON-5 response targets (P0 15 min, P1 30 min, P2 2 h, P3 none)."),
    heartbeat: z
      .strictObject({
        groupWait: duration("Wait before the first Watchdog notification.", { min: 0 }),
        repeatInterval: duration("How often the Watchdog reaches the dead-man's switch.", { min: 1 }),
      })
      .describe("Delivery of the always-firing Watchdog to the dead-man's switch."),
    receivers: z
      .strictObject({
        slackChannel: slackChannel("#alerts").describe("Slack channel for P2."),
        slackIncidentChannel: slackChannel("#incident").describe("Slack incident channel for P0/P1."),
        emailTo: z.string().email().describe("E-mail recipient for P2."),
        emailFrom: z.string().email().describe("Sender address of Alertmanager mail."),
        smarthost: z
          .string()
          .regex(/^[\w.-]+:\d+$/, { message: "must be host:port such as smtp.example.com:587" })
          .describe("SMTP relay host:port."),
      })
      .describe("Non-secret receiver settings; keys and URLs are secrets (pagerdutyRoutingKey, slackWebhookUrl, ticketWebhookUrl, watchdogUrl)."),
  })
  .describe("Alerting posture, rules, SLOs and receivers.");
