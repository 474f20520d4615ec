// Grafana dashboards as code (R-MON-3), built with @grafana/grafana-foundation-sdk. Each
// dashboard is a plain JSON object; components/monitoring.ts ships them as ConfigMaps the
// Grafana sidecar loads, the render writes them to rendered/<stack>/grafana/*.json.
// Queries use one fixed window, monitoring.grafana.rateWindow (no Grafana variables), so
// every one of them can be checked as PromQL by promtool.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type { StackConfig } from "../config/schema";
import { CONTAINER } from "./names";

/** kube-prometheus-stack provisions its Prometheus data source with this uid. */
export const DATASOURCE = { type: "prometheus", uid: "prometheus" };

export interface DashboardSpec {
  /** File / ConfigMap key stem. */
  key: string;
  title: string;
  refresh: string;
  json: dashboard.Dashboard;
}

type Step = { value: number | null; color: string };
const thresholds = (steps: Step[]) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);

/** R-MON-3 health score: red, then yellow and green from the configured scores. */
export function healthSteps(g: Grafana): Step[] {
  return [
    { value: null, color: "red" },
    { value: g.healthScore.yellowFrom, color: "yellow" },
    { value: g.healthScore.greenFrom, color: "green" },
  ];
}
/** R-MON-3 resource gauges: green, then yellow, orange and red from the configured percentages. */
export function resourceSteps(g: Grafana): Step[] {
  return [
    { value: null, color: "green" },
    { value: g.resourceGauges.yellowFrom, color: "yellow" },
    { value: g.resourceGauges.orangeFrom, color: "orange" },
    { value: g.resourceGauges.redFrom, color: "red" },
  ];
}

function q(expr: string, legend?: string, refId = "A") {
  const b = new prometheus.DataqueryBuilder().expr(expr).refId(refId).datasource(DATASOURCE);
  return legend ? b.legendFormat(legend) : b;
}
function instant(expr: string, refId: string) {
  return new prometheus.DataqueryBuilder()
    .expr(expr)
    .refId(refId)
    .datasource(DATASOURCE)
    .instant()
    .format(prometheus.PromQueryFormat.Table);
}

type DashboardArgs = Pick<StackConfig, "environment" | "namespace" | "monitoring" | "alerting">;
type Grafana = StackConfig["monitoring"]["grafana"];

function board(cfg: DashboardArgs, key: string, title: string, refresh: string, tags: string[]) {
  return new dashboard.DashboardBuilder(title)
    .uid(`ap-${cfg.environment}-${key}`.slice(0, 40))
    .tags(["agent-platform", cfg.environment, ...tags])
    .refresh(refresh)
    .time({ from: "now-6h", to: "now" })
    .timezone("utc")
    .readonly();
}

/**
 * Dashboards query the raw series of the metric contract over their own display
 * windows, so they keep working whatever windows the alert rules are configured with.
 */
function series(cfg: DashboardArgs) {
  const ns = `namespace="${cfg.namespace}"`;
  const limit = (resource: string) =>
    `max by (pod) (kube_pod_container_resource_limits{${ns},container="${CONTAINER}",resource="${resource}"})`;
  return {
    errorRatio: (w: string) => `sum(rate(http_requests_total{${ns},code=~"5.."}[${w}])) / sum(rate(http_requests_total{${ns}}[${w}]))`,
    quantile: (q: string, w: string) => `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${ns}}[${w}])))`,
    requests: (w: string) => `sum(rate(http_requests_total{${ns}}[${w}]))`,
    cpu: (w: string) => `max(sum by (pod) (rate(container_cpu_usage_seconds_total{${ns},container="${CONTAINER}"}[${w}])) / ${limit("cpu")})`,
    memory: `max(max by (pod) (container_memory_working_set_bytes{${ns},container="${CONTAINER}"}) / ${limit("memory")})`,
    disk:
      `max(max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{namespace=~"${cfg.namespace}|${cfg.monitoring.namespace}"})` +
      ` / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{namespace=~"${cfg.namespace}|${cfg.monitoring.namespace}"}))`,
  };
}

