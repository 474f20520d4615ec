// R-AL-1..21: every alert of the catalogue under `promtool test rules`, on the rules the
// prod stack renders (strict thresholds): it fires at the expected evaluation time with
// its labels and annotations, it is silent one evaluation before its `for` elapses, and
// it stays silent on healthy traffic; ratio and SLO alerts also stay silent on low
// traffic. Recording rules are checked with promql_expr_test. Expected values are
// computed here (histogram quantiles, z-scores), not read back from Prometheus.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { parseStackConfig } from "../../components/config";
import { AlertingRule, CatalogueEntry, alertCatalogue, ruleGroups } from "../../components/model/alerts";
import { parseDuration } from "../../components/model/units";
import { STACKS, stack, stackRaw } from "../helpers/mocks";
import {
  BASE,
  LATENCY_BUCKETS,
  NS,
  SVC,
  Series,
  TASK_BUCKETS,
  counter,
  counterSwitch,
  expand,
  gauge,
  histogram,
  http,
  meanStd,
  quantile,
  samples,
} from "../helpers/promql";
import { promtoolCheckRules, requireTool, run } from "../helpers/tools";

const EVAL = 30; // seconds; the prod evaluation interval, asserted below
const POD = "agent-platform-7d9f8c6b5-x2x4q";
const POD_LABELS = `namespace="${NS}",pod="${POD}",container="api"`;

interface Expectation {
  severity: "critical" | "warning" | "info";
  /** Probe layer, for the per-layer SyntheticProbeFailing rules. */
  layer?: string;
  value: number;
  /** Labels the alert takes from its series (rule labels are added from the rule). */
  labels: Record<string, string>;
}

interface Scenario {
  requirement: string;
  alert: string;
  title: string;
  /** Spacing of the input samples (probes run slower than the scrape). */
  interval?: number;
  /** The series that make the condition true from `onset` (seconds). */
  bad: (steps: number) => Series[];
  healthy: (steps: number) => Series[];
  lowTraffic?: (steps: number) => Series[];
  onset: number;
  /** The rule whose `for` sets the firing time; `fires` lists every rule of this alert firing then. */
  target: { severity: Expectation["severity"]; layer?: string };
  fires: Expectation[];
}

const svcLabels = { namespace: NS, service: SVC };
const latency = (dist: Record<number, number>, n: number) => [
  ...histogram("http_request_duration_seconds", LATENCY_BUCKETS, dist, n),
  ...http(Object.values(dist).reduce((a, b) => a + b, 0), 0, n),
];
const tasks = (completed: number, failed: number, timeout: number, n: number) => [
  ...counter("tasks_total", `${BASE},status="completed"`, completed, n),
  ...counter("tasks_total", `${BASE},status="failed"`, failed, n),
  ...counter("tasks_total", `${BASE},status="timeout"`, timeout, n),
];
const ratioSeries = (metric: string, good: string, bad: string, goodN: number, badN: number, n: number) => [
  ...counter(metric, `${BASE},result="${good}"`, goodN, n),
  ...counter(metric, `${BASE},result="${bad}"`, badN, n),
];
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** First evaluation after a switch at `at` where a 5m rate ramping from base to bad exceeds th. */
function rampOnset(at: number, base: number, bad: number, th: number, window = 300): number {
  for (let d = 0; ; d += EVAL) {
    if (base + ((bad - base) * Math.min(d, window)) / window > th) return at + d;
  }
}

// TrafficAnomaly: the recorded 5m request rate alternates 9/11 req/s for six hours, then
// jumps. Its z-score is computed here over the same samples Prometheus averages.
const HISTORY = 6 * 3600;
const historyRates = (jump: number, n: number) => {
  const xs: number[] = [];
  for (let i = 0; i <= n; i++) xs.push(i * EVAL < HISTORY ? (i % 2 === 0 ? 9 : 11) : jump);
  return xs;
};
function zAt(jump: number, t: number): number {
  const xs = historyRates(jump, t / EVAL);
  const { mean, std } = meanStd(xs);
  return (xs[xs.length - 1] - mean) / std;
}
const rateInput = (jump: number) => (n: number) => [samples("service:http_requests:rate5m", BASE, historyRates(jump, n))];

