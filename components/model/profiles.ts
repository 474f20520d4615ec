// Environment profiles: the per-environment numbers of REQUIREMENTS §1 (R-ENV-1..8) and
// the workload defaults of §2. A stack file names its environment and states only what
// differs (R-ENV-10); components/config merges the stack file over the profile here.
//
// Pure data: no Pulumi, no I/O. Every value is a *default* and stays configurable.

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The shape of a profile: every stack setting except the ones that have no sane default. */
export interface Profile {
  replicas: number;
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
  };
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCpuUtilization: number;
    targetMemoryUtilization: number;
    scaleDownStabilization: string;
  };
  logLevel: "debug" | "info" | "warn" | "error";
  observability: {
    tracing: "off" | "basic" | "detailed" | "comprehensive";
    profiling: boolean;
    slaMonitoring: boolean;
  };
  alerting: AlertingProfile;
  monitoring: MonitoringProfile;
  externalServices: "mocked" | "real";
  app: {
    port: number;
    apiPrefix: string;
    rateLimitPerMinute: number;
  };
  probes: {
    healthPath: string;
    livenessPeriod: string;
    livenessTimeout: string;
    livenessFailureThreshold: number;
    readinessPeriod: string;
    startupBudget: string;
  };
  shutdown: {
    preStopDelay: string;
    terminationGracePeriod: string;
  };
  volumes: {
    logsSizeLimit: string;
    uploadsSizeLimit: string;
    tmpSizeLimit: string;
  };
  topology: {
    zoneSpread: "required" | "preferred";
    nodeSpread: "required" | "preferred";
  };
  network: {
    ingressNamespaces: string[];
    monitoringNamespace: string;
    databaseCidrs: string[];
    databasePort: number;
    egress: Array<{ cidr: string; except: string[]; ports: number[] }>;
  };
  delivery: DeliveryProfile;
  featureFlags: FeatureFlag[];
}

export const THRESHOLD_SETS = ["informational", "relaxed", "strict"] as const;
export type ThresholdSet = (typeof THRESHOLD_SETS)[number];

/** Alerting posture (R-ENV-7), SLOs (R-AL-19) and where notifications go (R-MON-5). */
export interface AlertingProfile {
  /** P0/P1 page on-call through PagerDuty; off: they go to the Slack incident channel only. */
  paging: boolean;
  /** strict: the R-AL table; relaxed: wider margins; informational: relaxed, and nothing above P3. */
  thresholds: ThresholdSet;
  /** Rule evaluation interval of the platform's rule groups. */
  evaluationInterval: string;
  /** Requests/s below which ratio and SLO alerts stay silent (one error in three requests is not an outage). */
  minRequestRate: number;
  /** Tasks/s below which task-ratio alerts stay silent. */
  minTaskRate: number;
  slo: { availability: number; latency: number; latencyThresholdSeconds: number };
  /** Where `runbook_url` points: this repository's docs/runbooks as browsed by on-call. */
  runbookBaseUrl: string;
  receivers: {
    slackChannel: string;
    slackIncidentChannel: string;
    emailTo: string;
    emailFrom: string;
    smarthost: string;
  };
}

export interface ProbeLayer {
  path: string;
  interval: string;
  timeout: string;
}

