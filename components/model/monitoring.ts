// Pure model of the monitoring stack (R-MON-1, R-MON-2): kube-prometheus-stack and
// blackbox-exporter chart values, the metrics Service and ServiceMonitor of the
// platform, and the three synthetic probe layers. components/monitoring.ts declares them.
import type { StackConfig } from "../config/schema";
import { commonLabels, selectorLabels } from "./labels";
import { MONITORING_NAMES, NAMES, POD_HASH_LABEL, SERVICE_LABEL } from "./names";

export const CHARTS = {
  kubePrometheusStack: { chart: "kube-prometheus-stack", repo: "https://prometheus-community.github.io/helm-charts" },
  blackboxExporter: { chart: "prometheus-blackbox-exporter", repo: "https://prometheus-community.github.io/helm-charts" },
} as const;

export type MonitoringArgs = Pick<StackConfig, "environment" | "namespace" | "monitoring" | "alerting" | "app">;

/**
 * kube-prometheus-stack's resource names: `kube-prometheus-stack.fullname` in the chart's
 * templates/_helpers.tpl is the release name when it contains the chart name, otherwise
 * "<release>-kube-prometheus-stack", truncated to 26 characters; the Prometheus Service
 * is "<fullname>-prometheus" on port 9090 (templates/prometheus/service.yaml).
 */
export function kubePrometheusStackFullname(releaseName: string): string {
  const chart = CHARTS.kubePrometheusStack.chart;
  const full = releaseName.includes(chart) ? releaseName : `${releaseName}-${chart}`;
  return full.slice(0, 26).replace(/-+$/, "");
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

/** Blackbox exporter modules: one per layer so each has the timeout R-MON-2 gives it. */
export function blackboxValues(cfg: Pick<StackConfig, "monitoring">) {
  const modules: Record<string, unknown> = {};
  for (const [layer, p] of Object.entries(cfg.monitoring.probes)) {
    modules[`http_${layer}`] = {
      prober: "http",
      timeout: p.timeout.text,
      http: {
        method: "GET",
        valid_status_codes: [200],
        preferred_ip_protocol: "ip4",
        fail_if_body_not_matches_regexp: [],
      },
    };
  }
  return {
    config: { modules },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
  };
}

type Sizing = StackConfig["monitoring"]["alertmanager"];
const resources = (s: Sizing) => ({
  requests: { cpu: s.resources.requests.cpu.text, memory: s.resources.requests.memory.text },
  limits: { cpu: s.resources.limits.cpu.text, memory: s.resources.limits.memory.text },
});

const volumeClaim = (size: string) => ({
  volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
});

/** R-MON-1: kube-prometheus-stack values for this environment. */
export function kubePrometheusStackValues(cfg: MonitoringArgs) {
  const m = cfg.monitoring;
  return {
    // CRDs: installed with the chart, and upgraded by the chart's pre-upgrade job
    // (Helm itself never upgrades CRDs). See docs/monitoring.md for major upgrades.
    crds: {
      enabled: true,
      upgradeJob: {
        enabled: true,
        forceConflicts: true,
        image: { busybox: { tag: "1.37.0" } },
      },
    },
    prometheus: {
      prometheusSpec: {
        replicas: m.prometheus.replicas,
        retention: m.prometheus.retention,
        retentionSize: m.prometheus.retentionSize.text,
        resources: resources(m.prometheus),
        storageSpec: volumeClaim(m.prometheus.storage.text),
        scrapeInterval: m.scrapeInterval.text,
        evaluationInterval: cfg.alerting.evaluationInterval.text,
        externalLabels: { environment: cfg.environment },
        // The `release` selector trap: by default the chart's Prometheus only selects
        // objects labelled with its own release. Select every object instead; ours also
        // carry the release label (monitoring.selectorLabels) for stacks we do not install.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        ruleSelector: {},
        serviceMonitorSelector: {},
        probeSelector: {},
        ruleNamespaceSelector: {},
        serviceMonitorNamespaceSelector: {},
        probeNamespaceSelector: {},
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: m.alertmanager.replicas,
        resources: resources(m.alertmanager),
        storage: volumeClaim(m.alertmanager.storage.text),
        // Our config Secret (built by components/model/alertmanager.ts) replaces the chart's.
        useExistingSecret: true,
        configSecret: MONITORING_NAMES.alertmanagerSecret,
      },
    },
    grafana: {
      admin: { existingSecret: MONITORING_NAMES.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      "grafana.ini": {
        "auth.anonymous": { enabled: false },
        users: { allow_sign_up: false },
      },
      persistence: { enabled: true, size: m.grafana.storage.text },
      sidecar: {
        dashboards: {
          enabled: true,
          label: "grafana_dashboard",
          labelValue: "1",
          searchNamespace: "ALL",
          folderAnnotation: "grafana_folder",
          provider: { foldersFromFilesStructure: true },
        },
      },
    },
  };
}

