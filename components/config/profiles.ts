// Environment profiles: the per-environment numbers of REQUIREMENTS §1 (R-ENV-1..8), the
// workload defaults of §2 and every tunable number of the alerts and rollbacks
// (R-ENV-12). A stack file names its environment and states only what differs
// (R-ENV-10); parse.ts merges the stack file over the profile here, key by key.
// Pure data, typed by the schema (`Profile` is derived from it): no Pulumi, no I/O.
import { RULE_PRESETS, PresetName } from "./alerting";
import type { Environment, Profile } from "./schema";

// Egress the agents need to reach hosted model APIs: HTTPS anywhere on the public
// internet, never the private ranges (RFC 1918), the shared address space (RFC 6598,
// 100.64.0.0/10: EKS custom networking and carrier NAT) nor link-local (169.254.0.0/16:
// the cloud metadata endpoints, NodeLocal DNS).
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];
const PUBLIC_HTTPS_EGRESS = [{ cidr: "0.0.0.0/0", except: PRIVATE_RANGES, ports: [443] }];

// R-PD-2/R-PD-3: 1 % for 10 min -> 5 % for 20 min -> 50 % for 30 min -> 100 %; stage 1
// error rate < 2 % and p95 < 500 ms, later stages error rate < 1.5 % and p99 < 1000 ms.
const CANARY_STEPS: Profile["delivery"]["canarySteps"] = [
  { weight: 1, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
  { weight: 5, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
  { weight: 50, duration: "30m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
];

const DELIVERY: Profile["delivery"] = {
  installController: true,
  controllerNamespace: "argo-rollouts",
  controllerChartVersion: "2.40.5",
  trafficRouter: "gatewayApi",
  // The newest release (2026-06-26); built against the argo-rollouts v1.6 plugin RPC API,
  // which controller v1.8.3 (chart 2.40.5) serves. The checksum is per stack (sha256).
  gatewayPlugin: { version: "v0.15.0", arch: "amd64" },
  gateway: { name: "platform-gateway", namespace: "gateway-system", hostnames: [] },
  analysis: {
    interval: "1m",
    minRequestRate: 0.05,
    failuresTolerated: 1,
    inconclusiveTolerated: 1,
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
    errorRate: { window: "30s", interval: "15s" },
    latencyP99: { thresholdMs: 2000, window: "1m", sustained: "3m", interval: "30s" },
    memoryInterval: "30s",
    agentSpawnInterval: "30s",
    consecutiveErrorsTolerated: 1,
  },
  blueGreen: { scaleDownDelay: "10m", autoPromotion: true },
  migration: {
    enabled: true,
    command: ["node", "dist/db/migrate.js", "up"],
    rollbackCommand: ["node", "dist/db/migrate.js", "down", "--to", "previous"],
    timeout: "10m",
  },
};

function alerting(preset: PresetName, paging: boolean): Profile["alerting"] {
  return {
    paging,
    preset,
    evaluationInterval: "30s",
    runbookBaseUrl: "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks",
    guards: { requestsPerSecond: 0.2, tasksPerSecond: 0.05, agentSpawnsPerSecond: 0.1, swarmCoordinationsPerSecond: 0.1 },
    histograms: {
      requestDurationBuckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      taskDurationBuckets: [60, 120, 300, 600, 900, 1800, 3600],
    },
    // The anomaly alert judges against a full day: a rising morning against a flat night is not an anomaly.
    baselines: { trafficHistory: "1d", trafficMinHistory: "1d", trafficMinRelativeDeviation: 0.01, memoryHistory: "1d" },
    ...clone(RULE_PRESETS[preset]),
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
}

type Sizing = Omit<Profile["monitoring"]["alertmanager"], "internalReceiverCidrs">;
const sizing = (replicas: number, storage: string, cpu: [string, string], memory: [string, string]): Sizing => ({
  replicas,
  storage,
  resources: { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } },
});

// R-MON-1: per-environment retention, storage, resources and replicas. R-MON-2: the three
// probe layers. Chart versions are pinned; the CRDs follow the chart (see docs/monitoring.md).
const monitoring = (prometheus: Profile["monitoring"]["prometheus"], sized: Sizing, grafanaStorage: string): Profile["monitoring"] => ({
  install: true,
  namespace: "monitoring",
  nodeExporterNamespace: "monitoring-node-exporter",
  releaseName: "kube-prometheus-stack",
  chartVersion: "79.5.0",
  scrapeInterval: "15s",
  installBlackboxExporter: true,
  blackboxChartVersion: "9.0.1",
  selectorLabels: { release: "kube-prometheus-stack" },
  prometheus,
  alertmanager: { ...sized, internalReceiverCidrs: [] },
  grafana: { storage: grafanaStorage, ingressNamespaces: ["gateway-system"] },
  probes: {
    basic: { path: "/health", interval: "30s", timeout: "5s" },
    functional: { path: "/api/v1/health/functional", interval: "2m", timeout: "30s" },
    integration: { path: "/api/v1/health/integration", interval: "5m", timeout: "60s" },
  },
});

const common: Pick<Profile, "app" | "probes" | "network"> = {
  app: { port: 3000, apiPrefix: "/api/v1", rateLimitPerMinute: 100, secretsAs: "files" },
  probes: {
    healthPath: "/health",
    livenessPeriod: "30s",
    livenessTimeout: "5s",
    livenessFailureThreshold: 3,
    readinessPeriod: "10s",
    startupBudget: "30s",
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
};

export const PROFILES: Record<Environment, Profile> = {
  dev: {
    replicas: 1,
    resources: {
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "500m", memory: "1Gi" },
    },
    autoscaling: {
      enabled: false,
      minReplicas: 1,
      maxReplicas: 2,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "debug",
    observability: { tracing: "detailed", profiling: true, slaMonitoring: false },
    alerting: alerting("informational", false),
    monitoring: monitoring(
      { ...sizing(1, "20Gi", ["250m", "1"], ["1Gi", "2Gi"]), retention: "3d", retentionSize: "16GB" },
      sizing(1, "1Gi", ["50m", "200m"], ["64Mi", "256Mi"]),
      "1Gi",
    ),
    externalServices: "mocked",
    ...clone(common),
    shutdown: { preStopDelay: "5s", terminationGracePeriod: "60s" },
    volumes: { logsSizeLimit: "256Mi", uploadsSizeLimit: "512Mi", tmpSizeLimit: "128Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    delivery: clone(DELIVERY),
    featureFlags: [],
  },
  staging: {
    replicas: 2,
    resources: {
      requests: { cpu: "750m", memory: "1.5Gi" },
      limits: { cpu: "750m", memory: "1.5Gi" },
    },
    autoscaling: {
      enabled: false,
      minReplicas: 2,
      maxReplicas: 4,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "info",
    observability: { tracing: "basic", profiling: false, slaMonitoring: false },
    alerting: alerting("relaxed", false),
    monitoring: monitoring(
      { ...sizing(1, "50Gi", ["500m", "2"], ["2Gi", "4Gi"]), retention: "7d", retentionSize: "40GB" },
      sizing(2, "2Gi", ["50m", "200m"], ["128Mi", "256Mi"]),
      "5Gi",
    ),
    externalServices: "real",
    ...clone(common),
    shutdown: { preStopDelay: "10s", terminationGracePeriod: "120s" },
    volumes: { logsSizeLimit: "512Mi", uploadsSizeLimit: "1Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    delivery: clone(DELIVERY),
    featureFlags: [],
  },
  prod: {
    replicas: 3,
    resources: {
      requests: { cpu: "1000m", memory: "2Gi" },
      limits: { cpu: "1000m", memory: "2Gi" },
    },
    autoscaling: {
      enabled: true,
      minReplicas: 3,
      maxReplicas: 10,
      targetCpuUtilization: 70,
      targetMemoryUtilization: 80,
      scaleDownStabilization: "5m",
    },
    logLevel: "info",
    observability: { tracing: "comprehensive", profiling: false, slaMonitoring: true },
    alerting: alerting("strict", true),
    monitoring: monitoring(
      { ...sizing(2, "200Gi", ["1", "4"], ["4Gi", "8Gi"]), retention: "30d", retentionSize: "180GB" },
      sizing(3, "5Gi", ["100m", "500m"], ["256Mi", "512Mi"]),
      "10Gi",
    ),
    externalServices: "real",
    ...clone(common),
    shutdown: { preStopDelay: "15s", terminationGracePeriod: "300s" },
    volumes: { logsSizeLimit: "1Gi", uploadsSizeLimit: "2Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "required" },
    delivery: clone(DELIVERY),
    featureFlags: [],
  },
};

/** The rule and SLO data of a preset, for a stack that names `alerting.preset`. */
export function presetAlerting(preset: PresetName): Pick<Profile["alerting"], "rules" | "slo"> {
  return clone(RULE_PRESETS[preset]);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