export interface ComponentSizing {
  replicas: number;
  storage: string;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

/** The monitoring stack (R-MON-1, R-MON-2): kube-prometheus-stack and blackbox exporter. */
export interface MonitoringProfile {
  /** Install kube-prometheus-stack here; false where a platform team already runs it. */
  install: boolean;
  releaseName: string;
  chartVersion: string;
  installBlackboxExporter: boolean;
  blackboxChartVersion: string;
  /** Labels our ServiceMonitor, Probes and PrometheusRule carry so an existing stack's selectors pick them up. */
  selectorLabels: Record<string, string>;
  prometheus: ComponentSizing & { retention: string; retentionSize: string };
  alertmanager: ComponentSizing;
  grafana: { storage: string };
  probes: { basic: ProbeLayer; functional: ProbeLayer; integration: ProbeLayer };
}

export const STRATEGIES = ["rolling", "blueGreen", "canary"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface CanaryStep {
  /** Share of traffic on the canary during this stage, percent (R-PD-2). */
  weight: number;
  /** How long the stage lasts; its analysis runs for the whole window. */
  duration: string;
  /** Success criteria of the stage (R-PD-3). */
  maxErrorRate: number;
  latencyQuantile: "p95" | "p99";
  maxLatencyMs: number;
}

/** Progressive-delivery settings; `strategy` has no default: each stack file states it (R-PD-9). */
export interface DeliveryProfile {
  installController: boolean;
  controllerNamespace: string;
  controllerChartVersion: string;
  trafficRouter: "gatewayApi" | "none";
  gatewayPluginUrl: string;
  gateway: { name: string; namespace: string; hostnames: string[] };
  prometheusAddress: string;
  scrapeInterval: string;
  analysisInterval: string;
  minCanaryRequestRate: number;
  trafficShiftBudget: string;
  rollbackVerification: string;
  canarySteps: CanaryStep[];
  rollback: {
    errorRate: number;
    errorRateInterval: string;
    p99Ms: number;
    p99Interval: string;
    p99FailureLimit: number;
    memoryRatio: number;
    memoryFor: string;
    agentSpawnFailureRatio: number;
    agentSpawnFor: string;
  };
  blueGreen: { scaleDownDelay: string; autoPromotion: boolean };
  migration: { enabled: boolean; command: string[]; rollbackCommand: string[]; timeout: string };
}

/** R-PD-8: one feature flag, delivered to the pods as a mounted file. */
export interface FeatureFlag {
  key: string;
  enabled: boolean;
  percentage: number;
  userTargeting: string[];
  environmentRestrictions: Environment[];
}

// Egress the agents need to reach hosted model APIs: HTTPS anywhere on the public
// internet, never the cluster's private ranges nor the cloud metadata endpoint.
const PUBLIC_HTTPS_EGRESS = [
  {
    cidr: "0.0.0.0/0",
    except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32"],
    ports: [443],
  },
];

// R-PD-2/R-PD-3: 1 % for 10 min -> 5 % for 20 min -> 50 % for 30 min -> 100 %; stage 1
// error rate < 2 % and p95 < 500 ms, later stages error rate < 1.5 % and p99 < 1000 ms.
const CANARY_STEPS: CanaryStep[] = [
  { weight: 1, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
  { weight: 5, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
  { weight: 50, duration: "30m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
];

const DELIVERY: DeliveryProfile = {
  installController: true,
  controllerNamespace: "argo-rollouts",
  controllerChartVersion: "2.40.5",
  trafficRouter: "gatewayApi",
  gatewayPluginUrl:
    "https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.5.0/gatewayapi-plugin-linux-amd64",
  gateway: { name: "platform-gateway", namespace: "gateway-system", hostnames: [] },
  prometheusAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
  scrapeInterval: "15s",
  analysisInterval: "1m",
  minCanaryRequestRate: 0.05,
  trafficShiftBudget: "10s",
  rollbackVerification: "2m",
  canarySteps: CANARY_STEPS,
  // R-PD-4/R-PD-5: error rate > 5 % aborts on the first bad measurement; p99 > 2 s after
  // a debounce of three bad minutes; memory > 90 % for 3 min; spawn failures > 50 % for 2 min.
  rollback: {
    errorRate: 0.05,
    errorRateInterval: "15s",
    p99Ms: 2000,
    p99Interval: "1m",
    p99FailureLimit: 2,
    memoryRatio: 0.9,
    memoryFor: "3m",
    agentSpawnFailureRatio: 0.5,
    agentSpawnFor: "2m",
  },
  blueGreen: { scaleDownDelay: "10m", autoPromotion: true },
  migration: {
    enabled: true,
    command: ["node", "dist/db/migrate.js", "up"],
    rollbackCommand: ["node", "dist/db/migrate.js", "down", "--to", "previous"],
    timeout: "10m",
  },
};

const ALERTING: Omit<AlertingProfile, "paging" | "thresholds"> = {
  evaluationInterval: "30s",
  minRequestRate: 0.1,
  minTaskRate: 0.02,
  slo: { availability: 0.999, latency: 0.999, latencyThresholdSeconds: 1 },
  runbookBaseUrl: "https://github.com/acme/agent-platform-infra/blob/main/docs/runbooks",
  receivers: {
    slackChannel: "#agent-platform-alerts",
    slackIncidentChannel: "#incident",
    emailTo: "platform-oncall@acme.example",
    emailFrom: "alertmanager@acme.example",
    smarthost: "smtp.acme.example:587",
  },
};

const sizing = (replicas: number, storage: string, cpu: [string, string], memory: [string, string]): ComponentSizing => ({
  replicas,
  storage,
  resources: { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } },
});

// R-MON-1: per-environment retention, storage, resources and replicas. R-MON-2: the three
// probe layers. Chart versions are pinned; the CRDs follow the chart (see docs/monitoring.md).
const monitoring = (
  prometheus: MonitoringProfile["prometheus"],
  alertmanager: ComponentSizing,
  grafanaStorage: string,
): MonitoringProfile => ({
  install: true,
  releaseName: "kube-prometheus-stack",
  chartVersion: "79.5.0",
  installBlackboxExporter: true,
  blackboxChartVersion: "9.0.1",
  selectorLabels: { release: "kube-prometheus-stack" },
  prometheus,
  alertmanager,
  grafana: { storage: grafanaStorage },
  probes: {
    basic: { path: "/health", interval: "30s", timeout: "5s" },
    functional: { path: "/api/v1/health/functional", interval: "2m", timeout: "30s" },
    integration: { path: "/api/v1/health/integration", interval: "5m", timeout: "60s" },
  },
});

const common: Pick<Profile, "app" | "probes" | "network" | "delivery" | "featureFlags"> = {
  delivery: DELIVERY,
  featureFlags: [],
  app: { port: 3000, apiPrefix: "/api/v1", rateLimitPerMinute: 100 },
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
    monitoringNamespace: "monitoring",
    databaseCidrs: ["10.0.0.0/8"],
    databasePort: 5432,
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
    alerting: { paging: false, thresholds: "informational", ...clone(ALERTING) },
    monitoring: monitoring(
      { ...sizing(1, "20Gi", ["250m", "1"], ["1Gi", "2Gi"]), retention: "3d", retentionSize: "16GB" },
      sizing(1, "1Gi", ["50m", "200m"], ["64Mi", "256Mi"]),
      "1Gi",
    ),
    externalServices: "mocked",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "5s", terminationGracePeriod: "60s" },
    volumes: { logsSizeLimit: "256Mi", uploadsSizeLimit: "512Mi", tmpSizeLimit: "128Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    network: clone(common.network),
    delivery: clone(common.delivery),
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
    alerting: { paging: false, thresholds: "relaxed", ...clone(ALERTING) },
    monitoring: monitoring(
      { ...sizing(1, "50Gi", ["500m", "2"], ["2Gi", "4Gi"]), retention: "7d", retentionSize: "40GB" },
      sizing(2, "2Gi", ["50m", "200m"], ["128Mi", "256Mi"]),
      "5Gi",
    ),
    externalServices: "real",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "10s", terminationGracePeriod: "120s" },
    volumes: { logsSizeLimit: "512Mi", uploadsSizeLimit: "1Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
    network: clone(common.network),
    delivery: clone(common.delivery),
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
    alerting: { paging: true, thresholds: "strict", ...clone(ALERTING) },
    monitoring: monitoring(
      { ...sizing(2, "200Gi", ["1", "4"], ["4Gi", "8Gi"]), retention: "30d", retentionSize: "180GB" },
      sizing(3, "5Gi", ["100m", "500m"], ["256Mi", "512Mi"]),
      "10Gi",
    ),
    externalServices: "real",
    app: { ...common.app },
    probes: { ...common.probes },
    shutdown: { preStopDelay: "15s", terminationGracePeriod: "300s" },
    volumes: { logsSizeLimit: "1Gi", uploadsSizeLimit: "2Gi", tmpSizeLimit: "256Mi" },
    topology: { zoneSpread: "preferred", nodeSpread: "required" },
    network: clone(common.network),
    delivery: clone(common.delivery),
    featureFlags: [],
  },
};

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
