// Pure model of the monitoring stack (R-MON-1, R-MON-2): kube-prometheus-stack and
// blackbox-exporter chart values, the metrics Service and ServiceMonitor of the
// platform, and the three synthetic probe layers. components/monitoring.ts declares them.
import type { StackConfig } from "../config/schema";
import { containerResources } from "./format";
import { commonLabels, selectorLabels } from "./labels";
import { MONITORED_NAMESPACE_LABEL, MONITORING_NAMES, NAMES, POD_HASH_LABEL, SERVICE_LABEL } from "./names";

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
    podSecurityContext: restrictedPod(1000),
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, ...restrictedContainer() },
    resources: containerResources(cfg.monitoring.blackboxResources),
  };
}

type Sizing = Pick<StackConfig["monitoring"]["alertmanager"], "resources">;
const resources = (s: Sizing) => containerResources(s.resources);

/** A claim of the stack's StorageClass (cluster.storageClass.name), or of the cluster's default when it names none. */
const volumeClaim = (size: string, storageClass: string | undefined) => ({
  volumeClaimTemplate: {
    spec: { accessModes: ["ReadWriteOnce"], ...(storageClass ? { storageClassName: storageClass } : {}), resources: { requests: { storage: size } } },
  },
});

/** A pod security context that PSA `restricted` admits (R-WL-9). */
export const restrictedPod = (uid: number, gid = uid) => ({
  runAsNonRoot: true,
  runAsUser: uid,
  runAsGroup: gid,
  fsGroup: gid,
  seccompProfile: { type: "RuntimeDefault" },
});

/** A container security context that PSA `restricted` admits; read-only root unless the image writes to it. */
export const restrictedContainer = (readOnlyRoot = true) => ({
  allowPrivilegeEscalation: false,
  ...(readOnlyRoot ? { readOnlyRootFilesystem: true } : {}),
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
});

/**
 * What kube-state-metrics collects: its chart's default list without `secrets`, so its
 * ClusterRole lists no Secrets (kube_secret_* series are not used here).
 */
export const KSM_COLLECTORS = [
  "certificatesigningrequests", "configmaps", "cronjobs", "daemonsets", "deployments", "endpoints", "horizontalpodautoscalers",
  "ingresses", "jobs", "leases", "limitranges", "mutatingwebhookconfigurations", "namespaces", "networkpolicies", "nodes",
  "persistentvolumeclaims", "persistentvolumes", "poddisruptionbudgets", "pods", "replicasets", "replicationcontrollers",
  "resourcequotas", "services", "statefulsets", "storageclasses", "validatingwebhookconfigurations", "volumeattachments",
];

const labelled = { matchLabels: { ...MONITORED_NAMESPACE_LABEL } };

