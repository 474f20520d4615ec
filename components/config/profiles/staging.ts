// staging: production's shape at a smaller size, where releases are rehearsed (R-ENV-1..8).
// Two replicas without autoscaling, real external services, RDS without Multi-AZ, backups
// on, relaxed alert margins that never page. Everything not stated here is the base's.
import { presetAlerting } from "./alerting";
import { profile, sizing } from "./base";

export const STAGING = profile({
  replicas: 2,
  resources: { requests: { cpu: "750m", memory: "1.5Gi" }, limits: { cpu: "750m", memory: "1.5Gi" } },
  autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 4 },
  logLevel: "info",
  observability: {
    tracing: "basic",
    profiling: false,
    slaMonitoring: false,
    // R-OBS-1, R-OBS-3: a week, on S3; a tenth of the traces, chosen by trace ID in the SDK.
    logs: { retentionDays: 7, storage: "s3" },
    traces: { retentionDays: 7, storage: "s3", sampling: { mode: "ratio", ratio: 0.1 } },
  },
  alerting: { paging: false, preset: "relaxed", ...presetAlerting("relaxed") },
  monitoring: {
    prometheus: { ...sizing(1, "50Gi", ["500m", "2"], ["2Gi", "4Gi"]), retention: "7d", retentionSize: "40GB" },
    alertmanager: sizing(2, "2Gi", ["50m", "200m"], ["128Mi", "256Mi"]),
    grafana: { storage: "5Gi" },
  },
  externalServices: "real",
  shutdown: { preStopDelay: "10s", terminationGracePeriod: "120s" },
  volumes: { logsSizeLimit: "512Mi", uploadsSizeLimit: "1Gi", tmpSizeLimit: "256Mi" },
  topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
  cluster: { metricsServer: { replicas: 1 } },
  aws: { enabled: true, tags: { project: "agent-platform", environment: "staging", "managed-by": "pulumi" } },
  memoryStore: {
    mode: "rds",
    rds: { instanceClass: "db.t4g.medium", allocatedStorageGb: 20, maxAllocatedStorageGb: 100, multiAz: false, monitoringIntervalSeconds: 60 },
  },
  backups: {
    enabled: true,
    workVolume: "10Gi",
    objectLock: { mode: "GOVERNANCE", days: 30 },
    disasterRecovery: { enabled: true, region: "eu-central-1", rdsBackups: false, rdsBackupRetentionDays: 7 },
  },
  registry: { allowExternalImages: true },
});
