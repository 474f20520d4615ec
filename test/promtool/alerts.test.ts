// R-AL-1..23 under `promtool test rules`, on the rule groups the prod stack renders (each
// group is evaluated alone: its recording rules live in it). For every alert rule:
// - a step change just past its threshold fires it at its worst case from the onset
//   (R-AL-22: window + evaluation + `for`, one scrape + evaluation + `for` for an instant
//   gauge, (N + 1) probe intervals + evaluation for N tolerated probe failures), with its
//   labels and annotations written out literally here from REQUIREMENTS (severity,
//   priority, service, summary, description with the value, runbook), and is silent one
//   evaluation earlier;
// - a step just short of the threshold stays silent;
// - a ratio over fewer events than its minimum-volume guard stays silent (R-AL-23).
// The onset is right after the last healthy sample at 315 s: 15 s past an evaluation, the
// phase at which a 15 s scrape and a 30 s evaluation make the alert latest. Separate
// cases vary that phase for the R-PD-5 conditions and the probes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { stack } from "../helpers/mocks";
import {
  BASE,
  LATENCY_BUCKETS,
  Level,
  NS,
  POD,
  POD_LABELS,
  Series,
  TASK_BUCKETS,
  counter,
  g4,
  gauge,
  histogram,
  http,
  sparseCounter,
  sparseGauge,
} from "../helpers/promql";
import { requireTool, run } from "../helpers/tools";

const STEP = 15; // s: the prod scrape interval
const EVAL = 30; // s: the prod evaluation interval
const ONSET = 21; // the last healthy sample (index): 315 s, 15 s past an evaluation
const O = ONSET * STEP;
// An instant gauge is latest when its first changed sample comes just after an
// evaluation: the last healthy sample at 300 s, on an evaluation, the next at 315 s.
const G_ONSET = 20;
const GO = G_ONSET * STEP;
const RUNBOOK = "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks";
const GiB = 2 ** 30;
const MiB = 2 ** 20;

type Group = "http" | "resources" | "agents" | "availability" | "slo";

interface Fire {
  labels: Record<string, string>;
  summary: string;
  description: string;
}

interface Case {
  requirement: string;
  alert: string;
  severity: "warning" | "critical";
  title: string;
  group: Group;
  /** Worst case from onset to firing, seconds: computed by hand from REQUIREMENTS' numbers. */
  worst: number;
  /** Every rule of this alert name firing at onset + worst (literal labels and text). */
  fires: Fire[];
  /** Rules of this alert name already firing one evaluation earlier (usually none). */
  earlier?: Fire[];
  above: (steps: number) => Series[];
  below: (steps: number) => Series[];
  /** Rules of this alert name that fire in the just-below scenario anyway (other severities). */
  belowFires?: Fire[];
  quiet?: (steps: number) => Series[];
  /** Evaluation interval of the test (the 3-day slow burns run at 5 min: see there). */
  evalInterval?: number;
  /** Onset time if not 315 s. */
  onset?: number;
  /** The just-below scenario is checked at onset + worst and this much later (default 300 s). */
  belowUntil?: number;
}

const svc = { namespace: NS, service: "agent-platform" };
const podL = { namespace: NS, pod: POD, service: "agent-platform" };
const L = (before: number, after: number): Level => ({ before, after });
const flat = (v: number): Level => ({ before: v, after: v });

// ------------------------------------------------------------ series builders ----
const rps20 = flat(20);
const httpStep = (err: number) => (n: number) => http(rps20, L(0, err), ONSET, n);
const latency = (dist: Record<number, number>) => (n: number) => [
  ...histogram("http_request_duration_seconds", LATENCY_BUCKETS, 20 * STEP, { before: { 0.1: 1 }, after: dist }, ONSET, n),
  ...http(rps20, flat(0), ONSET, n),
];
const quietHttp = (n: number) => [
  ...http(flat(0.1), L(0, 1), ONSET, n),
  ...histogram("http_request_duration_seconds", LATENCY_BUCKETS, 0.1 * STEP, { before: { 0.1: 1 }, after: { 60: 1 } }, ONSET, n),
];
const cpu = (use: number) => (n: number) => [
  counter("container_cpu_usage_seconds_total", POD_LABELS, L(0.2 * STEP, use * STEP), ONSET, n),
  gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="cpu"`, flat(1), ONSET, n),
];
const memory = (share: number) => (n: number) => [
  gauge("container_memory_working_set_bytes", POD_LABELS, L(GiB, share * 2 * GiB), G_ONSET, n),
  gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="memory"`, flat(2 * GiB), G_ONSET, n),
];
const PVC = `namespace="monitoring",persistentvolumeclaim="prometheus-db-0"`;
const disk = (share: number) => (n: number) => [
  gauge("kubelet_volume_stats_used_bytes", PVC, L(50 * GiB, share * 200 * GiB), G_ONSET, n),
  gauge("kubelet_volume_stats_capacity_bytes", PVC, flat(200 * GiB), G_ONSET, n),
];
const LEAK_ONSET = 240; // an hour of baseline first (the 1-day median stays at 100 MiB); 7200 s is on an evaluation
const leak = (times: number) => (n: number) => [
  gauge("process_resident_memory_bytes", `namespace="${NS}",job="agent-platform-metrics",pod="${POD}"`, L(100 * MiB, times * 100 * MiB), LEAK_ONSET, n),
];
/** Tasks at `perSecond`, split by status after the onset (before: all completed). */
const tasks = (perSecond: number, after: { completed: number; failed: number; timeout: number }) => (n: number) =>
  (["completed", "failed", "timeout"] as const).map((st) =>
    counter("tasks_total", `${BASE},status="${st}"`, L(st === "completed" ? perSecond * STEP : 0, after[st] * perSecond * STEP), ONSET, n),
  );
const taskDuration = (dist: Record<number, number>) => (n: number) => [
  ...histogram("task_duration_seconds", TASK_BUCKETS, STEP, { before: { 60: 1 }, after: dist }, ONSET, n),
  ...tasks(1, { completed: 1, failed: 0, timeout: 0 })(n),
];
const ratioOf = (metric: string, good: string, bad: string, perSecond: number, share: number) => (n: number) => [
  counter(metric, `${BASE},result="${good}"`, L(perSecond * STEP, perSecond * STEP * (1 - share)), ONSET, n),
  counter(metric, `${BASE},result="${bad}"`, L(0, perSecond * STEP * share), ONSET, n),
];
const agents = (count: number) => (n: number) => [gauge("agents_active", `${BASE},pod="${POD}"`, L(12, count), G_ONSET, n)];