/** R-MON-1, R-WL-9: kube-prometheus-stack values for this environment. */
export function kubePrometheusStackValues(cfg: MonitoringArgs & Pick<StackConfig, "cluster">) {
  const m = cfg.monitoring;
  const storageClass = cfg.cluster.storageClass.name;
  return {
    // CRDs are installed with the chart. Its CRD upgrade Job stays off (the chart's
    // default, "in preview" per values.yaml at 79.5.0): it would pull kubectl by a tag
    // derived from the cluster version and leave a ClusterRole that may rewrite every
    // CRD. Upgrade the CRDs by hand before a chart upgrade (docs/monitoring.md).
    crds: { enabled: true, upgradeJob: { enabled: false } },
    prometheusOperator: {
      securityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(),
      admissionWebhooks: {
        patch: { securityContext: restrictedPod(2000) },
        createSecretJob: { securityContext: restrictedContainer() },
        patchWebhookJob: { securityContext: restrictedContainer() },
      },
    },
    prometheus: {
      prometheusSpec: {
        replicas: m.prometheus.replicas,
        retention: m.prometheus.retention,
        retentionSize: m.prometheus.retentionSize.text,
        resources: resources(m.prometheus),
        storageSpec: volumeClaim(m.prometheus.storage.text, storageClass),
        scrapeInterval: m.scrapeInterval.text,
        evaluationInterval: cfg.alerting.evaluationInterval.text,
        externalLabels: { environment: cfg.environment },
        securityContext: restrictedPod(1000, 2000),
        // Monitors, probes and rules only from namespaces labelled for it (R-WL-9): a
        // ServiceMonitor elsewhere cannot point Prometheus (and its token) at a target,
        // nor a PrometheusRule elsewhere page anyone. Within those, every object (the
        // chart's `release` label trap off); ours carry the release label too.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        ruleSelector: {},
        serviceMonitorSelector: {},
        podMonitorSelector: {},
        probeSelector: {},
        scrapeConfigSelector: {},
        ruleNamespaceSelector: labelled,
        serviceMonitorNamespaceSelector: labelled,
        podMonitorNamespaceSelector: labelled,
        probeNamespaceSelector: labelled,
        scrapeConfigNamespaceSelector: labelled,
        // No ServiceMonitor may make Prometheus read files (its token, other secrets).
        arbitraryFSAccessThroughSMs: { deny: true },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: m.alertmanager.replicas,
        resources: resources(m.alertmanager),
        storage: volumeClaim(m.alertmanager.storage.text, storageClass),
        securityContext: restrictedPod(1000, 2000),
        // Our config Secret (built by components/model/alertmanager.ts) replaces the chart's.
        useExistingSecret: true,
        configSecret: MONITORING_NAMES.alertmanagerSecret,
        alertmanagerConfigNamespaceSelector: labelled,
      },
    },
    grafana: {
      admin: { existingSecret: MONITORING_NAMES.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      // Grafana's security hardening (grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-security-hardening):
      // secure, same-site cookies, a content security policy, no anonymous access, no
      // sign-up, no external snapshots, no calls home.
      "grafana.ini": {
        "auth.anonymous": { enabled: false },
        users: { allow_sign_up: false, allow_org_create: false },
        security: {
          cookie_secure: true,
          cookie_samesite: "strict",
          content_security_policy: true,
          x_content_type_options: true,
          disable_gravatar: true,
          allow_embedding: false,
          strict_transport_security: true,
        },
        snapshots: { external_enabled: false },
        analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
      },
      persistence: { enabled: true, size: m.grafana.storage.text, ...(storageClass ? { storageClassName: storageClass } : {}) },
      // One ReadWriteOnce volume: a rolling update would start the new pod while the old
      // one holds the volume and never finish. Recreate stops the old pod first.
      deploymentStrategy: { type: "Recreate" },
      // The chart's chown init container runs as root; fsGroup sets the volume's group instead.
      initChownData: { enabled: false },
      testFramework: { enabled: false },
      securityContext: restrictedPod(472),
      containerSecurityContext: restrictedContainer(false),
      // A Role in its own namespace, not a ClusterRole: the sidecars read ConfigMaps
      // there only, and no Secret anywhere.
      rbac: { namespaced: true },
      sidecar: {
        securityContext: restrictedContainer(),
        dashboards: {
          enabled: true,
          label: "grafana_dashboard",
          labelValue: "1",
          resource: "configmap",
          searchNamespace: m.namespace,
          folderAnnotation: "grafana_folder",
          provider: { foldersFromFilesStructure: true },
        },
        datasources: { resource: "configmap", alertmanager: { enabled: false } },
      },
    },
    "kube-state-metrics": {
      securityContext: { enabled: true, ...restrictedPod(65534) },
      containerSecurityContext: restrictedContainer(),
      collectors: KSM_COLLECTORS,
    },
    // node-exporter needs the host: it runs in its own, privileged namespace.
    "prometheus-node-exporter": { namespaceOverride: m.nodeExporterNamespace },
  };
}

export interface AddonPod {
  namespace: string;
  component: string;
  /** The pod security context as the values set it. */
  pod: Record<string, unknown>;
  /** Container security contexts as the values set them; "operator" where prometheus-operator sets them. */
  containers: Array<{ name: string; securityContext: Record<string, unknown> | "operator" }>;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostPathVolumes?: boolean;
}

/**
 * Every pod the monitoring charts run, with the security settings our values give it:
 * what PSA admits or refuses in each namespace. (node-exporter's host access comes with
 * its chart; it is listed so the privileged namespace has a reason on record.)
 */
export function monitoringPods(cfg: MonitoringArgs & Pick<StackConfig, "cluster">): AddonPod[] {
  const v = kubePrometheusStackValues(cfg);
  const ns = cfg.monitoring.namespace;
  const bb = blackboxValues(cfg);
  return [
    { namespace: ns, component: "prometheus-operator", pod: v.prometheusOperator.securityContext, containers: [{ name: "prometheus-operator", securityContext: v.prometheusOperator.containerSecurityContext }] },
    {
      namespace: ns,
      component: "admission-webhook-jobs",
      pod: v.prometheusOperator.admissionWebhooks.patch.securityContext,
      containers: [
        { name: "create", securityContext: v.prometheusOperator.admissionWebhooks.createSecretJob.securityContext },
        { name: "patch", securityContext: v.prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext },
      ],
    },
    { namespace: ns, component: "prometheus", pod: v.prometheus.prometheusSpec.securityContext, containers: [{ name: "prometheus", securityContext: "operator" }, { name: "config-reloader", securityContext: "operator" }] },
    { namespace: ns, component: "alertmanager", pod: v.alertmanager.alertmanagerSpec.securityContext, containers: [{ name: "alertmanager", securityContext: "operator" }, { name: "config-reloader", securityContext: "operator" }] },
    {
      namespace: ns,
      component: "grafana",
      pod: v.grafana.securityContext,
      containers: [
        { name: "grafana", securityContext: v.grafana.containerSecurityContext },
        { name: "grafana-sc-dashboard", securityContext: v.grafana.sidecar.securityContext },
        { name: "grafana-sc-datasources", securityContext: v.grafana.sidecar.securityContext },
      ],
    },
    { namespace: ns, component: "kube-state-metrics", pod: v["kube-state-metrics"].securityContext, containers: [{ name: "kube-state-metrics", securityContext: v["kube-state-metrics"].containerSecurityContext }] },
    ...(cfg.monitoring.installBlackboxExporter
      ? [{ namespace: ns, component: "blackbox-exporter", pod: bb.podSecurityContext, containers: [{ name: "blackbox-exporter", securityContext: bb.securityContext }] }]
      : []),
    {
      namespace: cfg.monitoring.nodeExporterNamespace,
      component: "node-exporter",
      pod: {},
      containers: [{ name: "node-exporter", securityContext: {} }],
      hostNetwork: true,
      hostPID: true,
      hostPathVolumes: true,
    },
  ];
}