const SCENARIOS: Scenario[] = [
  {
    requirement: "R-AL-1", alert: "HighErrorRate", title: "3 % errors",
    bad: (n) => http(97, 3, n), healthy: (n) => http(100, 0, n), lowTraffic: (n) => http(0, 0.5, n),
    onset: 30, target: { severity: "warning" }, fires: [{ severity: "warning", value: 0.03, labels: svcLabels }],
  },
  {
    requirement: "R-AL-1", alert: "HighErrorRate", title: "10 % errors",
    bad: (n) => http(90, 10, n), healthy: (n) => http(100, 0, n), lowTraffic: (n) => http(0, 1, n),
    onset: 30, target: { severity: "critical" }, fires: [{ severity: "critical", value: 0.1, labels: svcLabels }],
  },
  {
    requirement: "R-AL-2", alert: "HighLatencyP95", title: "requests at 1-2.5 s",
    bad: (n) => latency({ 2.5: 100 }, n), healthy: (n) => latency({ 0.25: 100 }, n), lowTraffic: (n) => latency({ 2.5: 1 }, n),
    onset: 30, target: { severity: "warning" },
    fires: [{ severity: "warning", value: quantile(0.95, LATENCY_BUCKETS, { 2.5: 100 }), labels: svcLabels }],
  },
  {
    requirement: "R-AL-3", alert: "HighLatencyP99", title: "requests at 2.5-5 s",
    bad: (n) => latency({ 5: 100 }, n), healthy: (n) => latency({ 0.25: 99, 1: 1 }, n),
    onset: 30, target: { severity: "critical" },
    fires: [{ severity: "critical", value: quantile(0.99, LATENCY_BUCKETS, { 5: 100 }), labels: svcLabels }],
  },
  {
    requirement: "R-AL-4", alert: "SlowResponseTime", title: "median 5-10 s",
    bad: (n) => latency({ 10: 100 }, n), healthy: (n) => latency({ 0.5: 100 }, n),
    onset: 30, target: { severity: "warning" },
    fires: [{ severity: "warning", value: quantile(0.5, LATENCY_BUCKETS, { 10: 100 }), labels: svcLabels }],
  },
  {
    requirement: "R-AL-4", alert: "SlowResponseTime", title: "median 10-20 s (warning fires too)",
    bad: (n) => latency({ 20: 100 }, n), healthy: (n) => latency({ 0.5: 100 }, n),
    onset: 30, target: { severity: "critical" },
    fires: [
      { severity: "critical", value: quantile(0.5, LATENCY_BUCKETS, { 20: 100 }), labels: svcLabels },
      { severity: "warning", value: quantile(0.5, LATENCY_BUCKETS, { 20: 100 }), labels: svcLabels },
    ],
  },
  ...(["warning", "critical"] as const).map((sev): Scenario => {
    const use = sev === "warning" ? 0.8 : 0.95;
    const th = sev === "warning" ? 0.7 : 0.9;
    return {
      requirement: "R-AL-5", alert: "CPUSaturation", title: `CPU at ${use * 100} % of the limit after 10 min at 20 %`,
      bad: (n) => [
        counterSwitch("container_cpu_usage_seconds_total", POD_LABELS, [0.2 * EVAL, 20], [use * EVAL, n]),
        gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="cpu"`, [[1, n + 21]]),
      ],
      healthy: (n) => [
        counter("container_cpu_usage_seconds_total", POD_LABELS, 0.2 * EVAL, n)[0],
        gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="cpu"`, [[1, n + 1]]),
      ],
      onset: rampOnset(600, 0.2, use, th), target: { severity: sev },
      fires: [{ severity: sev, value: use, labels: { namespace: NS, pod: POD } }],
    };
  }),
  ...(["warning", "critical"] as const).map((sev): Scenario => {
    const use = sev === "warning" ? 0.9 : 0.96;
    return {
      requirement: "R-AL-6", alert: "MemorySaturation", title: `working set at ${use * 100} % of the limit`,
      bad: (n) => [
        gauge("container_memory_working_set_bytes", POD_LABELS, [[GiB, 20], [Math.round(use * 2 * GiB), n]]),
        gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="memory"`, [[2 * GiB, n + 20]]),
      ],
      healthy: (n) => [
        gauge("container_memory_working_set_bytes", POD_LABELS, [[GiB, n + 1]]),
        gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="memory"`, [[2 * GiB, n + 1]]),
      ],
      onset: 600, target: { severity: sev },
      fires: [{ severity: sev, value: Math.round(use * 2 * GiB) / (2 * GiB), labels: { namespace: NS, pod: POD } }],
    };
  }),
  ...(["warning", "critical"] as const).map((sev): Scenario => {
    const use = sev === "warning" ? 0.9 : 0.97;
    const pvc = `namespace="monitoring",persistentvolumeclaim="prometheus-db-0"`;
    return {
      requirement: "R-AL-7", alert: "VolumeDiskUsage", title: `the Prometheus volume at ${use * 100} %`,
      bad: (n) => [
        gauge("kubelet_volume_stats_used_bytes", pvc, [[50 * GiB, 20], [use * 200 * GiB, n]]),
        gauge("kubelet_volume_stats_capacity_bytes", pvc, [[200 * GiB, n + 20]]),
      ],
      healthy: (n) => [
        gauge("kubelet_volume_stats_used_bytes", pvc, [[50 * GiB, n + 1]]),
        gauge("kubelet_volume_stats_capacity_bytes", pvc, [[200 * GiB, n + 1]]),
      ],
      onset: 600, target: { severity: sev },
      fires: [{ severity: sev, value: use, labels: { namespace: "monitoring", persistentvolumeclaim: "prometheus-db-0" } }],
    };
  }),
  {
    requirement: "R-AL-8", alert: "AgentErrorRate", title: "8 % of tasks failing",
    bad: (n) => tasks(92, 8, 0, n), healthy: (n) => tasks(99, 1, 0, n), lowTraffic: (n) => tasks(0, 0.1, 0, n),
    onset: 30, target: { severity: "warning" }, fires: [{ severity: "warning", value: 0.08, labels: svcLabels }],
  },
  {
    requirement: "R-AL-8", alert: "AgentErrorRate", title: "20 % of tasks failing",
    bad: (n) => tasks(80, 20, 0, n), healthy: (n) => tasks(99, 1, 0, n), lowTraffic: (n) => tasks(0, 0.1, 0, n),
    onset: 30, target: { severity: "critical" }, fires: [{ severity: "critical", value: 0.2, labels: svcLabels }],
  },
  {
    requirement: "R-AL-9", alert: "AgentSpawnFailures", title: "60 % of spawns failing",
    bad: (n) => ratioSeries("agent_spawn_total", "success", "failure", 40, 60, n),
    healthy: (n) => ratioSeries("agent_spawn_total", "success", "failure", 99, 1, n),
    onset: 30, target: { severity: "critical" }, fires: [{ severity: "critical", value: 0.6, labels: svcLabels }],
  },
  {
    requirement: "R-AL-10", alert: "TaskDurationHigh", title: "tasks taking 5-10 min",
    bad: (n) => [...histogram("task_duration_seconds", TASK_BUCKETS, { 600: 100 }, n), ...tasks(100, 0, 0, n)],
    healthy: (n) => [...histogram("task_duration_seconds", TASK_BUCKETS, { 60: 100 }, n), ...tasks(100, 0, 0, n)],
    onset: 30, target: { severity: "warning" },
    fires: [{ severity: "warning", value: quantile(0.95, TASK_BUCKETS, { 600: 100 }), labels: svcLabels }],
  },
  {
    requirement: "R-AL-10", alert: "TaskDurationHigh", title: "tasks taking 15-30 min (warning fires too)",
    bad: (n) => [...histogram("task_duration_seconds", TASK_BUCKETS, { 1800: 100 }, n), ...tasks(100, 0, 0, n)],
    healthy: (n) => [...histogram("task_duration_seconds", TASK_BUCKETS, { 60: 100 }, n), ...tasks(100, 0, 0, n)],
    onset: 30, target: { severity: "critical" },
    fires: [
      { severity: "critical", value: quantile(0.95, TASK_BUCKETS, { 1800: 100 }), labels: svcLabels },
      { severity: "warning", value: quantile(0.95, TASK_BUCKETS, { 1800: 100 }), labels: svcLabels },
    ],
  },
  ...(["warning", "critical"] as const).map((sev): Scenario => {
    const grown = sev === "warning" ? 200 : 350;
    const labels = `namespace="${NS}",job="agent-platform-metrics",pod="${POD}"`;
    return {
      requirement: "R-AL-11", alert: "MemoryLeakSuspected", title: `resident memory jumps from 100 to ${grown} MiB after 2 h`,
      bad: (n) => [gauge("process_resident_memory_bytes", labels, [[100 * MiB, 240], [grown * MiB, n]])],
      healthy: (n) => [gauge("process_resident_memory_bytes", labels, [[100 * MiB, n + 1]])],
      onset: 7200, target: { severity: sev },
      fires: [{ severity: sev, value: grown / 100, labels: { namespace: NS, job: "agent-platform-metrics", pod: POD } }],
    };
  }),
  {
    requirement: "R-AL-12", alert: "SwarmCoordinationFailures", title: "30 % of coordinations failing",
    bad: (n) => ratioSeries("swarm_coordination_total", "success", "failure", 70, 30, n),
    healthy: (n) => ratioSeries("swarm_coordination_total", "success", "failure", 95, 5, n),
    onset: 30, target: { severity: "warning" }, fires: [{ severity: "warning", value: 0.3, labels: svcLabels }],
  },
  {
    requirement: "R-AL-13", alert: "LowTaskCompletionRate", title: "85 % of tasks completing",
    bad: (n) => tasks(85, 5, 10, n), healthy: (n) => tasks(97, 2, 1, n), lowTraffic: (n) => tasks(0, 0.1, 0.1, n),
    onset: 30, target: { severity: "warning" }, fires: [{ severity: "warning", value: 0.85, labels: svcLabels }],
  },
  {
    requirement: "R-AL-14", alert: "LowSwarmEfficiency", title: "60 % of coordinations succeeding over 1 h",
    bad: (n) => ratioSeries("swarm_coordination_total", "success", "failure", 60, 40, n),
    healthy: (n) => ratioSeries("swarm_coordination_total", "success", "failure", 90, 10, n),
    onset: 30, target: { severity: "warning" }, fires: [{ severity: "warning", value: 0.6, labels: svcLabels }],
  },
  {
    requirement: "R-AL-15", alert: "AvailabilityBelowTarget", title: "the first 5 minutes down",
    bad: (n) => [gauge("probe_success", `namespace="${NS}",layer="basic",job="agent-platform-probe-basic"`, [[0, 10], [1, n]])],
    healthy: (n) => [gauge("probe_success", `namespace="${NS}",layer="basic",job="agent-platform-probe-basic"`, [[1, n + 1]])],
    onset: 0, target: { severity: "warning" },
    // At 5 min: 11 samples, 10 of them failures.
    fires: [{ severity: "warning", value: 1 / 11, labels: { namespace: NS } }],
  },
  ...(
    [
      ["basic", 30],
      ["functional", 120],
      ["integration", 300],
    ] as const
  ).map(([layer, every]): Scenario => {
    const labels = `namespace="${NS}",layer="${layer}",job="agent-platform-probe-${layer}"`;
    return {
      requirement: "R-AL-16", alert: "SyntheticProbeFailing", title: `${layer} probe failing from sample 10 (every ${every}s)`,
      interval: every,
      bad: (n) => [gauge("probe_success", labels, [[1, 10], [0, n]])],
      healthy: (n) => [gauge("probe_success", labels, [[1, n + 1]])],
      // Three consecutive failures: the 10th, 11th and 12th samples.
      onset: (10 + 2) * every, target: { severity: "critical", layer },
      fires: [{ severity: "critical", layer, value: 0, labels: { namespace: NS, layer } }],
    };
  }),
  {
    requirement: "R-AL-16", alert: "PlatformMetricsMissing", title: "every platform target down after 5 min",
    bad: (n) => [gauge("up", `namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.7:3000"`, [[1, 10], [0, n]])],
    healthy: (n) => [gauge("up", `namespace="${NS}",job="agent-platform-metrics",instance="10.0.0.7:3000"`, [[1, n + 1]])],
    onset: 300, target: { severity: "critical" }, fires: [{ severity: "critical", value: 1, labels: {} }],
  },
  ...(["warning", "critical"] as const).map((sev): Scenario => {
    const agents = sev === "warning" ? 22 : 27;
    const labels = `${BASE},pod="${POD}"`;
    return {
      requirement: "R-AL-17", alert: "AgentsPerPodHigh", title: `${agents} agents on one pod`,
      bad: (n) => [gauge("agents_active", labels, [[12, 20], [agents, n]])],
      healthy: (n) => [gauge("agents_active", labels, [[12, n + 1]])],
      onset: 600, target: { severity: sev }, fires: [{ severity: sev, value: agents, labels: { ...svcLabels, pod: POD } }],
    };
  }),
  ...(
    [
      // z stays within (3, 4] for the 10 minutes after a jump to 14/s; above 4 for a jump to 20/s.
      ["warning", 14],
      ["critical", 20],
    ] as const
  ).map(([sev, jump]): Scenario => {
    const fireAt = HISTORY + 600;
    const fires: Expectation[] = [{ severity: sev, value: Math.abs(zAt(jump, fireAt)), labels: svcLabels }];
    if (sev === "critical") fires.push({ severity: "warning", value: Math.abs(zAt(jump, fireAt)), labels: svcLabels });
    return {
      requirement: "R-AL-18", alert: "TrafficAnomaly", title: `request rate jumps from ~10/s to ${jump}/s after 6 h`,
      bad: rateInput(jump), healthy: rateInput(10),
      onset: HISTORY, target: { severity: sev }, fires,
    };
  }),
  {
    requirement: "R-AL-19", alert: "ErrorBudgetBurn", title: "2 % errors burn the 99.9 % budget 20× (page)",
    // 33 req/s, so that even a fresh Prometheus's 1h rate passes the traffic guard at once.
    bad: (n) => http(980, 20, n), healthy: (n) => http(1000, 0, n), lowTraffic: (n) => http(0, 1, n),
    onset: 30, target: { severity: "critical" },
    fires: [{ severity: "critical", value: 0.02, labels: { ...svcLabels, slo: "availability" } }],
  },
  {
    requirement: "R-AL-19", alert: "ErrorBudgetBurn", title: "0.5 % errors burn it 5× (ticket)",
    bad: (n) => http(995, 5, n), healthy: (n) => http(1000, 0, n), lowTraffic: (n) => http(0, 1, n),
    onset: 30, target: { severity: "warning" },
    fires: [{ severity: "warning", value: 0.005, labels: { ...svcLabels, slo: "availability" } }],
  },
  {
    requirement: "R-AL-19", alert: "LatencyBudgetBurn", title: "every request slower than 1 s (page)",
    bad: (n) => latency({ 2.5: 1000 }, n), healthy: (n) => latency({ 0.5: 1000 }, n), lowTraffic: (n) => latency({ 2.5: 1 }, n),
    onset: 30, target: { severity: "critical" },
    fires: [{ severity: "critical", value: 1, labels: { ...svcLabels, slo: "latency" } }],
  },
  {
    requirement: "R-AL-19", alert: "LatencyBudgetBurn", title: "0.5 % of requests slower than 1 s (ticket)",
    bad: (n) => latency({ 1: 995, 2.5: 5 }, n), healthy: (n) => latency({ 0.5: 1000 }, n), lowTraffic: (n) => latency({ 2.5: 1 }, n),
    onset: 30, target: { severity: "warning" },
    fires: [{ severity: "warning", value: 0.005, labels: { ...svcLabels, slo: "latency" } }],
  },
];