// --------------------------------------------------------------- the cases ----
const CASES: Case[] = [
  {
    requirement: "R-AL-1", alert: "HighErrorRate", severity: "warning", title: "2.04 % errors", group: "http",
    // 5 min window + 30 s evaluation + 10 min for
    worst: 300 + 30 + 600,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Elevated HTTP error rate",
      description: "HTTP 5xx ratio over 5m is 2.04% on agent-platform (warning when > 2% for 10m)." }],
    above: httpStep(0.0204), below: httpStep(0.0196), quiet: quietHttp,
  },
  {
    requirement: "R-AL-1, R-PD-5", alert: "HighErrorRate", severity: "critical", title: "5.1 % errors", group: "http",
    // 1 min window + 30 s evaluation + 2 min for
    worst: 60 + 30 + 120,
    fires: [{ labels: { ...svc, severity: "critical", priority: "P0" }, summary: "HTTP error rate critical: users are failing",
      description: "HTTP 5xx ratio over 1m is 5.1% on agent-platform (critical when > 5% for 2m)." }],
    above: httpStep(0.051), below: httpStep(0.049), quiet: quietHttp,
  },
  {
    requirement: "R-AL-2, R-PD-6", alert: "HighLatencyP95", severity: "warning", title: "5.15 % of requests at 1-2.5 s (p95 1.044 s)", group: "http",
    worst: 300 + 30 + 900,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "p95 latency above target",
      description: "p95 request latency over 5m is 1.044s on agent-platform (warning when > 1s for 15m)." }],
    above: latency({ 0.1: 0.9485, 2.5: 0.0515 }), below: latency({ 0.1: 0.9515, 2.5: 0.0485 }), quiet: quietHttp,
  },
  {
    requirement: "R-AL-3, R-PD-5", alert: "HighLatencyP99", severity: "critical", title: "1.28 % of requests at 2.5-5 s (p99 3.047 s)", group: "http",
    worst: 60 + 30 + 300,
    fires: [{ labels: { ...svc, severity: "critical", priority: "P1" }, summary: "p99 latency critical",
      description: "p99 request latency over 1m is 3.047s on agent-platform (critical when > 3s for 5m)." }],
    above: latency({ 0.25: 0.9872, 5: 0.0128 }), below: latency({ 0.25: 0.9878, 5: 0.0122 }), quiet: quietHttp,
  },
  {
    requirement: "R-AL-4", alert: "SlowResponseTime", severity: "warning", title: "median 5.050 s", group: "http",
    worst: 300 + 30 + 300,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Typical requests are slow",
      description: "p50 request latency over 5m is 5.050s on agent-platform (warning when > 5s for 5m)." }],
    above: latency({ 1: 0.495, 10: 0.505 }), below: latency({ 1: 0.505, 10: 0.495 }), quiet: quietHttp,
  },
  {
    requirement: "R-AL-4", alert: "SlowResponseTime", severity: "critical", title: "median 10.099 s (the warning fires with it)", group: "http",
    worst: 300 + 30 + 300,
    fires: [
      { labels: { ...svc, severity: "critical", priority: "P1" }, summary: "Typical requests are slow",
        description: "p50 request latency over 5m is 10.099s on agent-platform (critical when > 10s for 5m)." },
      { labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Typical requests are slow",
        description: "p50 request latency over 5m is 10.099s on agent-platform (warning when > 5s for 5m)." },
    ],
    above: latency({ 5: 0.495, 20: 0.505 }), below: latency({ 5: 0.505, 20: 0.495 }), quiet: quietHttp,
  },
  {
    requirement: "R-AL-5", alert: "CPUSaturation", severity: "warning", title: "CPU at 71.4 % of the limit", group: "resources",
    worst: 300 + 30 + 900,
    fires: [{ labels: { ...podL, severity: "warning", priority: "P2" }, summary: "Platform pod close to its CPU limit (throttling)",
      description: `CPU use (5m) of the container limit is 71.4% on pod ${POD} (warning when > 70% for 15m).` }],
    above: cpu(0.714), below: cpu(0.686),
  },
  {
    requirement: "R-AL-5", alert: "CPUSaturation", severity: "critical", title: "CPU at 91.8 % of the limit", group: "resources",
    worst: 300 + 30 + 300,
    fires: [{ labels: { ...podL, severity: "critical", priority: "P1" }, summary: "Platform pod close to its CPU limit (throttling)",
      description: `CPU use (5m) of the container limit is 91.8% on pod ${POD} (critical when > 90% for 5m).` }],
    above: cpu(0.918), below: cpu(0.882),
  },
  {
    requirement: "R-AL-6", alert: "MemorySaturation", severity: "warning", title: "working set at 81 % of the limit", group: "resources",
    // an instant gauge: 15 s scrape + 30 s evaluation + 10 min for
    onset: GO, worst: 15 + 30 + 600,
    fires: [{ labels: { ...podL, severity: "warning", priority: "P2" }, summary: "Platform pod close to its memory limit (OOM kill ahead)",
      description: `memory working set of the container limit is 81% on pod ${POD} (warning when > 80% for 10m).` }],
    above: memory(0.81), below: memory(0.79),
  },
  {
    requirement: "R-AL-6", alert: "MemorySaturation", severity: "critical", title: "working set at 96 % of the limit", group: "resources",
    onset: GO, worst: 15 + 30 + 60,
    fires: [{ labels: { ...podL, severity: "critical", priority: "P1" }, summary: "Platform pod close to its memory limit (OOM kill ahead)",
      description: `memory working set of the container limit is 96% on pod ${POD} (critical when > 95% for 1m).` }],
    above: memory(0.96), below: memory(0.94),
  },
  {
    requirement: "R-AL-6, R-PD-5", alert: "MemorySaturationSustained", severity: "critical", title: "working set at 91 % of the limit", group: "resources",
    // R-PD-5: > 90 % for 3 min: 15 s scrape + 30 s evaluation + 3 min
    onset: GO, worst: 15 + 30 + 180,
    fires: [{ labels: { ...podL, severity: "critical", priority: "P1" }, summary: "Platform pod held above its memory ceiling (R-PD-5 rollback condition)",
      description: `memory working set of the container limit is 91% on pod ${POD} (critical when > 90% for 3m).` }],
    above: memory(0.91), below: memory(0.89),
  },
  {
    requirement: "R-AL-7", alert: "VolumeDiskUsage", severity: "warning", title: "the Prometheus volume at 86 %", group: "resources",
    onset: GO, worst: 15 + 30 + 900,
    fires: [{ labels: { namespace: "monitoring", persistentvolumeclaim: "prometheus-db-0", service: "agent-platform", severity: "warning", priority: "P2" },
      summary: "Persistent volume filling up", description: "volume usage is 86% on PVC prometheus-db-0 (warning when > 85% for 15m)." }],
    above: disk(0.86), below: disk(0.84),
  },
  {
    requirement: "R-AL-7", alert: "VolumeDiskUsage", severity: "critical", title: "the Prometheus volume at 96 %", group: "resources",
    onset: GO, worst: 15 + 30 + 300,
    fires: [{ labels: { namespace: "monitoring", persistentvolumeclaim: "prometheus-db-0", service: "agent-platform", severity: "critical", priority: "P1" },
      summary: "Persistent volume filling up", description: "volume usage is 96% on PVC prometheus-db-0 (critical when > 95% for 5m)." }],
    above: disk(0.96), below: disk(0.94),
  },
  {
    requirement: "R-AL-11", alert: "MemoryLeakSuspected", severity: "warning", title: "resident memory 1.51× its 1-day median", group: "resources",
    onset: LEAK_ONSET * STEP, worst: 15 + 30 + 1800,
    fires: [{ labels: { namespace: NS, job: "agent-platform-metrics", pod: POD, service: "agent-platform", severity: "warning", priority: "P3" },
      summary: "Resident memory keeps growing (leak suspected)",
      description: `resident memory against the pod's own 1d median is 1.51× on pod ${POD} (warning when > 1.5× for 30m).` }],
    above: leak(1.51), below: leak(1.49),
  },
  {
    requirement: "R-AL-11", alert: "MemoryLeakSuspected", severity: "critical", title: "resident memory 3.02× its 1-day median", group: "resources",
    onset: LEAK_ONSET * STEP, worst: 15 + 30 + 900,
    fires: [{ labels: { namespace: NS, job: "agent-platform-metrics", pod: POD, service: "agent-platform", severity: "critical", priority: "P1" },
      summary: "Resident memory keeps growing (leak suspected)",
      description: `resident memory against the pod's own 1d median is 3.02× on pod ${POD} (critical when > 3× for 15m).` }],
    above: leak(3.02), below: leak(2.98),
  },
  {
    requirement: "R-AL-8", alert: "AgentErrorRate", severity: "warning", title: "5.05 % of tasks failing", group: "agents",
    worst: 600 + 30 + 600,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Agents are failing tasks",
      description: "share of agent tasks failing over 10m is 5.05% on agent-platform (warning when > 5% for 10m)." }],
    above: tasks(1, { completed: 0.9495, failed: 0.0505, timeout: 0 }), below: tasks(1, { completed: 0.9505, failed: 0.0495, timeout: 0 }),
    quiet: tasks(0.02, { completed: 0.5, failed: 0.5, timeout: 0 }),
  },
  {
    requirement: "R-AL-8", alert: "AgentErrorRate", severity: "critical", title: "15.3 % of tasks failing", group: "agents",
    worst: 300 + 30 + 300,
    fires: [{ labels: { ...svc, severity: "critical", priority: "P1" }, summary: "Agents are failing tasks",
      description: "share of agent tasks failing over 5m is 15.3% on agent-platform (critical when > 15% for 5m)." }],
    above: tasks(1, { completed: 0.847, failed: 0.153, timeout: 0 }), below: tasks(1, { completed: 0.853, failed: 0.147, timeout: 0 }),
    // 14.7 % is past the warning's 5 %, whose 10 min ratio passes it within minutes: the
    // warning fires 13m30s after the onset, so only the critical's worst case is checked.
    belowUntil: 0,
    quiet: tasks(0.02, { completed: 0.5, failed: 0.5, timeout: 0 }),
  },
  {
    requirement: "R-AL-9, R-PD-5", alert: "AgentSpawnFailures", severity: "critical", title: "51 % of spawns failing", group: "agents",
    // R-PD-5: > 50 % for 2 min: 1 min window + 30 s evaluation + 2 min
    worst: 60 + 30 + 120,
    fires: [{ labels: { ...svc, severity: "critical", priority: "P1" }, summary: "Agents cannot be spawned",
      description: "share of agent spawns failing over 1m is 51% on agent-platform (critical when > 50% for 2m)." }],
    above: ratioOf("agent_spawn_total", "success", "failure", 1, 0.51), below: ratioOf("agent_spawn_total", "success", "failure", 1, 0.49),
    quiet: ratioOf("agent_spawn_total", "success", "failure", 0.05, 1),
  },
  {
    requirement: "R-AL-10", alert: "TaskDurationHigh", severity: "warning", title: "5.05 % of tasks at 5-10 min (p95 302.970 s)", group: "agents",
    worst: 600 + 30 + 600,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Agent tasks run towards their timeout",
      description: "p95 task duration over 10m is 302.970s on agent-platform (warning when > 300s for 10m)." }],
    above: taskDuration({ 60: 0.9495, 600: 0.0505 }), below: taskDuration({ 60: 0.9505, 600: 0.0495 }),
  },
  {
    requirement: "R-AL-10", alert: "TaskDurationHigh", severity: "critical", title: "5.05 % of tasks at 15-30 min (p95 908.911 s; the warning fires with it)", group: "agents",
    worst: 600 + 30 + 600,
    fires: [
      { labels: { ...svc, severity: "critical", priority: "P1" }, summary: "Agent tasks run towards their timeout",
        description: "p95 task duration over 10m is 908.911s on agent-platform (critical when > 900s for 10m)." },
      { labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Agent tasks run towards their timeout",
        description: "p95 task duration over 10m is 908.911s on agent-platform (warning when > 300s for 10m)." },
    ],
    above: taskDuration({ 60: 0.9495, 1800: 0.0505 }), below: taskDuration({ 60: 0.9505, 1800: 0.0495 }),
  },
  {
    requirement: "R-AL-12, R-PD-6", alert: "SwarmCoordinationFailures", severity: "warning", title: "25.5 % of coordinations failing", group: "agents",
    worst: 300 + 30 + 300,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Swarm coordination failing",
      description: "share of swarm coordinations failing over 5m is 25.5% on agent-platform (warning when > 25% for 5m)." }],
    above: ratioOf("swarm_coordination_total", "success", "failure", 1, 0.255), below: ratioOf("swarm_coordination_total", "success", "failure", 1, 0.245),
    quiet: ratioOf("swarm_coordination_total", "success", "failure", 0.05, 1),
  },
  {
    requirement: "R-AL-13", alert: "LowTaskCompletionRate", severity: "warning", title: "89.9 % of tasks completing", group: "agents",
    worst: 600 + 30 + 900,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P2" }, summary: "Fewer tasks complete than the 95% target",
      description: "task completion rate over 10m (target 95%) is 89.9% on agent-platform (warning when < 90% for 15m)." }],
    above: tasks(1, { completed: 0.899, failed: 0, timeout: 0.101 }), below: tasks(1, { completed: 0.901, failed: 0, timeout: 0.099 }),
    quiet: tasks(0.02, { completed: 0.5, failed: 0, timeout: 0.5 }),
  },
  {
    requirement: "R-AL-14", alert: "LowSwarmEfficiency", severity: "warning", title: "69.9 % of coordinations succeeding over 1 h", group: "agents",
    worst: 3600 + 30 + 1800,
    fires: [{ labels: { ...svc, severity: "warning", priority: "P3" }, summary: "Swarm efficiency below target",
      description: "swarm efficiency, successful coordinations over 1h (target 80%) is 69.9% on agent-platform (warning when < 70% for 30m)." }],
    above: ratioOf("swarm_coordination_total", "success", "failure", 1, 0.301), below: ratioOf("swarm_coordination_total", "success", "failure", 1, 0.299),
    quiet: ratioOf("swarm_coordination_total", "success", "failure", 0.05, 1),
  },
  {
    requirement: "R-AL-17", alert: "AgentsPerPodHigh", severity: "warning", title: "21 agents on one pod", group: "agents",
    onset: GO, worst: 15 + 30 + 600,
    fires: [{ labels: { ...svc, pod: POD, severity: "warning", priority: "P2" }, summary: "Too many agents on one pod (optimal 10-15)",
      description: `active agents per pod is 21.00 on pod ${POD} (warning when > 20 for 10m).` }],
    above: agents(21), below: agents(20),
  },
  {
    requirement: "R-AL-17", alert: "AgentsPerPodHigh", severity: "critical", title: "26 agents on one pod", group: "agents",
    onset: GO, worst: 15 + 30 + 120,
    fires: [{ labels: { ...svc, pod: POD, severity: "critical", priority: "P1" }, summary: "Too many agents on one pod (optimal 10-15)",
      description: `active agents per pod is 26.00 on pod ${POD} (critical when > 25 for 2m).` }],
    above: agents(26), below: agents(25),
  },
  {
    requirement: "R-AL-16", alert: "PlatformMetricsMissing", severity: "critical", title: "every platform target down", group: "availability",
    onset: GO, worst: 15 + 30 + 300,
    fires: [{ labels: { namespace: NS, service: "agent-platform", severity: "critical", priority: "P1" },
      summary: "Prometheus cannot scrape any platform pod: every other alert is blind",
      description: "No target of job agent-platform-metrics in namespace agent-platform-prod has been up for 5m." }],
    above: (n) => [gauge("up", `namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.7:3000"`, L(1, 0), G_ONSET, n)],
    // One of two targets still up is not "missing".
    below: (n) => [
      gauge("up", `namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.7:3000"`, L(1, 0), G_ONSET, n),
      gauge("up", `namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.8:3000"`, flat(1), G_ONSET, n),
    ],
  },
];

