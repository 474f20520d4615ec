// Names other objects refer to: literal `metadata.name`s (and label values), kept in one
// place so a rename is one edit and every reference follows.
export const APP_NAME = "agent-platform";

/** The platform's own objects in its namespace. */
export const NAMES = {
  workload: APP_NAME,
  service: APP_NAME, // also the stable (canary) and active (blue/green) Service
  serviceAccount: APP_NAME,
  configMap: `${APP_NAME}-config`,
  secret: `${APP_NAME}-secrets`,
  pdb: APP_NAME,
  hpa: APP_NAME,
  flags: `${APP_NAME}-flags`,
  quota: "platform-quota",
  limitRange: "platform-limits",
  metricsService: `${APP_NAME}-metrics`,
} as const;

/** Progressive delivery objects (Argo Rollouts). */
export const DELIVERY_NAMES = {
  rollout: NAMES.workload,
  stableService: NAMES.service,
  previewService: `${NAMES.service}-preview`,
  canaryService: `${NAMES.service}-canary`,
  httpRoute: NAMES.service,
  stageTemplate: (i: number) => `canary-stage-${i + 1}`,
  triggersTemplate: "rollback-triggers",
  smokeTemplate: "preview-smoke-test",
  migrationTemplate: "database-migration",
  postPromotionTemplate: "post-promotion-check",
  controllerRelease: "argo-rollouts",
  controllerPolicy: "allow-rollouts-controller",
} as const;

/** Monitoring objects. */
export const MONITORING_NAMES = {
  serviceMonitor: `${APP_NAME}-metrics`,
  rules: `${APP_NAME}-rules`,
  alertmanagerSecret: "alertmanager-agent-platform",
  grafanaAdminSecret: "grafana-admin",
  blackboxRelease: "blackbox-exporter",
  probe: (layer: string) => `${APP_NAME}-probe-${layer}`,
  dashboard: (environment: string, key: string) => `${APP_NAME}-${environment}-dashboard-${key}`,
} as const;

/** The `service` label of series that carry none of their own (kube, probe, process). */
export const SERVICE_LABEL = NAMES.service;
/** The container of the platform pods, as cAdvisor and kube-state-metrics label it. */
export const CONTAINER = "api";
/** The `job` of the platform's own series: the ServiceMonitor scrapes NAMES.metricsService. */
export const METRICS_JOB = NAMES.metricsService;
/** The pod label Argo Rollouts puts on each ReplicaSet's pods; copied onto every series. */
export const POD_HASH_LABEL = "rollouts-pod-template-hash";

/**
 * Pod labels the add-on charts put on their pods, which NetworkPolicies select on:
 * the prometheus-operator labels the Prometheus and Alertmanager pods it runs
 * `app.kubernetes.io/name: prometheus|alertmanager`; kube-prometheus-stack's
 * templates/prometheus-operator labels the operator `app.kubernetes.io/component:
 * prometheus-operator`; the grafana, kube-state-metrics, prometheus-blackbox-exporter and
 * argo-rollouts charts use their chart name as `app.kubernetes.io/name`.
 */
export const ADDON_PODS = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  blackbox: { "app.kubernetes.io/name": "prometheus-blackbox-exporter" },
  kubeStateMetrics: { "app.kubernetes.io/name": "kube-state-metrics" },
  operator: { "app.kubernetes.io/component": "prometheus-operator" },
  nodeExporter: { "app.kubernetes.io/name": "prometheus-node-exporter" },
  rolloutsController: { "app.kubernetes.io/name": "argo-rollouts" },
  metricsServer: { "app.kubernetes.io/name": "metrics-server" },
} as const;

/** Ports the add-ons listen on (chart defaults). */
export const ADDON_PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  alertmanagerCluster: 9094,
  grafana: 3000,
  blackbox: 9115,
  kubeStateMetrics: [8080, 8081],
  operator: 10250,
  kubelet: 10250,
  nodeExporter: 9100,
  rolloutsMetrics: 8090,
  metricsServer: 10250,
  apiServer: [443, 6443],
} as const;

/** Cluster prerequisites the stack can install (R-ENV-14). */
export const CLUSTER_NAMES = {
  metricsServerRelease: "metrics-server",
  gatewayApiCrds: (version: string) => `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`,
} as const;

/** The namespace label Prometheus selects monitors, probes and rules by. */
export const MONITORED_NAMESPACE_LABEL = { "agent-platform/monitoring": "enabled" } as const;

/** `app.kubernetes.io/name` of the pods besides the platform's that reach the database. */
export const JOB_NAMES = {
  migration: `${APP_NAME}-migration`,
  bootstrap: `${APP_NAME}-db-bootstrap`,
  export: `${APP_NAME}-export`,
  restore: `${APP_NAME}-restore`,
  drill: `${APP_NAME}-restore-drill`,
  postgres: `${APP_NAME}-postgres`,
} as const;

/** Where pods that reach RDS find its CA bundle (the URLs' sslrootcert). */
export const DB_CA = { mount: "/app/certs", file: "rds-ca.pem", volume: "db-ca" } as const;

/** Memory-store and backup objects (R-DATA). */
export const DATA_NAMES = {
  adminSecret: `${APP_NAME}-db-admin`,
  backupSecret: `${APP_NAME}-db-backup`,
  caConfigMap: `${APP_NAME}-db-ca`,
  scriptsConfigMap: `${APP_NAME}-db-scripts`,
  postgres: JOB_NAMES.postgres,
  exportCronJob: JOB_NAMES.export,
  restoreCronJob: JOB_NAMES.restore,
  exportServiceAccount: JOB_NAMES.export,
  restoreServiceAccount: JOB_NAMES.restore,
  drillCronJob: JOB_NAMES.drill,
  drillServiceAccount: JOB_NAMES.drill,
  restoreRequest: `${APP_NAME}-restore-request`,
  /** Bucket prefixes and what writes them (R-DATA-2). */
  prefixes: { exports: "exports", config: "config", state: "state", accessLogs: "s3-access" },
} as const;