const secs = (d: string) => parseDuration(d) as number;

function ruleOf(entries: CatalogueEntry[], alert: string, severity: string, layer?: string): AlertingRule {
  const found = entries.filter((e) => e.alert === alert && e.severity === severity && (layer === undefined || e.rule.labels.layer === layer));
  assert.equal(found.length, 1, `one ${alert}/${severity}${layer ? `/${layer}` : ""} rule`);
  return found[0].rule;
}

function expected(rule: AlertingRule, e: Expectation) {
  const labels = { ...e.labels, ...rule.labels };
  return {
    exp_labels: labels,
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v, e.value, e.labels)])),
  };
}

const GROUP_ORDER = ruleGroupsOrder();
function ruleGroupsOrder(): string[] {
  return ruleGroups(parseStackConfig(stackRaw("prod"), "prod")).map((g) => g.name);
}

describe("R-AL-21: every alert rule under promtool test rules (prod, strict)", function () {
  this.timeout(300_000);
  let dir: string;
  let entries: CatalogueEntry[];
  before(async () => {
    requireTool("promtool");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-alerts-"));
    const r = await stack("prod");
    fs.writeFileSync(path.join(dir, "rules.yaml"), r.files["prometheus/rules.yaml"]);
    entries = alertCatalogue(parseStackConfig(stackRaw("prod"), "prod"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("R-AL-21: the rules are evaluated every 30 s, as these tests assume", () => {
    const cfg = parseStackConfig(stackRaw("prod"), "prod");
    assert.equal(secs(cfg.alerting.evaluationInterval), EVAL);
    for (const g of ruleGroups(cfg)) assert.equal(g.interval, "30s");
  });

  it("R-AL-21: every alerting rule of the catalogue has a firing scenario here", () => {
    const covered = new Set(SCENARIOS.map((s) => `${s.alert}/${s.target.severity}/${s.target.layer ?? ""}`));
    const missing = entries
      .filter((e) => e.alert !== "Watchdog")
      .map((e) => `${e.alert}/${e.severity}/${e.rule.labels.layer ?? ""}`)
      .filter((k) => !covered.has(k));
    assert.deepEqual(missing, []);
  });

  it("R-AL-1..19, R-AL-21: each alert fires on time with its labels and annotations, is silent one evaluation earlier, silent on healthy (and low) traffic", () => {
    const tests: unknown[] = [];
    for (const s of SCENARIOS) {
      const rule = ruleOf(entries, s.alert, s.target.severity, s.target.layer);
      const fireAt = s.onset + secs(rule.for ?? "0s");
      const interval = s.interval ?? EVAL;
      const steps = Math.ceil((fireAt + 120) / interval) + 2;
      const firing = s.fires.map((f) => expected(ruleOf(entries, s.alert, f.severity, f.layer), f));
      // One evaluation earlier only rules with a shorter `for` may already fire (none here).
      const earlier = s.fires
        .filter((f) => secs(ruleOf(entries, s.alert, f.severity, f.layer).for ?? "0s") < secs(rule.for ?? "0s"))
        .map((f) => expected(ruleOf(entries, s.alert, f.severity, f.layer), f));
      const name = `${s.requirement} ${s.alert}/${s.target.severity}: ${s.title}`;
      tests.push({
        name: `${name} - fires at ${fireAt}s`,
        interval: `${interval}s`,
        input_series: s.bad(steps),
        alert_rule_test: [
          { eval_time: `${fireAt}s`, alertname: s.alert, exp_alerts: firing },
          { eval_time: `${fireAt - EVAL}s`, alertname: s.alert, exp_alerts: earlier },
        ],
      });
      tests.push({
        name: `${name} - silent on healthy traffic`,
        interval: `${interval}s`,
        input_series: s.healthy(steps),
        alert_rule_test: [
          { eval_time: `${fireAt}s`, alertname: s.alert, exp_alerts: [] },
          { eval_time: `${fireAt + 120}s`, alertname: s.alert, exp_alerts: [] },
        ],
      });
      if (s.lowTraffic) {
        tests.push({
          name: `${name} - silent on low traffic`,
          interval: `${interval}s`,
          input_series: s.lowTraffic(steps),
          alert_rule_test: [
            { eval_time: `${fireAt}s`, alertname: s.alert, exp_alerts: [] },
            { eval_time: `${fireAt + 120}s`, alertname: s.alert, exp_alerts: [] },
          ],
        });
      }
    }
    // The heartbeat fires from the first evaluation on, whatever the traffic.
    const watchdog = ruleOf(entries, "Watchdog", "info");
    tests.push({
      name: "R-MON-5 Watchdog - always firing",
      interval: "30s",
      input_series: [],
      alert_rule_test: [0, 600].map((t) => ({
        eval_time: `${t}s`,
        alertname: "Watchdog",
        exp_alerts: [{ exp_labels: watchdog.labels, exp_annotations: watchdog.annotations }],
      })),
    });
    const file = path.join(dir, "alerts.test.yaml");
    fs.writeFileSync(
      file,
      stringify({ rule_files: ["rules.yaml"], evaluation_interval: `${EVAL}s`, group_eval_order: GROUP_ORDER, tests }, { lineWidth: 0 }),
    );
    const res = run("promtool", ["test", "rules", file]);
    assert.equal(res.status, 0, res.out);
    assert.match(res.out, /SUCCESS/);
    const expectedCount = 2 * SCENARIOS.length + SCENARIOS.filter((x) => x.lowTraffic).length + 1;
    assert.equal(tests.length, expectedCount);
    assert.match(res.out, new RegExp(`SUCCESS`));

    // The harness can fail: the first scenario expected one evaluation early must not pass.
    const wrong = JSON.parse(JSON.stringify(tests[0])) as { alert_rule_test: Array<{ eval_time: string }> };
    wrong.alert_rule_test = [{ ...(tests[0] as typeof wrong).alert_rule_test[0], eval_time: `${parseInt((tests[0] as typeof wrong).alert_rule_test[1].eval_time, 10)}s` }];
    const wrongFile = path.join(dir, "wrong.test.yaml");
    fs.writeFileSync(wrongFile, stringify({ rule_files: ["rules.yaml"], evaluation_interval: `${EVAL}s`, group_eval_order: GROUP_ORDER, tests: [wrong] }));
    const bad = run("promtool", ["test", "rules", wrongFile]);
    assert.notEqual(bad.status, 0, "an early expectation fails");
    assert.match(bad.out, /FAILED/);
  });

  it("R-AL-19: the burn-rate thresholds are 14.4×/6× (page) and 3×/1× (ticket) of the 0.1 % budget, with a traffic guard", () => {
    const page = ruleOf(entries, "ErrorBudgetBurn", "critical").expr;
    const ticket = ruleOf(entries, "ErrorBudgetBurn", "warning").expr;
    assert.match(page, /service:http_error_ratio:rate1h > 0\.0144 and service:http_error_ratio:rate5m > 0\.0144/);
    assert.match(page, /service:http_error_ratio:rate6h > 0\.006 and service:http_error_ratio:rate30m > 0\.006/);
    assert.match(ticket, /service:http_error_ratio:rate1d > 0\.003 and service:http_error_ratio:rate2h > 0\.003/);
    assert.match(ticket, /service:http_error_ratio:rate3d > 0\.001 and service:http_error_ratio:rate6h > 0\.001/);
    for (const e of [page, ticket]) assert.match(e, /and on\(namespace, service\) service:http_requests:rate1h >= 0\.1$/);
  });

  it("R-AL-19, R-AL-21: recording rules compute the ratios and quantiles (promql_expr_test)", () => {
    const n = 40;
    const at = "600s";
    const sel = `{${BASE}}`;
    const tests = [
      {
        name: "http ratios and quantiles",
        interval: "30s",
        input_series: [...http(97, 3, n), ...histogram("http_request_duration_seconds", LATENCY_BUCKETS, { 0.5: 90, 2.5: 10 }, n)],
        promql_expr_test: [
          { expr: `service:http_error_ratio:rate5m${sel}`, eval_time: at, exp_samples: [{ labels: `service:http_error_ratio:rate5m${sel}`, value: 0.03 }] },
          { expr: `service:http_error_ratio:rate1h${sel}`, eval_time: at, exp_samples: [{ labels: `service:http_error_ratio:rate1h${sel}`, value: 0.03 }] },
          { expr: `service:http_requests:rate5m${sel}`, eval_time: at, exp_samples: [{ labels: `service:http_requests:rate5m${sel}`, value: 100 / 30 }] },
          {
            expr: `service:http_request_duration_seconds:p95_rate5m${sel}`,
            eval_time: at,
            exp_samples: [{ labels: `service:http_request_duration_seconds:p95_rate5m${sel}`, value: quantile(0.95, LATENCY_BUCKETS, { 0.5: 90, 2.5: 10 }) }],
          },
          {
            expr: `service:http_request_duration_seconds:p50_rate5m${sel}`,
            eval_time: at,
            exp_samples: [{ labels: `service:http_request_duration_seconds:p50_rate5m${sel}`, value: quantile(0.5, LATENCY_BUCKETS, { 0.5: 90, 2.5: 10 }) }],
          },
          {
            expr: `service:http_latency_slo_miss_ratio:rate5m${sel}`,
            eval_time: at,
            exp_samples: [{ labels: `service:http_latency_slo_miss_ratio:rate5m${sel}`, value: 0.1 }],
          },
        ],
      },
      {
        name: "no 5xx series yet: the error ratio is 0, not missing",
        interval: "30s",
        input_series: http(100, 0, n),
        promql_expr_test: [
          { expr: `service:http_error_ratio:rate5m${sel}`, eval_time: at, exp_samples: [{ labels: `service:http_error_ratio:rate5m${sel}`, value: 0 }] },
        ],
      },
      {
        name: "Prometheus 3 stores bucket bounds as floats: le=\"1.0\" is matched too",
        interval: "30s",
        input_series: [
          { series: `http_request_duration_seconds_bucket{${BASE},le="1.0"}`, values: `0+80x${n}` },
          { series: `http_request_duration_seconds_count{${BASE}}`, values: `0+100x${n}` },
        ],
        promql_expr_test: [
          {
            expr: `service:http_latency_slo_miss_ratio:rate5m${sel}`,
            eval_time: at,
            exp_samples: [{ labels: `service:http_latency_slo_miss_ratio:rate5m${sel}`, value: 0.2 }],
          },
        ],
      },
      {
        name: "agent ratios",
        interval: "30s",
        input_series: [
          ...tasks(85, 5, 10, n),
          ...ratioSeries("agent_spawn_total", "success", "failure", 75, 25, n),
          ...ratioSeries("swarm_coordination_total", "success", "failure", 80, 20, n),
          ...histogram("task_duration_seconds", TASK_BUCKETS, { 300: 100 }, n),
        ],
        promql_expr_test: [
          ["service:tasks_failed:ratio_rate10m", 0.05],
          ["service:tasks_completed:ratio_rate10m", 0.85],
          ["service:agent_spawn_failure:ratio_rate5m", 0.25],
          ["service:swarm_coordination_failure:ratio_rate5m", 0.2],
          ["service:swarm_coordination_success:ratio_rate1h", 0.8],
          ["service:task_duration_seconds:p95_rate10m", quantile(0.95, TASK_BUCKETS, { 300: 100 })],
        ].map(([rec, v]) => ({ expr: `${rec}${sel}`, eval_time: at, exp_samples: [{ labels: `${rec}${sel}`, value: v }] })),
      },
      {
        name: "saturation ratios",
        interval: "30s",
        input_series: [
          counter("container_cpu_usage_seconds_total", POD_LABELS, 0.5 * 30, n)[0],
          gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="cpu"`, [[1, n + 1]]),
          gauge("container_memory_working_set_bytes", POD_LABELS, [[GiB, n + 1]]),
          gauge("kube_pod_container_resource_limits", `${POD_LABELS},resource="memory"`, [[2 * GiB, n + 1]]),
        ],
        promql_expr_test: [
          {
            expr: "pod:container_cpu_usage:ratio_limit",
            eval_time: at,
            exp_samples: [{ labels: `pod:container_cpu_usage:ratio_limit{namespace="${NS}",pod="${POD}"}`, value: 0.5 }],
          },
          {
            expr: "pod:container_memory_working_set:ratio_limit",
            eval_time: at,
            exp_samples: [{ labels: `pod:container_memory_working_set:ratio_limit{namespace="${NS}",pod="${POD}"}`, value: 0.5 }],
          },
        ],
      },
      {
        name: "traffic z-score against the last day",
        interval: "30s",
        input_series: rateInput(20)(HISTORY / EVAL + 4),
        promql_expr_test: [
          {
            expr: "service:http_requests:zscore1d",
            eval_time: `${HISTORY + 60}s`,
            exp_samples: [{ labels: `service:http_requests:zscore1d{${BASE}}`, value: zAt(20, HISTORY + 60) }],
          },
        ],
      },
    ];
    // Compare at 6 decimals: float noise (1.7499999999999991) is not a finding.
    const ROUND = 1e6;
    for (const t of tests) {
      for (const e of t.promql_expr_test as Array<{ expr: string; exp_samples: Array<{ labels: string; value: number }> }>) {
        e.expr = `round((${e.expr}) * ${ROUND})`;
        for (const x of e.exp_samples) {
          x.labels = x.labels.replace(/^[^{]*/, "");
          x.value = Math.round(x.value * ROUND);
        }
      }
    }
    const file = path.join(dir, "recording.test.yaml");
    fs.writeFileSync(
      file,
      stringify({ rule_files: ["rules.yaml"], evaluation_interval: "30s", group_eval_order: GROUP_ORDER, tests }, { lineWidth: 0 }),
    );
    const res = run("promtool", ["test", "rules", file]);
    assert.equal(res.status, 0, res.out);
  });
});

describe("R-AL: promtool check rules accepts every stack's rendered rules", function () {
  this.timeout(120_000);
  for (const s of STACKS) {
    it(`R-AL-21: ${s}: promtool check rules rendered/${s}/prometheus/rules.yaml`, async () => {
      requireTool("promtool");
      const res = promtoolCheckRules((await stack(s)).files["prometheus/rules.yaml"]);
      assert.equal(res.status, 0, res.out);
      const cfg = parseStackConfig(stackRaw(s), s);
      const total = ruleGroups(cfg).reduce((a, g) => a + g.rules.length, 0);
      assert.match(res.out, new RegExp(`SUCCESS: ${total} rules found`));
    });
  }
});