// R-AL-15: uptime over a day. A sustained failure rate of 15 probes in 2880 (99.48 %): the
// day's window holds all 15 failures 1 day after the onset; evenly spaced, each comes in
// just as the window fills. Probes every 30 s, sampled 15 s past an evaluation.
const DAY = 86400;
function availability(failuresPerDay: number) {
  return (n: number): Series[] => {
    const probes = Math.floor(n / 2);
    const onsetProbe = Math.floor(ONSET / 2); // sample at 15 + 30 × 10 = 315 s
    const every = 2880 / failuresPerDay;
    const values = Array.from({ length: probes }, (_, j) => {
      const k = j - onsetProbe;
      return k > 0 && k % every === 0 && k / every <= failuresPerDay ? 0 : 1;
    });
    return [sparseGauge("probe_success", `namespace="${NS}",layer="basic",job="agent-platform-probe-basic"`, values, 2, 1)];
  };
}
CASES.push({
  requirement: "R-AL-15", alert: "AvailabilityBelowTarget", severity: "warning", title: "99.48 % uptime over the day", group: "availability",
  worst: DAY + 30 + 300,
  fires: [{ labels: { namespace: NS, service: "agent-platform", severity: "warning", priority: "P2" }, summary: "Availability below target",
    description: "uptime of the /health probe over 1d (target 99.9%) is 99.48% over the last 1d (warning when < 99.5% for 5m)." }],
  above: availability(15),
  below: availability(12),
});

