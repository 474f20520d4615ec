// What the dashboards share (R-MON-3): the data source, colour steps, query builders, the
// board frame and the series of the metric contract each board queries.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type { StackConfig } from "../../config/schema";
import { CONTAINER } from "../names";

/** kube-prometheus-stack provisions its Prometheus data source with this uid. */
export const DATASOURCE = { type: "prometheus", uid: "prometheus" };

export interface DashboardSpec {
  /** File / ConfigMap key stem. */
  key: string;
  /** The title Grafana shows (the stack's `dashboards` output lists them). */
  title: string;
  json: dashboard.Dashboard;
}

export type Step = { value: number | null; color: string };
export const thresholds = (steps: Step[]) =>
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

export function q(expr: string, legend?: string, refId = "A") {
  const b = new prometheus.DataqueryBuilder().expr(expr).refId(refId).datasource(DATASOURCE);
  return legend ? b.legendFormat(legend) : b;
}
export function instant(expr: string, refId: string) {
  return new prometheus.DataqueryBuilder()
    .expr(expr)
    .refId(refId)
    .datasource(DATASOURCE)
    .instant()
    .format(prometheus.PromQueryFormat.Table);
}

export type DashboardArgs = Pick<StackConfig, "environment" | "namespace" | "monitoring" | "alerting">;
export type Grafana = StackConfig["monitoring"]["grafana"];

/** The key each board was started under (`board`), read back by `spec`: one place names a board. */
const keys = new WeakMap<dashboard.DashboardBuilder, string>();

/** A board's builder under its key: the ConfigMap key and file stem, and its uid's end. */
export function board(cfg: DashboardArgs, key: string, title: string, refresh: string, tags: string[]) {
  const b = new dashboard.DashboardBuilder(title)
    // At most 31 characters (ap-staging-technical-operations); Grafana allows 40.
    .uid(`ap-${cfg.environment}-${key}`)
    .tags(["agent-platform", cfg.environment, ...tags])
    .refresh(refresh)
    .time({ from: "now-6h", to: "now" })
    .timezone("utc")
    .readonly();
  keys.set(b, key);
  return b;
}

/**
 * Dashboards query the raw series of the metric contract over their own display
 * windows, so they keep working whatever windows the alert rules are configured with.
 */
export function series(cfg: DashboardArgs) {
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

/** A board as the components ship it and the render writes it, under the key and title `board` gave its builder. */
export function spec(b: dashboard.DashboardBuilder): DashboardSpec {
  const json = b.build();
  return { key: keys.get(b)!, title: String(json.title), json };
}

/** What every board's builder reads: the stack's slice, the namespace matcher, the series, the Grafana settings and the rate window. */
export interface BoardContext {
  cfg: DashboardArgs;
  ns: string;
  s: ReturnType<typeof series>;
  g: Grafana;
  w: string;
}

export function boardContext(cfg: DashboardArgs): BoardContext {
  const g = cfg.monitoring.grafana;
  return { cfg, ns: `namespace="${cfg.namespace}"`, s: series(cfg), g, w: g.rateWindow.text };
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
