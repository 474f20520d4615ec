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