// R-AL-19: SLO burn. Fast burn: just above 6× of the 0.1 % budget (0.6002 % errors) only
// the 6 h pair can see: 6 h window + 30 s + 2 min. The slow pairs see it sooner (1 d/2 h
// at 3×), so the slow-burn warning fires alongside; its value is the 1 d ratio over all
// the data: 1450 bad steps of 1471.
const sloHttp = (err: number) => (n: number) => http(rps20, L(0, err), ONSET, n);
const SLOW_1D = (0.006002 * 1450) / 1471;
const fastBurnErrors = {
  labels: { ...svc, slo: "availability", burn: "fast", severity: "critical", priority: "P0" },
  summary: "Fast availability error-budget burn: the 99.9% SLO is at risk within hours",
  description:
    "ratio of 5xx responses (burning the 99.9% availability SLO's budget) is 0.6002% on agent-platform (critical when burn rate > 14.4× over 1h and 5m, or burn rate > 6× over 6h and 30m for 2m).",
};
const slowBurnErrors = (value: string): Fire => ({
  labels: { ...svc, slo: "availability", burn: "slow", severity: "warning", priority: "P3" },
  summary: "Slow availability error-budget burn: the 99.9% SLO will be missed at this pace",
  description: `ratio of 5xx responses (burning the 99.9% availability SLO's budget) is ${value}% on agent-platform (warning when burn rate > 3× over 1d and 2h, or burn rate > 1× over 3d and 6h for 15m).`,
});
CASES.push({
  requirement: "R-AL-19", alert: "ErrorBudgetBurn", severity: "critical", title: "0.6002 % errors: a 6.002× burn", group: "slo",
  worst: 6 * 3600 + 30 + 120,
  fires: [fastBurnErrors, slowBurnErrors(g4(SLOW_1D * 100))],
  belowUntil: 0,
  earlier: [slowBurnErrors(g4(((0.006002 * 1448) / 1469) * 100))],
  above: sloHttp(0.006002),
  below: sloHttp(0.005998),
  belowFires: [slowBurnErrors(g4(((0.005998 * 1450) / 1471) * 100))],
});
// Latency: 0.6002 % of requests slower than the 1 s SLO threshold.
const sloLatency = (slow: number) => (n: number) => [
  ...histogram("http_request_duration_seconds", LATENCY_BUCKETS, 20 * STEP, { before: { 0.25: 1 }, after: { 0.25: 1 - slow, 2.5: slow } }, ONSET, n),
  ...http(rps20, flat(0), ONSET, n),
];
const latencyBurn = (burn: "fast" | "slow", value: string): Fire => ({
  labels: { ...svc, slo: "latency", burn, severity: burn === "fast" ? "critical" : "warning", priority: burn === "fast" ? "P1" : "P3" },
  summary:
    burn === "fast"
      ? "Fast latency error-budget burn: the 99.9% SLO is at risk within hours"
      : "Slow latency error-budget burn: the 99.9% SLO will be missed at this pace",
  description: `ratio of requests slower than 1s (burning the 99.9% latency SLO's budget) is ${value}% on agent-platform (${burn === "fast" ? "critical when burn rate > 14.4× over 1h and 5m, or burn rate > 6× over 6h and 30m for 2m" : "warning when burn rate > 3× over 1d and 2h, or burn rate > 1× over 3d and 6h for 15m"}).`,
});
CASES.push({
  requirement: "R-AL-19", alert: "LatencyBudgetBurn", severity: "critical", title: "0.6002 % of requests slower than 1 s", group: "slo",
  worst: 6 * 3600 + 30 + 120,
  fires: [latencyBurn("fast", "0.6002"), latencyBurn("slow", g4(SLOW_1D * 100))],
  belowUntil: 0,
  earlier: [latencyBurn("slow", g4(((0.006002 * 1448) / 1469) * 100))],
  above: sloLatency(0.006002),
  below: sloLatency(0.005998),
  belowFires: [latencyBurn("slow", g4(((0.005998 * 1450) / 1471) * 100))],
});

const secs = (x: number) => `${x}s`;

function ruleFile(dir: string, groups: Array<{ name: string }>, group: Group): string {
  const file = path.join(dir, `${group}.yaml`);
  if (!fs.existsSync(file)) {
    const g = groups.filter((x) => x.name === `agent-platform.${group}`);
    assert.equal(g.length, 1, `group agent-platform.${group}`);
    fs.writeFileSync(file, stringify({ groups: g }, { lineWidth: 0 }));
  }
  return path.basename(file);
}

const expAlert = (alert: string, f: Fire) => ({
  exp_labels: f.labels,
  exp_annotations: { summary: f.summary, description: f.description, runbook_url: `${RUNBOOK}/${alert}.md` },
});

