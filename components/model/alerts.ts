// The alert rule catalogue (R-AL-1..21): one pure function from a StackConfig to the
// Prometheus rule groups. The same object becomes the PrometheusRule resource
// (components/monitoring.ts) and rendered/<stack>/prometheus/rules.yaml, and it is what
// promtool checks and tests. Only the metric contract of REQUIREMENTS §5 and standard
// Kubernetes/cAdvisor/kube-state-metrics/kubelet/blackbox series are used.
//
// PromQL here is accepted by Prometheus 2.42 and 3.x: no 3.x-only functions, and `le`
// buckets are matched as "1" or "1.0" (Prometheus 3 normalises bucket labels to floats).
import type { StackConfig } from "../config/schema";
import type { ThresholdSet } from "./profiles";
import { formatDuration, parseDuration } from "./units";
import { NAMES } from "./workload";

export type Severity = "critical" | "warning" | "info";
export type Priority = "P0" | "P1" | "P2" | "P3";

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Rule[];
}

export const isAlert = (r: Rule): r is AlertingRule => "alert" in r;

/** Name of the Service the ServiceMonitor scrapes (and so the `job` of the platform's series). */
export const METRICS_SERVICE = `${NAMES.service}-metrics`;
/** The `service` label of series that carry none of their own (kube, probe, process). */
export const SERVICE_LABEL = NAMES.service;
/** The container of the platform pods, as cAdvisor and kube-state-metrics label it. */
export const CONTAINER = "api";

/** Windows of the multi-window, multi-burn-rate SLO alerts (Google SRE workbook, ch. 5). */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;
export const BURN_RATES = {
  page: [
    { long: "1h", short: "5m", factor: 14.4 },
    { long: "6h", short: "30m", factor: 6 },
  ],
  ticket: [
    { long: "1d", short: "2h", factor: 3 },
    { long: "3d", short: "6h", factor: 1 },
  ],
} as const;

type Format = "percent" | "seconds" | "number" | "times";

/** One row of the catalogue: an alert rule with the requirement it proves. */
export interface CatalogueEntry {
  requirement: string;
  alert: string;
  severity: Severity;
  priority: Priority;
  /** What is measured, in words (docs/alerts.md). */
  signal: string;
  /** The condition, in words, with this stack's threshold. */
  condition: string;
  for: string;
  rule: AlertingRule;
}

/** Thresholds of the R-AL table: strict is the table itself; relaxed widens the margins. */
interface Threshold {
  strict: number;
  relaxed: number;
}
const t = (strict: number, relaxed: number): Threshold => ({ strict, relaxed });

export const THRESHOLDS = {
  errorRate: { warning: t(0.02, 0.04), critical: t(0.05, 0.1) },
  latencyP95Seconds: { warning: t(1, 1.5) },
  latencyP99Seconds: { critical: t(3, 4.5) },
  latencyP50Seconds: { warning: t(5, 7.5), critical: t(10, 15) },
  cpuOfLimit: { warning: t(0.7, 0.8), critical: t(0.9, 0.95) },
  memoryOfLimit: { warning: t(0.8, 0.85), critical: t(0.95, 0.97) },
  diskUsage: { warning: t(0.85, 0.9), critical: t(0.95, 0.97) },
  agentErrorRate: { warning: t(0.05, 0.1), critical: t(0.15, 0.25) },
  agentSpawnFailure: { critical: t(0.5, 0.6) },
  taskDurationSeconds: { warning: t(300, 450), critical: t(900, 1200) },
  memoryGrowth: { warning: t(1.5, 2), critical: t(3, 4) },
  swarmFailure: { warning: t(0.25, 0.35) },
  taskCompletion: { warning: t(0.9, 0.85) },
  swarmEfficiency: { warning: t(0.7, 0.6) },
  uptime: { warning: t(0.995, 0.99) },
  agentsPerPod: { warning: t(20, 22), critical: t(25, 25) },
  trafficZScore: { warning: t(3, 4), critical: t(4, 5) },
} as const;

/** `informational` uses the relaxed numbers; it differs in routing (nothing above P3). */
export function threshold(th: Threshold, set: ThresholdSet): number {
  return set === "strict" ? th.strict : th.relaxed;
}

