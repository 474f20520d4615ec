// The chart values of the monitoring stack (R-MON-1): kube-prometheus-stack with its
// per-environment sizing, restricted pods and namespace-scoped selection, and the blackbox
// exporter with one module per probe layer. components/monitoring/monitoring-stack.ts
// installs them.
import type { StackConfig } from "../../config/schema";
import { chartContainer, hardenedPod } from "../hardening";
import { containerResources } from "../format";
import { MONITORED_NAMESPACE_LABEL, MONITORING_NAMES } from "../names";
import { MonitoringArgs } from "./scraping";
import { telemetryGrafanaValues } from "../observability/grafana";

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
    podSecurityContext: hardenedPod(1000),
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, ...chartContainer() },
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
  const telemetry = cfg.observability.install ? telemetryGrafanaValues(cfg) : undefined;
  const m = cfg.monitoring;
  const storageClass = cfg.cluster.storageClass.name;
  return {
    // CRDs are installed with the chart. Its CRD upgrade Job stays off (the chart's
    // default, "in preview" per values.yaml at 79.5.0): it would pull kubectl by a tag
    // derived from the cluster version and leave a ClusterRole that may rewrite every
    // CRD. Upgrade the CRDs by hand before a chart upgrade (docs/monitoring.md).
    crds: { enabled: true, upgradeJob: { enabled: false } },
    prometheusOperator: {
      securityContext: hardenedPod(65534),
      containerSecurityContext: chartContainer(),
      admissionWebhooks: {
        patch: { securityContext: hardenedPod(2000) },
        createSecretJob: { securityContext: chartContainer() },
        patchWebhookJob: { securityContext: chartContainer() },
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
        securityContext: hardenedPod(1000, 2000),
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
        // R-OBS-3: keep the exemplars (trace IDs) the platform's histograms carry.
        ...(telemetry ? { enableFeatures: ["exemplar-storage"] } : {}),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: m.alertmanager.replicas,
        resources: resources(m.alertmanager),
        storage: volumeClaim(m.alertmanager.storage.text, storageClass),
        securityContext: hardenedPod(1000, 2000),
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
      securityContext: hardenedPod(472),
      containerSecurityContext: chartContainer(false),
      // A Role in its own namespace, not a ClusterRole: the sidecars read ConfigMaps
      // there only, and no Secret anywhere.
      rbac: { namespaced: true },
      sidecar: {
        securityContext: chartContainer(),
        dashboards: {
          enabled: true,
          label: "grafana_dashboard",
          labelValue: "1",
          resource: "configmap",
          searchNamespace: m.namespace,
          folderAnnotation: "grafana_folder",
          provider: { foldersFromFilesStructure: true },
        },
        datasources: {
          resource: "configmap",
          alertmanager: { enabled: false },
          // R-OBS-3: a latency panel's exemplar opens its trace in Tempo.
          ...(telemetry ? { exemplarTraceIdDestinations: telemetry.exemplarTraceIdDestinations } : {}),
        },
      },
      // R-OBS-1, R-OBS-3: Loki and Tempo beside Prometheus, linked to each other.
      ...(telemetry ? { additionalDataSources: telemetry.additionalDataSources } : {}),
    },
    "kube-state-metrics": {
      securityContext: { enabled: true, ...hardenedPod(65534) },
      containerSecurityContext: chartContainer(),
      collectors: KSM_COLLECTORS,
    },
    // node-exporter needs the host: it runs in its own, privileged namespace.
    "prometheus-node-exporter": { namespaceOverride: m.nodeExporterNamespace },
  };
}