describe("R-AL-21, R-AL-22: every alert under promtool: fires at its worst case just past its threshold, silent just short of it", function () {
  this.timeout(600_000);
  let dir: string;
  let groups: Array<{ name: string; interval: string; rules: any[] }>;
  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-alerts-"));
  });
  beforeEach(async () => {
    // Rendered before each case (the render is cached), not once in before(): Stryker's
    // per-test coverage credits a case only with the code that runs inside it or its
    // beforeEach, so the rules' mutants would otherwise count as covered by no case here.
    groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("R-AL-21: the prod rules are evaluated every 30 s and scraped every 15 s, as these tests assume", async () => {
    for (const g of groups) assert.equal(g.interval, "30s", g.name);
    const sm = (await stack("prod")).manifests.find((m) => m.kind === "ServiceMonitor") as any;
    assert.equal(sm.spec.endpoints[0].interval, "15s");
  });

  it("R-AL-21: every alerting rule of the prod catalogue has a case here (the probes and anomaly below)", () => {
    const covered = new Set(CASES.map((c) => `${c.alert}/${c.severity}`));
    for (const extra of ["SyntheticProbeFailing/critical", "TrafficAnomaly/warning", "TrafficAnomaly/critical", "ErrorBudgetBurn/warning", "LatencyBudgetBurn/warning"]) covered.add(extra);
    covered.add("ExportStale/warning"); // test/promtool/data.test.ts
    covered.add("RestoreDrillStale/warning"); // test/promtool/data.test.ts
    // test/promtool/observability.test.ts
    for (const k of ["LogErrorRateHigh/warning", "LogErrorRateHigh/critical", "PlatformFatalErrors/critical", "AuthenticationFailuresHigh/warning", "DatabaseConnectionErrors/warning", "DatabaseConnectionErrors/critical", "TelemetryDropped/warning", "TelemetryQueueFilling/warning", "TelemetryStorageFilling/warning", "TelemetryStorageFilling/critical"]) covered.add(k);
    const all = groups.flatMap((g) => g.rules).filter((r) => r.alert && r.alert !== "Watchdog");
    const missing = all.map((r) => `${r.alert}/${r.labels.severity}`).filter((k) => !covered.has(k));
    assert.deepEqual([...new Set(missing)], []);
  });

  for (const group of ["http", "resources", "agents", "availability", "slo"] as const) {
    // The title names every requirement its cases prove (docs/testing.md is built from titles).
    const proves = [...new Set(CASES.filter((c) => c.group === group).flatMap((c) => c.requirement.split(", ")))];
    it(`R-AL-21, R-AL-22, R-AL-23, ${proves.join(", ")}: the ${group} alerts`, () => {
      const file = ruleFile(dir, groups, group);
      const tests: unknown[] = [];
      for (const c of CASES.filter((x) => x.group === group)) {
        const onset = c.onset ?? O;
        const evalEvery = c.evalInterval ?? EVAL;
        const fireAt = onset + c.worst;
        const steps = Math.ceil((fireAt + 300) / STEP) + 2;
        const name = `${c.requirement} ${c.alert}/${c.severity}: ${c.title}`;
        tests.push({
          name: `${name}: fires at onset + ${c.worst}s, not one evaluation earlier`,
          interval: `${STEP}s`,
          input_series: c.above(steps),
          alert_rule_test: [
            { eval_time: secs(fireAt), alertname: c.alert, exp_alerts: c.fires.map((f) => expAlert(c.alert, f)) },
            { eval_time: secs(fireAt - evalEvery), alertname: c.alert, exp_alerts: (c.earlier ?? []).map((f) => expAlert(c.alert, f)) },
          ],
        });
        tests.push({
          name: `${name}: just short of the threshold stays silent`,
          interval: `${STEP}s`,
          input_series: c.below(steps),
          alert_rule_test: [...new Set([fireAt, fireAt + (c.belowUntil ?? 300)])].map((t) => ({
            eval_time: secs(t),
            alertname: c.alert,
            exp_alerts: (c.belowFires ?? []).map((f) => expAlert(c.alert, f)),
          })),
        });
        if (c.quiet) {
          tests.push({
            name: `${name}: too few events (under the guard) stay silent`,
            interval: `${STEP}s`,
            input_series: c.quiet(steps),
            alert_rule_test: [{ eval_time: secs(fireAt + 300), alertname: c.alert, exp_alerts: [] }],
          });
        }
      }
      const test = path.join(dir, `${group}.test.yaml`);
      fs.writeFileSync(test, stringify({ rule_files: [file], evaluation_interval: `${EVAL}s`, tests }, { lineWidth: 0 }));
      const res = run("promtool", ["test", "rules", test]);
      assert.equal(res.status, 0, res.out);
      assert.match(res.out, /SUCCESS/);
    });
  }
});

// ------------------------------------------------------------------------------------
// R-AL-16, R-AL-22: each probe layer fires on its 4th consecutive failure, within one
// evaluation of it, whatever the phase between the probe and the evaluations: samples
// 1 s apart, probes at offsets 0..25 s from the 30 s evaluation grid.
const PROBES = [
  { layer: "basic", every: 30, path: "/health", timeout: "5s", priority: "P0", worst: 4 * 30 + 30, everyText: "30s" },
  { layer: "functional", every: 120, path: "/api/v1/health/functional", timeout: "30s", priority: "P1", worst: 4 * 120 + 30, everyText: "2m" },
  { layer: "integration", every: 300, path: "/api/v1/health/integration", timeout: "60s", priority: "P1", worst: 4 * 300 + 30, everyText: "5m" },
] as const;

function phaseTests(dir: string, groups: Array<{ name: string }>, group: Group, tests: unknown[]): void {
  const file = ruleFile(dir, groups, group);
  const test = path.join(dir, `${group}-phases.test.yaml`);
  fs.writeFileSync(test, stringify({ rule_files: [file], evaluation_interval: `${EVAL}s`, tests }, { lineWidth: 0 }));
  const res = run("promtool", ["test", "rules", test]);
  assert.equal(res.status, 0, res.out);
  assert.match(res.out, /SUCCESS/);
}

