// The platform's scraping (R-MON-1, R-MON-2): chart names, the addresses of Prometheus and
// the blackbox exporter, the metrics Service, the ServiceMonitor and the three synthetic
// probe layers. components/monitoring/scraping.ts declares them.
import type { StackConfig } from "../../config/schema";
import { commonLabels, selectorLabels } from "../labels";
import { MONITORING_NAMES, POD_HASH_LABEL, SERVICE_LABEL } from "../names";

export const CHARTS = {
  kubePrometheusStack: { chart: "kube-prometheus-stack", repo: "https://prometheus-community.github.io/helm-charts" },
  blackboxExporter: { chart: "prometheus-blackbox-exporter", repo: "https://prometheus-community.github.io/helm-charts" },
} as const;

export type MonitoringArgs = Pick<StackConfig, "environment" | "namespace" | "monitoring" | "alerting" | "app" | "observability">;

/**
 * kube-prometheus-stack's resource names: `kube-prometheus-stack.fullname` in the chart's
 * templates/_helpers.tpl is the release name when it contains the chart name, otherwise
 * "<release>-kube-prometheus-stack", then `trunc 26 | trimSuffix "-"`; the Prometheus
 * Service is "<fullname>-prometheus" on port 9090 (templates/prometheus/service.yaml).
 * Sprig's trimSuffix is Go's strings.TrimSuffix: one "-" goes, not a run of them.
 */
export function kubePrometheusStackFullname(releaseName: string): string {
  const chart = CHARTS.kubePrometheusStack.chart;
  const full = (releaseName.includes(chart) ? releaseName : `${releaseName}-${chart}`).slice(0, 26);
  return full.endsWith("-") ? full.slice(0, -1) : full;
}

/** The Prometheus the canary analyses query: the override, or the chart's Service. */
export function prometheusUrl(cfg: Pick<StackConfig, "monitoring">): string {
  const m = cfg.monitoring;
  return m.prometheusUrl ?? `http://${kubePrometheusStackFullname(m.releaseName)}-prometheus.${m.namespace}.svc:9090`;
}

/** The blackbox exporter's in-cluster address (release name + chart's fullname rule). */
export function blackboxAddress(cfg: Pick<StackConfig, "monitoring">): string {
  return `${MONITORING_NAMES.blackboxRelease}-prometheus-blackbox-exporter.${cfg.monitoring.namespace}.svc:9115`;
}

/** Labels our monitoring objects carry; an existing stack's selectors match on them. */
export function monitoringLabels(cfg: Pick<StackConfig, "environment" | "monitoring">): Record<string, string> {
  return { ...commonLabels(cfg), ...cfg.monitoring.selectorLabels };
}

/**
 * A headless Service over every platform pod, whatever Service Argo Rollouts routes to.
 * Scraping the stable/canary/preview Services instead would scrape pods twice or miss
 * the canary, so the ServiceMonitor selects only this one.
 */
export function metricsServiceSpec(cfg: Pick<StackConfig, "environment" | "app">) {
  return {
    clusterIP: "None",
    selector: selectorLabels(cfg),
    ports: [{ name: "http-metrics", port: cfg.app.port, targetPort: "http", protocol: "TCP" }],
  };
}

export function metricsServiceLabels(cfg: Pick<StackConfig, "environment">): Record<string, string> {
  return { ...commonLabels(cfg), "app.kubernetes.io/component": "metrics" };
}

/** R-MON-2: the ServiceMonitor of the platform. */
export function serviceMonitorSpec(cfg: Pick<StackConfig, "environment" | "namespace" | "monitoring">) {
  return {
    selector: { matchLabels: { "app.kubernetes.io/component": "metrics", ...selectorLabels(cfg) } },
    namespaceSelector: { matchNames: [cfg.namespace] },
    // The canary analyses select series by the new ReplicaSet's hash (R-PD-3).
    podTargetLabels: [POD_HASH_LABEL],
    endpoints: [
      {
        port: "http-metrics",
        path: "/metrics",
        interval: cfg.monitoring.scrapeInterval.text,
        scrapeTimeout: cfg.monitoring.scrapeInterval.text,
        // The metric contract's own `service` label wins over the target's.
        honorLabels: true,
        relabelings: [{ targetLabel: "service", replacement: SERVICE_LABEL, action: "replace" }],
      },
    ],
  };
}

/** R-MON-2: one Probe per layer, each with its own module (timeout) and interval. */
export function probeSpecs(cfg: Pick<StackConfig, "namespace" | "monitoring">): Array<{ layer: string; name: string; spec: Record<string, unknown> }> {
  const base = `http://${SERVICE_LABEL}.${cfg.namespace}.svc`;
  return Object.entries(cfg.monitoring.probes).map(([layer, p]) => ({
    layer,
    name: MONITORING_NAMES.probe(layer),
    spec: {
      jobName: MONITORING_NAMES.probe(layer),
      interval: p.interval.text,
      scrapeTimeout: p.timeout.text,
      module: `http_${layer}`,
      prober: { url: blackboxAddress(cfg), path: "/probe" },
      targets: {
        staticConfig: {
          static: [`${base}${p.path}`],
          labels: { namespace: cfg.namespace, layer, service: SERVICE_LABEL },
        },
      },
    },
  }));
}
