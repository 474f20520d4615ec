// The base every environment profile starts from: each number here is the same in dev,
// staging and prod (R-ENV-12: every tunable number of the workload, the alerts and the
// rollbacks has its home in a profile). What differs is stated, whole, in dev.ts,
// staging.ts and prod.ts; `profile()` merges those over this, key by key, as parse.ts then
// merges a stack file over the profile (R-ENV-10). Pure data: no Pulumi, no I/O.
import { Plain, deepMerge } from "../merge";
import type { Profile } from "../schema";
import { OBSERVABILITY } from "./observability";

// Egress the agents need to reach hosted model APIs: HTTPS anywhere on the public
// internet, never the private ranges (RFC 1918), the shared address space (RFC 6598,
// 100.64.0.0/10: EKS custom networking and carrier NAT) nor link-local (169.254.0.0/16:
// the cloud metadata endpoints, NodeLocal DNS).
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];
const PUBLIC_HTTPS_EGRESS = [{ cidr: "0.0.0.0/0", except: PRIVATE_RANGES, ports: [443] }];

// R-PD-2/R-PD-3 stage lengths and criteria (10 min, 20 min, 30 min; stage 1 error rate < 2 %
// and p95 < 500 ms, later stages error rate < 1.5 % and p99 < 1000 ms), at weights R-PD-11
// can judge: at 20 requests/s a 1 % canary sees one request every 5 s, too few to tell a 10 %
// error rate from a healthy 0.1 % within a minute by any test; at 10 % it sees two a second
// (docs/delivery.md: the simulator's table). A stack may state R-PD-2's 1 % → 5 % → 50 %; the
// render then says which budget it misses and at which traffic.
const CANARY_STEPS: Profile["delivery"]["canarySteps"] = [
  { weight: 10, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
  { weight: 25, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
  { weight: 50, duration: "30m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
];

const DELIVERY: Profile["delivery"] = {
  installController: true,
  controllerNamespace: "argo-rollouts",
  controllerChartVersion: "2.40.5",
  controllerReplicas: 2,
  controllerResources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  minReady: "10s",
  progressDeadline: "10m",
  revisionHistoryLimit: 5,
  trafficRouter: "gatewayApi",
  // The newest release (2026-06-26); built against the argo-rollouts v1.6 plugin RPC API,
  // which controller v1.8.3 (chart 2.40.5) serves. The checksum is per stack (sha256).
  gatewayPlugin: { version: "v0.15.0", arch: "amd64" },
  gateway: { name: "platform-gateway", namespace: "gateway-system", hostnames: [] },
  analysis: {
    interval: "1m",
    failuresTolerated: 0,
    inconclusiveTolerated: 0,
    consecutiveErrorsTolerated: 1,
    postPromotionMeasurements: 5,
  },
  smokeTest: { measurements: 3, interval: "10s", timeout: "5s" },
  trafficShiftBudget: "10s",
  rollbackVerification: "2m",
  canarySteps: CANARY_STEPS,
  // R-PD-4: error rate above alerting.rules.errorRate.critical (5 %) aborts on the first
  // bad measurement (worst case 30s + 15s + shift 10s = 55s); p99 > 2 s rolls back only when
  // it held for 3 min (spikes up to 2 min tolerated). R-PD-5's memory and spawn-failure
  // triggers share their numbers with the alerts (alerting.rules.memorySustained,
  // alerting.rules.agentSpawnFailures).
  rollback: {
    errorRate: { window: "1m", interval: "5s" },
    latencyP99: { thresholdMs: 2000, sustained: "3m", interval: "15s" },
    memoryInterval: "30s",
    agentSpawnInterval: "30s",
    consecutiveErrorsTolerated: 1,
  },
  blueGreen: { scaleDownDelay: "10m", autoPromotion: true },
  // R-PD-11: the traffic and the false-abort budget the checks are derived from, and what a
  // healthy release looks like (0.1 % 5xx; latency well inside the stage criteria).
  verdicts: {
    minTraffic: 5,
    falseAbortBudget: 0.01,
    healthyErrorRate: 0.001,
    healthyLatency: { medianMs: 30, p99Ms: 600 },
    abortBudgets: { fromTraffic: 20, errorRate: "60s", outage: "45s", latencySlack: "60s" },
    simulatedRollouts: 400,
  },
  // R-PD-10: the kubectl plugin of the controller's version (chart 2.40.5 runs v1.8.3).
  verdict: {
    enabled: true,
    image: "quay.io/argoproj/kubectl-argo-rollouts:v1.8.3",
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
  },
  migration: {
    enabled: true,
    command: ["node", "dist/db/migrate.js", "up"],
    rollbackCommand: ["node", "dist/db/migrate.js", "down", "--to", "previous"],
    timeout: "10m",
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  },
};

const ALERTING: Omit<Profile["alerting"], "paging" | "preset" | "rules" | "slo"> = {
  evaluationInterval: "30s",
  runbookBaseUrl: "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks",
  guards: { requestsPerSecond: 0.2, tasksPerSecond: 0.05, agentSpawnsPerSecond: 0.1, swarmCoordinationsPerSecond: 0.1 },
  histograms: {
    // 2 s: the p99 rollback trigger counts requests above it (R-PD-4).
    requestDurationBuckets: [0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 30, 60],
    taskDurationBuckets: [60, 120, 300, 600, 900, 1800, 3600],
  },
  // The anomaly alert judges against a full day: a rising morning against a flat night is not an anomaly.
  baselines: { trafficHistory: "1d", trafficMinHistory: "1d", trafficMinRelativeDeviation: 0.01, memoryHistory: "1d" },
  // R-MON-5 response targets drive how fast a group is sent and re-sent.
  routing: {
    P0: { groupWait: "10s", groupInterval: "1m", repeatInterval: "15m" },
    P1: { groupWait: "30s", groupInterval: "2m", repeatInterval: "30m" },
    P2: { groupWait: "1m", groupInterval: "5m", repeatInterval: "2h" },
    P3: { groupWait: "5m", groupInterval: "30m", repeatInterval: "24h" },
  },
  heartbeat: { groupWait: "0s", repeatInterval: "1m" },
  receivers: {
    slackChannel: "#agent-platform-alerts",
    slackIncidentChannel: "#incident",
    emailTo: "platform-oncall@acme.example",
    emailFrom: "alertmanager@acme.example",
    smarthost: "smtp.acme.example:587",
  },
};

/** Replicas, storage and resources of an Alertmanager or Prometheus (R-MON-1). */
export type Sizing = Omit<Profile["monitoring"]["alertmanager"], "internalReceiverCidrs">;
export const sizing = (replicas: number, storage: string, cpu: [string, string], memory: [string, string]): Sizing => ({
  replicas,
  storage,
  resources: { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } },
});

// R-MON-1: the environments differ in retention, storage, resources and replicas (their
// files). R-MON-2: the three probe layers. Chart versions are pinned; the CRDs follow the
// chart (see docs/monitoring.md).
const MONITORING: Omit<Profile["monitoring"], "prometheus" | "alertmanager" | "grafana"> & {
  alertmanager: Pick<Profile["monitoring"]["alertmanager"], "internalReceiverCidrs">;
  grafana: Omit<Profile["monitoring"]["grafana"], "storage">;
} = {
  install: true,
  namespace: "monitoring",
  nodeExporterNamespace: "monitoring-node-exporter",
  releaseName: "kube-prometheus-stack",
  chartVersion: "79.5.0",
  scrapeInterval: "15s",
  installBlackboxExporter: true,
  blackboxChartVersion: "9.0.1",
  blackboxResources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
  selectorLabels: { release: "kube-prometheus-stack" },
  alertmanager: { internalReceiverCidrs: [] },
  // R-MON-3: refresh 30 s / 10 s / 5 s, health score 70/90, resource gauges 70/85/95.
  grafana: {
    ingressNamespaces: ["gateway-system"],
    rateWindow: "5m",
    refresh: { executive: "30s", technicalOperations: "10s", incidentResponse: "5s", mcpServer: "10s", security: "30s" },
    healthScore: { yellowFrom: 70, greenFrom: 90 },
    resourceGauges: { yellowFrom: 70, orangeFrom: 85, redFrom: 95 },
    mcpSuccess: { yellowFrom: 0.95, greenFrom: 0.99 },
  },
  probes: {
    basic: { path: "/health", interval: "30s", timeout: "5s" },
    functional: { path: "/api/v1/health/functional", interval: "2m", timeout: "30s" },
    integration: { path: "/api/v1/health/integration", interval: "5m", timeout: "60s" },
  },
};

// R-DATA: images the database Jobs run, pinned by digest (docs/data.md: how to refresh
// them). The client's major version matches memoryStore.rds.engineVersion.
const POSTGRES_IMAGE = "postgres:16.10-bookworm@sha256:38471f330eb885e04de130b768d6db4e10469e2311879c7e5c699f6d2d8a1c74";
const AWS_CLI_IMAGE = "amazon/aws-cli:2.31.13@sha256:e14216fb361cce909ce199616711ad103182d5937f851cda9bebf25867d7180a";

/** A profile's shape with every level optional: the base and the differences are both partial. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * Everything every environment shares. R-DATA-0..5: 30 days of point-in-time recovery
 * everywhere RDS runs, a daily export kept 30 days, configuration daily and state weekly
 * (written by the backup workflow). R-ENV-14: cluster prerequisites are installed only
 * where a stack opts in; otherwise `pulumi preview` checks the live cluster.
 */
export const BASE: DeepPartial<Profile> = {
  observability: OBSERVABILITY,
  app: { port: 3000, apiPrefix: "/api/v1", rateLimitPerMinute: 100, secretsAs: "files" },
  probes: {
    healthPath: "/health",
    livenessPeriod: "30s",
    livenessTimeout: "5s",
    livenessFailureThreshold: 3,
    readinessPeriod: "10s",
    startupBudget: "30s",
  },
  autoscaling: {
    targetCpuUtilization: 70,
    targetMemoryUtilization: 80,
    scaleDownStabilization: "5m",
    scaleDownPods: 1,
    scaleUpStabilization: "0s",
    scaleUpPercent: 100,
    scaleUpPods: 2,
    scalingPeriod: "1m",
  },
  // R-WL-7: room for the Jobs beside the workload's peak, and the LimitRange.
  namespaceLimits: {
    jobAllowance: { pods: 6, cpu: "2", memory: "4Gi" },
    containerDefaults: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    containerMax: { cpu: "2", memory: "4Gi" },
  },
  network: {
    ingressNamespaces: ["gateway-system"],
    databaseCidrs: ["10.0.0.0/8"],
    databasePort: 5432,
    privateRanges: PRIVATE_RANGES,
    // Typical VPC ranges; narrow them to the cluster's own subnets per stack.
    apiServerCidrs: ["10.0.0.0/8"],
    nodeCidrs: ["10.0.0.0/8"],
    egress: PUBLIC_HTTPS_EGRESS,
  },
  alerting: ALERTING,
  monitoring: MONITORING,
  delivery: DELIVERY,
  featureFlags: [],
  aws: { region: "eu-west-1" },
  memoryStore: {
    databaseName: "memory",
    appRole: "agent_app",
    backupRole: "agent_backup",
    port: 5432,
    rds: {
      engineVersion: "16",
      backupRetentionDays: 30,
      backupWindow: "01:00-02:00",
      maintenanceWindow: "sun:03:30-sun:04:30",
      performanceInsights: true,
      performanceInsightsRetentionDays: 7,
      deletionProtection: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      masterUsername: "memory_admin",
    },
    inCluster: {
      image: POSTGRES_IMAGE,
      storage: "5Gi",
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      scratch: { runSizeLimit: "16Mi", tmpSizeLimit: "256Mi" },
      probes: { readinessPeriod: "10s", livenessPeriod: "30s", livenessTimeout: "5s", livenessFailureThreshold: 3 },
    },
    clientImage: POSTGRES_IMAGE,
    clientResources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    bootstrapTimeout: "5m",
  },
  backups: {
    retention: { exportsDays: 30, configDays: 90, stateDays: 365, noncurrentDays: 30, accessLogsDays: 365, keepNewest: 7 },
    breakGlassRole: "agent-platform-break-glass",
    // R-DATA-8: monthly, on the 1st at 04:30 UTC, after the night's export.
    drill: { enabled: true, schedule: "30 4 1 * *", scratchDatabase: "memory_drill", deadline: "2h" },
    // 02:15 UTC: after the 01:00-02:00 backup window, before the maintenance window.
    export: { schedule: "15 2 * * *", startingDeadline: "30m", deadline: "1h", backoffLimit: 2, historyLimit: 3 },
    uploaderImage: AWS_CLI_IMAGE,
    awsTokenLifetime: "1h",
    restore: { targetDatabase: "memory_restore", deadline: "2h", jobs: 2 },
  },
  registry: { repository: "agent-platform" },
  cluster: {
    adoptExistingObjects: false,
    // Gateway API v1.2.1: the standard channel whose HTTPRoute schema the render validates against.
    gatewayApi: { install: false, version: "v1.2.1" },
    gateway: { install: false, protocol: "HTTP", port: 80 },
    // metrics-server chart 3.13.0 (metrics-server v0.8.0): restricted security context by default.
    metricsServer: {
      install: false,
      namespace: "metrics-server",
      chartVersion: "3.13.0",
      resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "500m", memory: "400Mi" } },
    },
    // EBS through its CSI driver (the aws-ebs-csi-driver add-on): gp3, encrypted, kept when a claim goes.
    storageClass: {
      install: false,
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      reclaimPolicy: "Retain",
      makeDefault: false,
    },
  },
};

/**
 * One environment's profile: its differences merged over the base (objects key by key,
 * arrays and scalars replaced). The schema checks the result wherever a stack is parsed,
 * and test/config proves each profile complete.
 */
export function profile(differences: DeepPartial<Profile>): Profile {
  return JSON.parse(JSON.stringify(deepMerge(BASE as Plain, differences as Plain))) as Profile;
}