describe("R-AL-16, R-AL-22: detection times do not depend on the phase between scrapes and evaluations", function () {
  this.timeout(600_000);
  let dir: string;
  let groups: Array<{ name: string }>;
  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-phases-"));
  });
  beforeEach(async () => {
    // Per case, not in before(), for Stryker's per-test coverage (see the first suite).
    groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("R-AL-16, R-PD-5: every probe layer fires on the 4th consecutive failure (never the 3rd), within 4 intervals + 30 s of the outage, at every phase", () => {
    const tests: unknown[] = [];
    for (const p of PROBES) {
      for (const phase of [0, 5, 10, 15, 20, 25]) {
        const lastOk = Math.ceil(300 / p.every); // probe index of the last success
        const O = phase + lastOk * p.every;
        const total = lastOk + 12;
        const series = (failures: number) =>
          sparseGauge(
            "probe_success",
            `namespace="${NS}",layer="${p.layer}",job="agent-platform-probe-${p.layer}"`,
            Array.from({ length: total }, (_, j) => (j > lastOk && j <= lastOk + failures ? 0 : 1)),
            p.every,
            phase,
          );
        const fire = {
          exp_labels: { namespace: NS, layer: p.layer, service: "agent-platform", severity: "critical", priority: p.priority },
          exp_annotations: {
            summary: `Synthetic ${p.layer} probe failing`,
            description: `The ${p.layer} probe of ${p.path} failed more than 3 consecutive times (every ${p.everyText}, timeout ${p.timeout}).`,
            runbook_url: `${RUNBOOK}/SyntheticProbeFailing.md`,
          },
        };
        tests.push({
          name: `${p.layer} at phase ${phase}s: four failures`,
          interval: "1s",
          input_series: [series(8)],
          alert_rule_test: [
            // Before the 4th failed probe (at onset + 4 intervals) it cannot fire...
            { eval_time: `${O + 4 * p.every - 1}s`, alertname: "SyntheticProbeFailing", exp_alerts: [] },
            // ...and one evaluation after it, it has.
            { eval_time: `${O + p.worst}s`, alertname: "SyntheticProbeFailing", exp_alerts: [fire] },
          ],
        });
        tests.push({
          name: `${p.layer} at phase ${phase}s: three failures, then a success`,
          interval: "1s",
          input_series: [series(3)],
          alert_rule_test: [O + p.worst, O + p.worst + 2 * p.every].map((t) => ({ eval_time: `${t}s`, alertname: "SyntheticProbeFailing", exp_alerts: [] })),
        });
      }
    }
    phaseTests(dir, groups, "availability", tests);
  });

  it("R-AL-22, R-PD-5: error rate > 5 % for 2 min and spawn failures > 50 % for 2 min fire within 3m30s of the onset at every scrape phase, never before 2m45s", () => {
    const tests: unknown[] = [];
    for (const phase of [0, 3, 6, 9, 12]) {
      const lastOk = 20; // sample index of the last healthy scrape: 300 s + phase
      const O = phase + lastOk * 15;
      const n = lastOk + 30;
      const incs = (perScrape: number, share: number, good: boolean) =>
        Array.from({ length: n }, (_, i) => (i < lastOk ? (good ? perScrape : 0) : perScrape * (good ? 1 - share : share)));
      const pair = (metric: string, ok: string, bad: string, perScrape: number, share: number) => [
        sparseCounter(metric, `${BASE},${ok}`, incs(perScrape, share, true), 15, phase),
        sparseCounter(metric, `${BASE},${bad}`, incs(perScrape, share, false), 15, phase),
      ];
      tests.push({
        name: `HighErrorRate/critical at phase ${phase}s`,
        interval: "1s",
        input_series: pair("http_requests_total", 'code="200"', 'code="500"', 300, 0.051),
        alert_rule_test: [
          // The 1 min window holds only bad increments once the last healthy increment
          // (the scrape before the onset) has left it: 1 min − 15 s, then 2 min.
          { eval_time: `${O + 60 - 15 + 120}s`, alertname: "HighErrorRate", exp_alerts: [] },
          {
            eval_time: `${O + 210}s`,
            alertname: "HighErrorRate",
            exp_alerts: [expAlert("HighErrorRate", CASES.find((c) => c.alert === "HighErrorRate" && c.severity === "critical")!.fires[0])],
          },
        ],
      });
      tests.push({
        name: `AgentSpawnFailures at phase ${phase}s`,
        interval: "1s",
        input_series: pair("agent_spawn_total", 'result="success"', 'result="failure"', 15, 0.51),
        alert_rule_test: [
          { eval_time: `${O + 60 - 15 + 120}s`, alertname: "AgentSpawnFailures", exp_alerts: [] },
          {
            eval_time: `${O + 210}s`,
            alertname: "AgentSpawnFailures",
            exp_alerts: [expAlert("AgentSpawnFailures", CASES.find((c) => c.alert === "AgentSpawnFailures")!.fires[0])],
          },
        ],
      });
    }
    phaseTests(dir, groups, "http", tests.filter((t) => (t as { name: string }).name.startsWith("HighErrorRate")));
    phaseTests(dir, groups, "agents", tests.filter((t) => (t as { name: string }).name.startsWith("AgentSpawnFailures")));
  });

  it("R-AL-22, R-PD-5: memory > 90 % for 3 min fires within 3m45s of the onset at every scrape phase, never before 3m15s", () => {
    const tests: unknown[] = [];
    for (const phase of [0, 3, 6, 9, 12]) {
      const lastOk = 20;
      const O = phase + lastOk * 15;
      const n = lastOk + 30;
      const wss = Array.from({ length: n }, (_, i) => (i <= lastOk ? GiB : 0.91 * 2 * GiB));
      tests.push({
        name: `MemorySaturationSustained at phase ${phase}s`,
        interval: "1s",
        input_series: [
          sparseGauge("container_memory_working_set_bytes", POD_LABELS, wss, 15, phase),
          sparseGauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="memory"`, wss.map(() => 2 * GiB), 15, phase),
        ],
        alert_rule_test: [
          // The first sample above 90 % comes one scrape after the onset; then 3 min.
          { eval_time: `${O + 15 + 180 - 1}s`, alertname: "MemorySaturationSustained", exp_alerts: [] },
          {
            eval_time: `${O + 225}s`,
            alertname: "MemorySaturationSustained",
            exp_alerts: [expAlert("MemorySaturationSustained", CASES.find((c) => c.alert === "MemorySaturationSustained")!.fires[0])],
          },
        ],
      });
    }
    phaseTests(dir, groups, "resources", tests);
  });
});

// ------------------------------------------------------------------------------------
const lastEval = (t: number, every = EVAL) => Math.floor(t / every) * every;

describe("R-AL-18, R-AL-19, R-MON-5: the anomaly, the slow burns and the heartbeat", function () {
  this.timeout(600_000);
  let dir: string;
  let groups: Array<{ name: string }>;
  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-long-"));
  });
  beforeEach(async () => {
    // Per case, not in before(), for Stryker's per-test coverage (see the first suite).
    groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const runFile = (group: Group, name: string, tests: unknown[], evalEvery = EVAL) => {
    const file = ruleFile(dir, groups, group);
    const test = path.join(dir, `${name}.test.yaml`);
    fs.writeFileSync(test, stringify({ rule_files: [file], evaluation_interval: `${evalEvery}s`, tests }, { lineWidth: 0 }));
    const res = run("promtool", ["test", "rules", test]);
    assert.equal(res.status, 0, res.out);
  };

  it("R-AL-18: a doubling of traffic after a day of 9/11 req/s fires the warning (> 3σ) and the critical (> 4σ) within 15m30s; a flat day records no z-score at all", () => {
    // History: 20-minute blocks of 9 and 11 req/s for a day; then 20 req/s from 86715 s.
    const onset = 5781; // 86715 s: a full day of history, 15 s past an evaluation
    const n = onset + 100;
    const rps = (i: number) => (i >= onset ? 20 : Math.floor(i / 80) % 2 === 0 ? 9 : 11);
    // Independent arithmetic of what Prometheus records: the 5m rate at each evaluation
    // (its window starts and ends on samples: no extrapolation), then mean and
    // population deviation over the day's recorded values (both ends included).
    const total = [0];
    for (let i = 0; i < n; i++) total.push(total[i] + rps(i) * STEP);
    const rate5m = (t: number) => (total[t / STEP] - total[(t - 300) / STEP]) / 300;
    const z = (t: number) => {
      const xs: number[] = [];
      for (let u = t - 86400; u <= t; u += EVAL) xs.push(rate5m(u));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
      return (rate5m(t) - mean) / sd;
    };
    const O = onset * STEP;
    const firstAbove = (th: number) => {
      for (let t = lastEval(O) + EVAL; ; t += EVAL) if (z(t) > th) return t;
    };
    const [wStart, cStart] = [firstAbove(3), firstAbove(4)];
    const at = lastEval(O + 930); // the worst case: 5 min window + 30 s + 10 min
    assert.ok(wStart + 600 <= at && cStart + 600 <= at, "the jump is past both thresholds in time");
    const fire = (sev: "warning" | "critical") => ({
      exp_labels: { ...svc, severity: sev, priority: sev === "warning" ? "P3" : "P1" },
      exp_annotations: {
        summary: "Request rate far outside its usual range",
        description: `request-rate (5m) z-score against the last 1d is ${z(at).toFixed(2)} on agent-platform (${sev} when > ${sev === "warning" ? 3 : 4} for 10m).`,
        runbook_url: `${RUNBOOK}/TrafficAnomaly.md`,
      },
    });
    const series = (cumulative: (i: number) => number) => [
      { series: `http_requests_total{${BASE},route="/api/v1/tasks",method="POST",code="200"}`, values: Array.from({ length: n + 1 }, (_, i) => 1_000_000 + cumulative(i)).join(" ") },
    ];
    runFile("http", "anomaly", [
      {
        name: "R-AL-18 TrafficAnomaly: traffic doubles",
        interval: `${STEP}s`,
        input_series: series((i) => total[i]),
        alert_rule_test: [
          { eval_time: `${wStart + 600 - EVAL}s`, alertname: "TrafficAnomaly", exp_alerts: [] },
          { eval_time: `${at}s`, alertname: "TrafficAnomaly", exp_alerts: [fire("critical"), fire("warning")] },
        ],
      },
      {
        name: "R-AL-18 TrafficAnomaly: a flat day has no deviation to divide by",
        interval: `${STEP}s`,
        input_series: series((i) => i * 10 * STEP),
        promql_expr_test: [{ expr: "service:http_requests_rate5m:zscore1d", eval_time: `${at}s`, exp_samples: [] }],
        alert_rule_test: [{ eval_time: `${at}s`, alertname: "TrafficAnomaly", exp_alerts: [] }],
      },
    ]);
  });

  // The slow burns look 3 days back: Prometheus's test engine caps the samples one query
  // may load, so these run on a 60 s scrape and a 5 min evaluation, and their worst case
  // is the same sum with that evaluation: 3 d window + 5 min + 15 min for.
  it("R-AL-19: a burn just above 1× of the 0.1 % budget fires the slow-burn ticket at 3 d + 5 min + 15 min; just below it stays silent", () => {
    const EV = 300;
    // The last healthy scrape at 360 s: the window then holds only bad increments from
    // 3 d − 60 s after it, which is on an evaluation, so the next one (5 min later) sees it.
    const lastOk = 6;
    const O = 60 * lastOk;
    const worst = 3 * DAY + EV + 900;
    const samples = Math.ceil((O + worst + 600) / 60);
    const incs = (perScrape: number, share: number, good: boolean) =>
      Array.from({ length: samples }, (_, i) => (i < lastOk ? (good ? perScrape : 0) : perScrape * (good ? 1 - share : share)));
    const sparse = (metric: string, labels: string, xs: number[]) => sparseCounter(metric, labels, xs, 4, 0);
    const httpSeries = (share: number) => [
      sparse("http_requests_total", `${BASE},code="200"`, incs(1200, share, true)),
      sparse("http_requests_total", `${BASE},code="500"`, incs(1200, share, false)),
    ];
    const latencySeries = (share: number) => [
      sparse("http_requests_total", `${BASE},code="200"`, incs(1200, 0, true)),
      sparse("http_request_duration_seconds_bucket", `${BASE},le="1"`, incs(1200, share, true)),
      sparse("http_request_duration_seconds_count", BASE, incs(1200, 0, true)),
    ];
    const slow = (slo: "availability" | "latency", alert: string) => ({
      exp_labels: { ...svc, slo, burn: "slow", severity: "warning", priority: "P3" },
      exp_annotations: {
        summary: `Slow ${slo} error-budget burn: the 99.9% SLO will be missed at this pace`,
        description: `${slo === "availability" ? "ratio of 5xx responses" : "ratio of requests slower than 1s"} (burning the 99.9% ${slo} SLO's budget) is 0.1% on agent-platform (warning when burn rate > 3× over 1d and 2h, or burn rate > 1× over 3d and 6h for 15m).`,
        runbook_url: `${RUNBOOK}/${alert}.md`,
      },
    });
    const tests = [];
    for (const [alert, slo, series] of [
      ["ErrorBudgetBurn", "availability", httpSeries],
      ["LatencyBudgetBurn", "latency", latencySeries],
    ] as const) {
      tests.push({
        name: `R-AL-19 ${alert}/warning: a 1.00003× burn`,
        interval: `${STEP}s`,
        input_series: series(0.00100003),
        alert_rule_test: [
          { eval_time: `${lastEval(O + worst, EV)}s`, alertname: alert, exp_alerts: [slow(slo, alert)] },
          { eval_time: `${lastEval(O + worst - EV, EV)}s`, alertname: alert, exp_alerts: [] },
        ],
      });
      tests.push({
        name: `R-AL-19 ${alert}/warning: a 0.99997× burn`,
        interval: `${STEP}s`,
        input_series: series(0.00099997),
        alert_rule_test: [{ eval_time: `${lastEval(O + worst + 300, EV)}s`, alertname: alert, exp_alerts: [] }],
      });
    }
    runFile("slo", "slow-burn", tests, EV);
  });

  it("R-MON-5: the Watchdog fires from the first evaluation on, whatever the traffic, with its labels", () => {
    const watchdog = {
      exp_labels: { namespace: NS, service: "agent-platform", severity: "info", priority: "P3" },
      exp_annotations: {
        summary: "Alerting pipeline heartbeat (always firing)",
        description: "Always firing. If the dead-man's switch stops receiving it, Prometheus or Alertmanager is down.",
        runbook_url: `${RUNBOOK}/Watchdog.md`,
      },
    };
    runFile("availability", "watchdog", [
      { name: "R-MON-5 Watchdog", interval: "30s", input_series: [], alert_rule_test: [0, 600].map((t) => ({ eval_time: `${t}s`, alertname: "Watchdog", exp_alerts: [watchdog] })) },
    ]);
  });
});

// ------------------------------------------------------------------------------------
// R-AL-23: a day of diurnal traffic inside the SLO, preceded by a quiet night with isolated
// failures, raises nothing but the dead-man's switch. Two days, every group of the prod
// rules: day 1 gives every baseline (the anomaly alert judges against a full day, the
// SLO windows fill), day 2 is checked at every evaluation (ALERTS over the whole day).
// The 30 s scrape and 60 s evaluation keep two days inside promtool's per-query sample
// limit; the guards and ratios do not depend on either.
const H = 3600;
function diurnalDay(incident?: { from: number; to: number; errShare: number }, days = 2): Series[] {
  const step = 30;
  const n = (days * DAY) / step;
  const hourOf = (i: number) => ((i * step) % DAY) / H;
  const night = (i: number) => hourOf(i) < 6;
  // Requests/s: 0.1 at night (under the 0.2/s guard), 1..20 over the day.
  const rps = (i: number) => (night(i) ? 0.1 : 1 + 19 * Math.sin((Math.PI * (hourOf(i) - 6)) / 18) ** 2);
  // One isolated failure in each night hour (at :30); 0.05 % errors by day (the SLO is 99.9 %).
  const isolated = (i: number) => night(i) && (i * step) % H === 30 * 60;
  const inIncident = (i: number) => incident !== undefined && i * step >= incident.from && i * step < incident.to;
  const errors = (i: number) => (inIncident(i) ? rps(i) * step * incident!.errShare : isolated(i) ? 1 : night(i) ? 0 : rps(i) * step * 0.0005);
  const cum = (f: (i: number) => number) => {
    let v = 1_000_000;
    const out = [v];
    for (let i = 0; i < n; i++) out.push((v += f(i)));
    return out.join(" ");
  };
  const events = (perSecondDay: number, perSecondNight: number, badShareDay: number) => (good: boolean) =>
    cum((i) => {
      const total = (night(i) ? perSecondNight : perSecondDay) * step;
      const bad = night(i) ? (isolated(i) ? 1 : 0) : total * badShareDay;
      return good ? total - bad : bad;
    });
  const constant = (v: number) => `${v}x${n}`;
  const tasks = events(0.5, 0.005, 0.01);
  const spawns = events(0.5, 0.01, 0.005);
  const swarm = events(0.5, 0.01, 0.05);
  const probe = (layer: string) => ({ series: `probe_success{namespace="${NS}",layer="${layer}",job="agent-platform-probe-${layer}"}`, values: constant(1) });
  const latencyBucket = (le: string, share: number) => ({
    series: `http_request_duration_seconds_bucket{${BASE},le="${le}"}`,
    values: cum((i) => rps(i) * step * share),
  });
  return [
    { series: `http_requests_total{${BASE},code="200"}`, values: cum((i) => rps(i) * step - errors(i)) },
    { series: `http_requests_total{${BASE},code="500"}`, values: cum(errors) },
    // 99.9 % under 0.25 s, 0.08 % under 0.5 s, 0.02 % at 1-2.5 s: inside the latency SLO.
    ...LATENCY_BUCKETS.map((le) => latencyBucket(String(le), le < 0.25 ? 0.5 : le < 0.5 ? 0.999 : le < 2.5 ? 0.9998 : 1)),
    latencyBucket("+Inf", 1),
    { series: `http_request_duration_seconds_count{${BASE}}`, values: cum((i) => rps(i) * step) },
    { series: `tasks_total{${BASE},status="completed"}`, values: tasks(true) },
    { series: `tasks_total{${BASE},status="failed"}`, values: tasks(false) },
    ...TASK_BUCKETS.map((le) => ({ series: `task_duration_seconds_bucket{${BASE},le="${le}"}`, values: cum((i) => (night(i) ? 0.005 : 0.5) * step * (le >= 120 ? 1 : 0.9)) })),
    { series: `task_duration_seconds_bucket{${BASE},le="+Inf"}`, values: cum((i) => (night(i) ? 0.005 : 0.5) * step) },
    { series: `agent_spawn_total{${BASE},result="success"}`, values: spawns(true) },
    { series: `agent_spawn_total{${BASE},result="failure"}`, values: spawns(false) },
    { series: `swarm_coordination_total{${BASE},result="success"}`, values: swarm(true) },
    { series: `swarm_coordination_total{${BASE},result="failure"}`, values: swarm(false) },
    { series: `agents_active{${BASE},pod="${POD}"}`, values: Array.from({ length: n + 1 }, (_, i) => (night(i) ? 2 : 12)).join(" ") },
    { series: `container_cpu_usage_seconds_total{${POD_LABELS}}`, values: cum(() => 0.3 * step) },
    { series: `kube_pod_container_resource_limits{${POD_LABELS},resource="cpu"}`, values: constant(1) },
    { series: `container_memory_working_set_bytes{${POD_LABELS}}`, values: constant(GiB) },
    { series: `kube_pod_container_resource_limits{${POD_LABELS},resource="memory"}`, values: constant(2 * GiB) },
    { series: `kubelet_volume_stats_used_bytes{${PVC}}`, values: constant(80 * GiB) },
    { series: `kubelet_volume_stats_capacity_bytes{${PVC}}`, values: constant(200 * GiB) },
    { series: `process_resident_memory_bytes{namespace="${NS}",job="agent-platform-metrics",pod="${POD}"}`, values: constant(100 * MiB) },
    { series: `up{namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.7:3000"}`, values: constant(1) },
    probe("basic"),
    probe("functional"),
    probe("integration"),
  ];
}

describe("R-AL-23: a healthy day and a quiet night raise nothing but the dead-man's switch", function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-day-"));
  });
  beforeEach(async () => {
    // Per case, not in before(), for Stryker's per-test coverage (see the first suite).
    const groups = parse((await stack("prod")).files["prometheus/rules.yaml"]).groups;
    fs.writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, series: Series[], exp: Array<{ labels: string; value: number }>, end = 2 * DAY) => {
    const test = path.join(dir, `${name}.test.yaml`);
    const tests = [
      {
        name,
        interval: "30s",
        input_series: series,
        promql_expr_test: [
          // Every alert that was pending or firing at any evaluation of day 2, but the heartbeat.
          { expr: 'count by (alertname, severity) (count_over_time(ALERTS{alertname!="Watchdog"}[1d]))', eval_time: `${end}s`, exp_samples: exp },
          { expr: 'count(count_over_time(ALERTS{alertname="Watchdog",alertstate="firing"}[1d]))', eval_time: `${end}s`, exp_samples: [{ labels: "{}", value: 1 }] },
        ],
      },
    ];
    fs.writeFileSync(test, stringify({ rule_files: ["rules.yaml"], evaluation_interval: "60s", tests }, { lineWidth: 0 }));
    const res = run("promtool", ["test", "rules", test]);
    assert.equal(res.status, 0, res.out);
  };

  it("R-AL-23: day 2 of diurnal traffic (1-20 req/s, 0.05 % errors) after a quiet night (0.1 req/s, one failure an hour): no alert at any evaluation", () => {
    check("healthy-day", diurnalDay(), []);
  });

  it("R-AL-23: the same traffic with ten minutes of 10 % errors at noon does alert (the check can fail; pending and firing count apart)", () => {
    const noon = 12 * H;
    const slice = diurnalDay({ from: noon, to: noon + 600, errShare: 0.1 }, 0.6);
    check("incident-day", slice, [
      { labels: '{alertname="ErrorBudgetBurn",severity="critical"}', value: 2 },
      { labels: '{alertname="ErrorBudgetBurn",severity="warning"}', value: 2 },
      { labels: '{alertname="HighErrorRate",severity="critical"}', value: 2 },
      { labels: '{alertname="HighErrorRate",severity="warning"}', value: 2 },
    ], 0.6 * DAY);
  });
});