const seconds = (d: string) => parseDuration(d) as number;

/** Matches a histogram bucket both as Prometheus 2 ("1") and 3 ("1.0") store it. */
export function leMatcher(v: number): string {
  const s = String(v);
  return Number.isInteger(v) ? `le=~"${s}(\\\\.0)?"` : `le="${s}"`;
}

function valueText(format: Format): string {
  switch (format) {
    case "percent":
      return "{{ $value | humanizePercentage }}";
    case "seconds":
      return '{{ $value | printf "%.3f" }}s';
    case "times":
      return '{{ $value | printf "%.2f" }}×';
    default:
      return '{{ $value | printf "%.2f" }}';
  }
}

function thresholdText(v: number, format: Format): string {
  switch (format) {
    case "percent":
      return `${+(v * 100).toPrecision(4)}%`;
    case "seconds":
      return `${v}s`;
    case "times":
      return `${v}×`;
    default:
      return String(v);
  }
}

/** The recording rules and alert rules of one stack. */
export function ruleGroups(cfg: StackConfig): RuleGroup[] {
  return buildCatalogue(cfg).groups;
}

/** Every alert with the requirement it proves (docs/alerts.md, tests). */
export function alertCatalogue(cfg: StackConfig): CatalogueEntry[] {
  return buildCatalogue(cfg).entries;
}