export function dashboards(cfg: DashboardArgs): DashboardSpec[] {
  const ns = `namespace="${cfg.namespace}"`;
  const s = series(cfg);
  const g = cfg.monitoring.grafana;
  const w = g.rateWindow.text;
  // The error-rate trend turns yellow and red where the HighErrorRate alerts fire.
  const errorRateSteps: Step[] = [{ value: null, color: "green" }];
  for (const [severity, color] of [["warning", "yellow"], ["critical", "red"]] as const) {
    const threshold = cfg.alerting.rules.errorRate[severity]?.threshold;
    if (threshold !== undefined) errorRateSteps.push({ value: threshold, color });
  }
  const out: DashboardSpec[] = [];
  const push = (key: string, title: string, refresh: string, b: dashboard.DashboardBuilder) =>
    out.push({ key, title, refresh, json: b.build() });

  // ------------------------------------------------------------------ executive ----
  const healthScore =
    `100 * (1 - (${s.errorRatio("1h")}))` +
    ` * min(avg_over_time(probe_success{${ns}}[1h]))`;
  push(
    "executive",
    `Agent platform (${cfg.environment}) · Executive`,
    g.refresh.executive.text,
    board(cfg, "executive", `Agent platform (${cfg.environment}) · Executive`, g.refresh.executive.text, ["executive"])
      .withPanel(
        new stat.PanelBuilder()
          .title("System health score")
          .description("100 × (1 − error ratio over 1h) × probe success over 1h. Red below 70, green from 90.")
          .withTarget(q(healthScore))
          .unit("none")
          .min(0)
          .max(100)
          .thresholds(thresholds(healthSteps(g)))
          .span(6)
          .height(6),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title("Active swarms")
          .description("Agents currently active across the platform (agents_active), the swarm members of the metric contract.")
          .withTarget(q(`sum(agents_active{${ns}})`))
          .span(6)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Task throughput (1h)")
          .description("Tasks completed vs failed over the last hour.")
          .withTarget(q(`sum(increase(tasks_total{${ns},status="completed"}[1h]))`, "completed", "A"))
          .withTarget(q(`sum(increase(tasks_total{${ns},status="failed"}[1h]))`, "failed", "B"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Error-rate trend (24h)")
          .withTarget(q(s.errorRatio(w), "5xx ratio"))
          .timeFrom("24h")
          .unit("percentunit")
          .thresholds(thresholds(errorRateSteps))
          .span(24)
          .height(8),
      ),
  );

  // -------------------------------------------------------- technical operations ----
  const golden: Array<[string, string]> = [
    ["p95 latency (s)", s.quantile("0.95", w)],
    ["p99 latency (s)", s.quantile("0.99", w)],
    ["requests/s", s.requests(w)],
    ["error rate", s.errorRatio(w)],
    ["errors (1h)", `sum(increase(http_requests_total{${ns},code=~"5.."}[1h]))`],
    ["CPU of limit", s.cpu(w)],
    ["memory of limit", s.memory],
  ];
  let ops = new table.PanelBuilder()
    .title("Golden signals")
    .description("p95 and p99 latency, request rate, error rate and count, CPU and memory saturation.")
    .span(24)
    .height(8);
  golden.forEach(([legend, expr], i) => {
    ops = ops.withTarget(instant(expr, String.fromCharCode(65 + i)).legendFormat(legend));
  });
  const resourceGauge = (title: string, expr: string) =>
    new gauge.PanelBuilder()
      .title(title)
      .withTarget(q(expr))
      .unit("percent")
      .min(0)
      .max(100)
      .thresholds(thresholds(resourceSteps(g)))
      .span(8)
      .height(6);
  push(
    "technical-operations",
    `Agent platform (${cfg.environment}) · Technical operations`,
    g.refresh.technicalOperations.text,
    board(cfg, "technical-operations", `Agent platform (${cfg.environment}) · Technical operations`, g.refresh.technicalOperations.text, ["operations"])
      .withPanel(ops)
      .withPanel(
        new heatmap.PanelBuilder()
          .title("Agent status heatmap")
          .description("Active agents per pod over time (optimal 10-15, warning above 20).")
          .withTarget(q(`sum by (pod) (agents_active{${ns}})`, "{{pod}}"))
          .span(24)
          .height(8),
      )
      .withPanel(resourceGauge("CPU", `100 * ${s.cpu(w)}`))
      .withPanel(resourceGauge("Memory", `100 * ${s.memory}`))
      .withPanel(
        resourceGauge("Disk", `100 * ${s.disk}`),
      ),
  );

  // ----------------------------------------------------------- incident response ----
  const alertsAnnotation = new dashboard.AnnotationQueryBuilder()
    .name("Firing alerts")
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor("red")
    .expr(`ALERTS{${ns},alertstate="firing"}`)
    .titleFormat("{{alertname}}")
    .textFormat("{{severity}} {{priority}} {{service}}")
    .step(cfg.alerting.evaluationInterval.text);
  push(
    "incident-response",
    `Agent platform (${cfg.environment}) · Incident response`,
    g.refresh.incidentResponse.text,
    board(cfg, "incident-response", `Agent platform (${cfg.environment}) · Incident response`, g.refresh.incidentResponse.text, ["incident"])
      .annotation(alertsAnnotation)
      .withPanel(
        new table.PanelBuilder()
          .title("Active alerts")
          .description("Firing alerts: severity, component (service), message (alert name) and how long they have been active (s).")
          .withTarget(instant(`max by (alertname, severity, priority, service) (ALERTS{${ns},alertstate="firing"})`, "A"))
          .withTarget(
            instant(`max by (alertname, severity, priority, service) (time() - ALERTS_FOR_STATE{${ns}})`, "B").legendFormat(
              "duration",
            ),
          )
          .span(24)
          .height(8),
      )
      .withPanel(
        new statetimeline.PanelBuilder()
          .title("Events timeline (4h)")
          .withTarget(q(`max by (alertname, severity) (ALERTS{${ns},alertstate="firing"})`, "{{alertname}} ({{severity}})"))
          .timeFrom("4h")
          .span(24)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Performance impact")
          .description("Latency and error rate with firing alerts as annotations.")
          .withTarget(q(s.quantile("0.95", w), "p95 (s)", "A"))
          .withTarget(q(s.quantile("0.99", w), "p99 (s)", "B"))
          .withTarget(q(s.errorRatio(w), "error ratio", "C"))
          .span(24)
          .height(8),
      ),
  );

  // ----------------------------------------------------------------- MCP server ----
  push(
    "mcp-server",
    `Agent platform (${cfg.environment}) · MCP server status`,
    g.refresh.mcpServer.text,
    board(cfg, "mcp-server", `Agent platform (${cfg.environment}) · MCP server status`, g.refresh.mcpServer.text, ["mcp"])
      .withPanel(
        new stat.PanelBuilder()
          .title(`MCP success ratio (${w})`)
          .withTarget(
            q(`sum(rate(mcp_requests_total{${ns},result="success"}[${w}])) / sum(rate(mcp_requests_total{${ns}}[${w}]))`),
          )
          .unit("percentunit")
          .thresholds(
            thresholds([
              { value: null, color: "red" },
              { value: g.mcpSuccess.yellowFrom, color: "yellow" },
              { value: g.mcpSuccess.greenFrom, color: "green" },
            ]),
          )
          .span(8)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("MCP requests by result")
          .withTarget(q(`sum by (result) (rate(mcp_requests_total{${ns}}[${w}]))`, "{{result}}"))
          .span(16)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Memory store operations")
          .withTarget(q(`sum by (op, result) (rate(memory_store_operations_total{${ns}}[${w}]))`, "{{op}} {{result}}"))
          .span(24)
          .height(8),
      ),
  );

  // ---------------------------------------------------------- security monitoring ----
  push(
    "security",
    `Agent platform (${cfg.environment}) · Security monitoring`,
    g.refresh.security.text,
    board(cfg, "security", `Agent platform (${cfg.environment}) · Security monitoring`, g.refresh.security.text, ["security"])
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Authentication failures (401/403)")
          .withTarget(q(`sum by (route, code) (rate(http_requests_total{${ns},code=~"401|403"}[${w}]))`, "{{route}} {{code}}"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Rate-limited requests (429)")
          .withTarget(q(`sum by (route) (rate(http_requests_total{${ns},code="429"}[${w}]))`, "{{route}}"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title(`Client error ratio (4xx, ${w})`)
          .withTarget(q(`sum(rate(http_requests_total{${ns},code=~"4.."}[${w}])) / sum(rate(http_requests_total{${ns}}[${w}]))`))
          .unit("percentunit")
          .span(12)
          .height(6),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title("Container restarts (1h)")
          .withTarget(q(`sum(increase(kube_pod_container_status_restarts_total{${ns}}[1h]))`))
          .span(12)
          .height(6),
      ),
  );
  return out;
}

/** Every PromQL expression of a dashboard (panel targets and annotations). */
export function dashboardQueries(d: dashboard.Dashboard): Array<{ panel: string; expr: string }> {
  const out: Array<{ panel: string; expr: string }> = [];
  for (const p of (d.panels ?? []) as Array<{ title?: string; targets?: Array<{ expr?: string }> }>) {
    for (const t of p.targets ?? []) if (t.expr) out.push({ panel: p.title ?? "", expr: t.expr });
  }
  for (const a of (d.annotations?.list ?? []) as Array<{ name: string; expr?: string }>) {
    if (a.expr) out.push({ panel: `annotation: ${a.name}`, expr: a.expr });
  }
  return out;
}