// ------------------------------------------------------------------------------------
// R-ENV-7: the same incident judged by each environment's own rules. 5.5 % errors for
// 20 minutes: prod pages (HighErrorRate critical, P0); staging's relaxed rules raise a
// P2 warning and nothing that pages; dev's informational rules raise only P3.
describe("R-ENV-7, R-AL-19: staging and dev judge the same incident by their own profile", function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    requireTool("promtool");
    requireTool("amtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-envs-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const incident = (env: string, n: number) => {
    const ns = `agent-platform-${env}`;
    return [
      ...http(rps20, L(0, 0.055), ONSET, n, STEP, `namespace="${ns}",service="agent-platform"`),
      gauge("up", `namespace="${ns}",job="agent-platform-metrics",instance="10.0.0.7:3000"`, flat(1), ONSET, n),
    ];
  };
  const at = O + 1200; // 20 minutes in: every error-rate rule has had its window and `for`

  async function firing(env: "dev" | "staging" | "prod"): Promise<Array<Record<string, string>>> {
    const r = await stack(env);
    fs.writeFileSync(path.join(dir, `${env}.yaml`), r.files["prometheus/rules.yaml"]);
    const probe = {
      name: `${env}: 5.5 % errors`,
      interval: `${STEP}s`,
      input_series: incident(env, Math.ceil(at / STEP) + 2),
      // An impossible expectation makes promtool print every firing alert's labels.
      promql_expr_test: [{ expr: 'ALERTS{alertstate="firing",alertname!="Watchdog"}', eval_time: `${at}s`, exp_samples: [{ labels: "{x=\"never\"}", value: 1 }] }],
    };
    const test = path.join(dir, `${env}.test.yaml`);
    fs.writeFileSync(test, stringify({ rule_files: [`${env}.yaml`], evaluation_interval: `${EVAL}s`, tests: [probe] }, { lineWidth: 0 }));
    const out = run("promtool", ["test", "rules", test]).out;
    const got = /got: (.*)/.exec(out)?.[1] ?? "";
    return [...got.matchAll(/\{([^}]*)\}/g)].map((m) => Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]])));
  }

  const route = async (env: "dev" | "staging" | "prod", labels: Record<string, string>) => {
    const file = path.join(dir, `${env}-am.yaml`);
    fs.writeFileSync(file, (await stack(env)).files["alertmanager/alertmanager.yaml"]);
    const res = run("amtool", ["config", "routes", "test", `--config.file=${file}`, ...Object.entries(labels).filter(([k]) => k !== "alertstate").map(([k, v]) => `${k}=${v}`)]);
    return res.out.trim().split("\n")[0];
  };

  it("R-ENV-7: prod: HighErrorRate critical fires as P0 and routes to PagerDuty", async () => {
    const alerts = await firing("prod");
    const critical = alerts.find((a) => a.alertname === "HighErrorRate" && a.severity === "critical");
    assert.ok(critical, JSON.stringify(alerts));
    assert.equal(critical!.priority, "P0");
    assert.equal(await route("prod", critical!), "pagerduty-and-slack-incident");
  });

  it("R-ENV-7: staging: only its relaxed warning (P2, > 4 %) fires; nothing critical, nothing routed to a pager", async () => {
    const alerts = await firing("staging");
    assert.deepEqual(
      alerts.map((a) => `${a.alertname}/${a.severity}/${a.priority}`).sort(),
      ["HighErrorRate/warning/P2"],
      "at 5.5 % the 4 % warning fires; the 10 % critical and the 6× fast burn of a 99 % SLO do not",
    );
    for (const a of alerts) assert.notEqual(await route("staging", a), "pagerduty-and-slack-incident");
    assert.equal(await route("staging", alerts[0]), "slack-and-email");
  });

  it("R-ENV-7: dev: the same warning, as a P3 ticket; nothing above P3", async () => {
    const alerts = await firing("dev");
    assert.deepEqual(alerts.map((a) => `${a.alertname}/${a.severity}/${a.priority}`).sort(), ["HighErrorRate/warning/P3"]);
    assert.equal(await route("dev", alerts[0]), "ticket-webhook");
  });
});