function buildCatalogue(cfg: StackConfig): { groups: RuleGroup[]; entries: CatalogueEntry[] } {
  const ns = `namespace="${cfg.namespace}"`;
  const set = cfg.alerting.thresholds;
  const interval = cfg.alerting.evaluationInterval;
  const minRps = cfg.alerting.minRequestRate;
  const minTasks = cfg.alerting.minTaskRate;
  const by = "namespace, service";
  // Volumes: the platform's PVCs (if any) and the monitoring stack's own (Prometheus TSDB,
  // Alertmanager, Grafana). The platform's scratch emptyDirs are bounded by sizeLimit.
  const volumeNs = `namespace=~"${cfg.namespace}|${cfg.network.monitoringNamespace}"`;

  // ------------------------------------------------------------- recording rules ----
  const rec: RecordingRule[] = [];
  const sumRate = (sel: string, w: string) => `sum by (${by}) (rate(${sel}[${w}]))`;
  /** errors/total with an explicit 0 when there are requests but no error series yet. */
  const ratio = (bad: string, all: string, w: string) =>
    `(${sumRate(bad, w)} or on(${by}) (0 * ${sumRate(all, w)})) / ${sumRate(all, w)}`;

  for (const w of SLO_WINDOWS) {
    rec.push({ record: `service:http_requests:rate${w}`, expr: sumRate(`http_requests_total{${ns}}`, w) });
    rec.push({
      record: `service:http_error_ratio:rate${w}`,
      expr: ratio(`http_requests_total{${ns},code=~"5.."}`, `http_requests_total{${ns}}`, w),
    });
    rec.push({
      record: `service:http_latency_slo_miss_ratio:rate${w}`,
      expr:
        `1 - (sum by (${by}) (rate(http_request_duration_seconds_bucket{${ns},${leMatcher(cfg.alerting.slo.latencyThresholdSeconds)}}[${w}]))` +
        ` / sum by (${by}) (rate(http_request_duration_seconds_count{${ns}}[${w}])))`,
    });
  }
  for (const [q, name] of [
    ["0.5", "p50"],
    ["0.95", "p95"],
    ["0.99", "p99"],
  ] as const) {
    rec.push({
      record: `service:http_request_duration_seconds:${name}_rate5m`,
      expr: `histogram_quantile(${q}, sum by (${by}, le) (rate(http_request_duration_seconds_bucket{${ns}}[5m])))`,
    });
  }
  rec.push(
    { record: "service:tasks:rate10m", expr: sumRate(`tasks_total{${ns}}`, "10m") },
    {
      record: "service:tasks_failed:ratio_rate10m",
      expr: ratio(`tasks_total{${ns},status="failed"}`, `tasks_total{${ns}}`, "10m"),
    },
    {
      record: "service:tasks_completed:ratio_rate10m",
      expr: ratio(`tasks_total{${ns},status="completed"}`, `tasks_total{${ns}}`, "10m"),
    },
    {
      record: "service:task_duration_seconds:p95_rate10m",
      expr: `histogram_quantile(0.95, sum by (${by}, le) (rate(task_duration_seconds_bucket{${ns}}[10m])))`,
    },
    { record: "service:agent_spawn:rate5m", expr: sumRate(`agent_spawn_total{${ns}}`, "5m") },
    {
      record: "service:agent_spawn_failure:ratio_rate5m",
      expr: ratio(`agent_spawn_total{${ns},result="failure"}`, `agent_spawn_total{${ns}}`, "5m"),
    },
    {
      record: "service:swarm_coordination_failure:ratio_rate5m",
      expr: ratio(`swarm_coordination_total{${ns},result="failure"}`, `swarm_coordination_total{${ns}}`, "5m"),
    },
    {
      record: "service:swarm_coordination_success:ratio_rate1h",
      expr: ratio(`swarm_coordination_total{${ns},result="success"}`, `swarm_coordination_total{${ns}}`, "1h"),
    },
    {
      record: "pod:container_cpu_usage:ratio_limit",
      expr:
        `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${ns},container="${CONTAINER}"}[5m]))` +
        ` / max by (namespace, pod) (kube_pod_container_resource_limits{${ns},container="${CONTAINER}",resource="cpu"})`,
    },
    {
      record: "pod:container_memory_working_set:ratio_limit",
      expr:
        `max by (namespace, pod) (container_memory_working_set_bytes{${ns},container="${CONTAINER}"})` +
        ` / max by (namespace, pod) (kube_pod_container_resource_limits{${ns},container="${CONTAINER}",resource="memory"})`,
    },
    {
      record: "persistentvolumeclaim:kubelet_volume_stats_used:ratio",
      expr:
        `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${volumeNs}})` +
        ` / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${volumeNs}})`,
    },
    {
      // The pod's own baseline: the median of its resident memory over the last day
      // (robust to warm-up and to short spikes).
      record: "pod:process_resident_memory_bytes:median1d",
      expr: `quantile_over_time(0.5, process_resident_memory_bytes{${ns},job="${METRICS_SERVICE}"}[1d])`,
    },
    {
      // z-score of the request rate against its own last day; needs an hour of history.
      record: "service:http_requests:zscore1d",
      expr:
        `(service:http_requests:rate5m{${ns}} - avg_over_time(service:http_requests:rate5m{${ns}}[1d]))` +
        ` / stddev_over_time(service:http_requests:rate5m{${ns}}[1d])` +
        ` and on(${by}) count_over_time(service:http_requests:rate5m{${ns}}[1d]) >= ${Math.ceil(3600 / seconds(interval))}`,
    },
  );

  // ---------------------------------------------------------------- alert rules ----
  const entries: CatalogueEntry[] = [];
  const informational = set === "informational";

  type Guard = { on: string; expr: string };
  interface Spec {
    requirement: string;
    alert: string;
    severity: Severity;
    priority: Priority;
    signal: string;
    /** PromQL whose value is the measured signal. */
    value: string;
    op: ">" | "<" | "==";
    threshold: number;
    format: Format;
    for: string;
    /** Appended with `and`: traffic guards and the like. */
    guard?: Guard;
    /** Labels for series that carry no `service` (kube, probe, process series). */
    staticService?: boolean;
    /** Extra static labels (e.g. the SLO name). */
    labels?: Record<string, string>;
    summary: string;
    /** Where the value is, for the description ("on pod {{ $labels.pod }}"). */
    where: string;
    /** Full expression override (SLO alerts and probes). */
    expr?: string;
    condition?: string;
    /** Description override where the value is not the signal (absent(), probes). */
    description?: string;
  }

  const add = (s: Spec) => {
    const expr = s.expr ?? `${s.value} ${s.op} ${s.threshold}${s.guard ? ` and on(${s.guard.on}) ${s.guard.expr}` : ""}`;
    const priority: Priority = informational ? "P3" : s.priority;
    const cond = s.condition ?? `${s.op} ${thresholdText(s.threshold, s.format)}`;
    const rule: AlertingRule = {
      alert: s.alert,
      expr,
      ...(seconds(s.for) > 0 ? { for: s.for } : {}),
      labels: {
        severity: s.severity,
        priority,
        ...(s.staticService ? { service: SERVICE_LABEL } : {}),
        ...(s.labels ?? {}),
      },
      annotations: {
        summary: s.summary,
        description: s.description ?? `${s.signal} is ${valueText(s.format)} ${s.where} (${s.severity} when ${cond}${seconds(s.for) > 0 ? ` for ${s.for}` : ""}).`,
        runbook_url: `${cfg.alerting.runbookBaseUrl}/${s.alert}.md`,
      },
    };
    entries.push({
      requirement: s.requirement,
      alert: s.alert,
      severity: s.severity,
      priority,
      signal: s.signal,
      condition: cond,
      for: s.for,
      rule,
    });
  };
  const trafficGuard: Guard = { on: by, expr: `service:http_requests:rate5m >= ${minRps}` };
  const taskGuard: Guard = { on: by, expr: `service:tasks:rate10m >= ${minTasks}` };
  const spawnGuard: Guard = { on: by, expr: `service:agent_spawn:rate5m > 0` };
  const svc = "on {{ $labels.service }}";
  const pod = "on pod {{ $labels.pod }}";
  const T = THRESHOLDS;
  const th = (x: Threshold) => threshold(x, set);

  // R-AL-1 error rate. Critical is an outage for users: P0.
  add({
    requirement: "R-AL-1", alert: "HighErrorRate", severity: "warning", priority: "P2",
    signal: "HTTP 5xx ratio", value: "service:http_error_ratio:rate5m", op: ">", threshold: th(T.errorRate.warning),
    format: "percent", for: "10m", guard: trafficGuard, summary: "Elevated HTTP error rate", where: svc,
  });
  add({
    requirement: "R-AL-1", alert: "HighErrorRate", severity: "critical", priority: "P0",
    signal: "HTTP 5xx ratio", value: "service:http_error_ratio:rate5m", op: ">", threshold: th(T.errorRate.critical),
    format: "percent", for: "2m", guard: trafficGuard, summary: "HTTP error rate critical: users are failing", where: svc,
  });
  // R-AL-2 / R-AL-3 / R-AL-4 latency quantiles.
  add({
    requirement: "R-AL-2", alert: "HighLatencyP95", severity: "warning", priority: "P2",
    signal: "p95 request latency", value: "service:http_request_duration_seconds:p95_rate5m", op: ">",
    threshold: th(T.latencyP95Seconds.warning), format: "seconds", for: "15m", guard: trafficGuard,
    summary: "p95 latency above target", where: svc,
  });
  add({
    requirement: "R-AL-3", alert: "HighLatencyP99", severity: "critical", priority: "P1",
    signal: "p99 request latency", value: "service:http_request_duration_seconds:p99_rate5m", op: ">",
    threshold: th(T.latencyP99Seconds.critical), format: "seconds", for: "5m", guard: trafficGuard,
    summary: "p99 latency critical", where: svc,
  });
  for (const sev of ["warning", "critical"] as const) {
    add({
      requirement: "R-AL-4", alert: "SlowResponseTime", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "median (p50) response time", value: "service:http_request_duration_seconds:p50_rate5m", op: ">",
      threshold: th(T.latencyP50Seconds[sev]), format: "seconds", for: "5m", guard: trafficGuard,
      summary: "Typical requests are slow", where: svc,
    });
  }
  // R-AL-5 / R-AL-6 / R-AL-7 saturation (kube series: no service label of their own).
  for (const sev of ["warning", "critical"] as const) {
    add({
      requirement: "R-AL-5", alert: "CPUSaturation", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "CPU use of the container limit", value: "pod:container_cpu_usage:ratio_limit", op: ">",
      threshold: th(T.cpuOfLimit[sev]), format: "percent", for: sev === "critical" ? "5m" : "15m",
      staticService: true, summary: "Platform pod close to its CPU limit (throttling)", where: pod,
    });
    add({
      requirement: "R-AL-6", alert: "MemorySaturation", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "memory working set of the container limit", value: "pod:container_memory_working_set:ratio_limit", op: ">",
      threshold: th(T.memoryOfLimit[sev]), format: "percent", for: sev === "critical" ? "5m" : "10m",
      staticService: true, summary: "Platform pod close to its memory limit (OOM kill ahead)", where: pod,
    });
    add({
      requirement: "R-AL-7", alert: "VolumeDiskUsage", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "volume usage", value: "persistentvolumeclaim:kubelet_volume_stats_used:ratio", op: ">",
      threshold: th(T.diskUsage[sev]), format: "percent", for: sev === "critical" ? "5m" : "15m",
      staticService: true, summary: "Persistent volume filling up", where: "on PVC {{ $labels.persistentvolumeclaim }}",
    });
  }
  // R-AL-8 agent (task) errors; R-AL-9 spawn failures; R-AL-10 task duration.
  for (const sev of ["warning", "critical"] as const) {
    add({
      requirement: "R-AL-8", alert: "AgentErrorRate", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "share of agent tasks failing", value: "service:tasks_failed:ratio_rate10m", op: ">",
      threshold: th(T.agentErrorRate[sev]), format: "percent", for: sev === "critical" ? "5m" : "10m",
      guard: taskGuard, summary: "Agents are failing tasks", where: svc,
    });
    add({
      requirement: "R-AL-10", alert: "TaskDurationHigh", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "p95 task duration", value: "service:task_duration_seconds:p95_rate10m", op: ">",
      threshold: th(T.taskDurationSeconds[sev]), format: "seconds", for: "10m", guard: taskGuard,
      summary: "Agent tasks run towards their timeout", where: svc,
    });
    add({
      requirement: "R-AL-11", alert: "MemoryLeakSuspected", severity: sev, priority: sev === "critical" ? "P1" : "P3",
      signal: "resident memory against the pod's own 1-day median", op: ">",
      value: `process_resident_memory_bytes{${ns},job="${METRICS_SERVICE}"} / pod:process_resident_memory_bytes:median1d`,
      threshold: th(T.memoryGrowth[sev]), format: "times", for: sev === "critical" ? "15m" : "30m",
      staticService: true, summary: "Resident memory keeps growing (leak suspected)", where: pod,
    });
    add({
      requirement: "R-AL-17", alert: "AgentsPerPodHigh", severity: sev, priority: sev === "critical" ? "P1" : "P2",
      signal: "active agents per pod", value: `max by (namespace, service, pod) (agents_active{${ns}})`, op: ">",
      threshold: th(T.agentsPerPod[sev]), format: "number", for: sev === "critical" ? "2m" : "10m",
      summary: "Too many agents on one pod (optimal 10-15)", where: pod,
    });
    add({
      requirement: "R-AL-18", alert: "TrafficAnomaly", severity: sev, priority: sev === "critical" ? "P1" : "P3",
      signal: "request-rate z-score against the last day", value: "abs(service:http_requests:zscore1d)", op: ">",
      threshold: th(T.trafficZScore[sev]), format: "number", for: "10m",
      guard: { on: by, expr: `avg_over_time(service:http_requests:rate5m[1d]) >= ${minRps}` },
      summary: "Request rate far outside its usual range", where: svc,
    });
  }
  add({
    requirement: "R-AL-9", alert: "AgentSpawnFailures", severity: "critical", priority: "P1",
    signal: "share of agent spawns failing", value: "service:agent_spawn_failure:ratio_rate5m", op: ">",
    threshold: th(T.agentSpawnFailure.critical), format: "percent", for: "2m", guard: spawnGuard,
    summary: "Agents cannot be spawned", where: svc,
  });
  add({
    requirement: "R-AL-12", alert: "SwarmCoordinationFailures", severity: "warning", priority: "P2",
    signal: "share of swarm coordinations failing (5m)", value: "service:swarm_coordination_failure:ratio_rate5m", op: ">",
    threshold: th(T.swarmFailure.warning), format: "percent", for: "5m",
    guard: { on: by, expr: `sum by (${by}) (rate(swarm_coordination_total{${ns}}[5m])) > 0` },
    summary: "Swarm coordination failing", where: svc,
  });
  add({
    requirement: "R-AL-13", alert: "LowTaskCompletionRate", severity: "warning", priority: "P2",
    signal: "task completion rate (target 95%)", value: "service:tasks_completed:ratio_rate10m", op: "<",
    threshold: th(T.taskCompletion.warning), format: "percent", for: "15m", guard: taskGuard,
    summary: "Fewer tasks complete than the 95% target", where: svc,
  });
  add({
    requirement: "R-AL-14", alert: "LowSwarmEfficiency", severity: "warning", priority: "P3",
    signal: "swarm efficiency, successful coordinations over 1h (target 80%)",
    value: "service:swarm_coordination_success:ratio_rate1h", op: "<", threshold: th(T.swarmEfficiency.warning),
    format: "percent", for: "30m",
    guard: { on: by, expr: `sum by (${by}) (rate(swarm_coordination_total{${ns}}[1h])) > 0` },
    summary: "Swarm efficiency below target", where: svc,
  });
  // R-AL-15 uptime from the basic synthetic probe over a day.
  add({
    requirement: "R-AL-15", alert: "AvailabilityBelowTarget", severity: "warning", priority: "P2",
    signal: "1-day uptime of the /health probe (target 99.9%)",
    value: `avg by (namespace) (avg_over_time(probe_success{${ns},layer="basic"}[1d]))`, op: "<",
    threshold: th(T.uptime.warning), format: "percent", for: "5m", staticService: true,
    summary: "Daily availability below target", where: "over the last day",
  });
  // R-AL-16: three consecutive failures of a probe layer, whatever its interval.
  for (const [layer, probe] of Object.entries(cfg.monitoring.probes)) {
    const span = formatDuration(Math.round(seconds(probe.interval) * 2.5));
    const sel = `probe_success{${ns},layer="${layer}"}`;
    add({
      requirement: "R-AL-16", alert: "SyntheticProbeFailing", severity: "critical",
      priority: layer === "basic" ? "P0" : "P1",
      signal: `${layer} probe (${probe.path}) success`, value: `max_over_time(${sel}[${span}])`, op: "==", threshold: 0,
      format: "number", for: "0s",
      expr: `max by (namespace, layer) (max_over_time(${sel}[${span}])) == 0 and on(namespace, layer) min by (namespace, layer) (count_over_time(${sel}[${span}])) >= 3`,
      condition: `3 consecutive failures (every ${probe.interval})`,
      staticService: true, labels: { layer }, summary: `Synthetic ${layer} probe failing`, where: `for ${probe.path}`,
      description: `The ${layer} probe of ${probe.path} failed 3 consecutive times (every ${probe.interval}, timeout ${probe.timeout}).`,
    });
  }
  // R-AL-19 SLOs: multi-window, multi-burn-rate error-budget alerts with a traffic guard.
  const burn = (metric: string, slo: number, kind: "page" | "ticket") => {
    const budget = 1 - slo;
    const pairs = BURN_RATES[kind].map(
      (b) =>
        `(${metric}${b.long} > ${+(b.factor * budget).toPrecision(6)} and ${metric}${b.short} > ${+(b.factor * budget).toPrecision(6)})`,
    );
    return `(${pairs.join(" or ")}) and on(${by}) service:http_requests:rate1h >= ${minRps}`;
  };
  for (const [alert, metric, slo, what] of [
    ["ErrorBudgetBurn", "service:http_error_ratio:rate", cfg.alerting.slo.availability, "availability"],
    ["LatencyBudgetBurn", "service:http_latency_slo_miss_ratio:rate", cfg.alerting.slo.latency, "latency"],
  ] as const) {
    const target = `${+(slo * 100).toPrecision(6)}%`;
    const sliText =
      what === "availability" ? "ratio of 5xx responses" : `ratio of requests slower than ${cfg.alerting.slo.latencyThresholdSeconds}s`;
    add({
      requirement: "R-AL-19", alert, severity: "critical", priority: what === "availability" ? "P0" : "P1",
      signal: `${sliText} (burning the ${target} ${what} SLO's budget)`, value: "", op: ">", threshold: 14.4, format: "percent",
      for: "2m", expr: burn(metric, slo, "page"), labels: { slo: what },
      condition: "burn rate > 14.4× over 1h and 5m, or > 6× over 6h and 30m",
      summary: `Fast ${what} error-budget burn: the ${target} SLO is at risk within hours`, where: svc,
    });
    add({
      requirement: "R-AL-19", alert, severity: "warning", priority: "P3",
      signal: `${sliText} (burning the ${target} ${what} SLO's budget)`, value: "", op: ">", threshold: 3, format: "percent",
      for: "15m", expr: burn(metric, slo, "ticket"), labels: { slo: what },
      condition: "burn rate > 3× over 1d and 2h, or > 1× over 3d and 6h",
      summary: `Slow ${what} error-budget burn: the ${target} SLO will be missed at this pace`, where: svc,
    });
  }
  // Not in the R-AL table, but every other alert is blind without it.
  add({
    requirement: "R-AL-16", alert: "PlatformMetricsMissing", severity: "critical", priority: "P1",
    signal: "number of platform metrics targets up", value: "", op: "==", threshold: 0, format: "number", for: "5m",
    expr: `absent(up{${ns},job="${METRICS_SERVICE}"} == 1)`, condition: "no target up",
    staticService: true, labels: { namespace: cfg.namespace },
    summary: "Prometheus cannot scrape any platform pod: every other alert is blind", where: `(job ${METRICS_SERVICE})`,
    description: `No target of job ${METRICS_SERVICE} in namespace ${cfg.namespace} has been up for 5m.`,
  });
  // The dead-man's switch: always firing; silence of it means the pipeline is broken.
  const watchdog: AlertingRule = {
    alert: "Watchdog",
    expr: "vector(1)",
    labels: { severity: "info", priority: "P3", service: SERVICE_LABEL, namespace: cfg.namespace },
    annotations: {
      summary: "Alerting pipeline heartbeat (always firing)",
      description: "Always firing. If the dead-man's switch stops receiving it, Prometheus or Alertmanager is down.",
      runbook_url: `${cfg.alerting.runbookBaseUrl}/Watchdog.md`,
    },
  };
  entries.push({
    requirement: "R-MON-5",
    alert: "Watchdog",
    severity: "info",
    priority: "P3",
    signal: "heartbeat",
    condition: "always",
    for: "0s",
    rule: watchdog,
  });

  const alerts = entries.map((e) => e.rule);
  const groupOf = (names: string[]) => alerts.filter((r) => names.includes(r.alert));
  const groups: RuleGroup[] = [
    { name: "agent-platform.recording", interval, rules: rec },
    {
      name: "agent-platform.http",
      interval,
      rules: groupOf(["HighErrorRate", "HighLatencyP95", "HighLatencyP99", "SlowResponseTime", "TrafficAnomaly"]),
    },
    { name: "agent-platform.resources", interval, rules: groupOf(["CPUSaturation", "MemorySaturation", "VolumeDiskUsage", "MemoryLeakSuspected"]) },
    {
      name: "agent-platform.agents",
      interval,
      rules: groupOf([
        "AgentErrorRate",
        "AgentSpawnFailures",
        "TaskDurationHigh",
        "SwarmCoordinationFailures",
        "LowTaskCompletionRate",
        "LowSwarmEfficiency",
        "AgentsPerPodHigh",
      ]),
    },
    {
      name: "agent-platform.availability",
      interval,
      rules: groupOf(["AvailabilityBelowTarget", "SyntheticProbeFailing", "PlatformMetricsMissing", "Watchdog"]),
    },
    { name: "agent-platform.slo", interval, rules: groupOf(["ErrorBudgetBurn", "LatencyBudgetBurn"]) },
  ];
  const grouped = groups.flatMap((g) => g.rules).filter(isAlert).length;
  if (grouped !== alerts.length) throw new Error(`rule catalogue: ${alerts.length - grouped} alert(s) in no group`);
  return { groups, entries };
}
