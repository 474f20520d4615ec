// prod (R-ENV-1..8): autoscaled from 3 to 10 replicas, pods spread across nodes, RDS
// Multi-AZ, the strict alert table with paging, comprehensive traces and SLA monitoring,
// images only from the platform's registry. Everything not stated here is the base's.
import { presetAlerting } from "./alerting";
import { profile, sizing } from "./base";

export const PROD = profile({
  // The count before the HorizontalPodAutoscaler takes over is autoscaling.minReplicas;
  // with autoscaling on, a stack file may not set `replicas` (parse.ts refuses it).
  replicas: 3,
  resources: { requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "1000m", memory: "2Gi" } },
  autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10 },
  logLevel: "info",
  observability: {
    tracing: "comprehensive",
    profiling: false,
    slaMonitoring: true,
    // R-OBS-1, R-OBS-3: thirty days of logs, two weeks of traces, on S3; every error and
    // every slow trace kept by the gateway, and 5 % of the rest.
    logs: { retentionDays: 30, storage: "s3" },
    traces: { retentionDays: 14, storage: "s3", sampling: { mode: "tail", ratio: 0.05 } },
    // R-OBS-6: the public endpoint checked from outside (its URL is the stack file's).
    uptime: { enabled: true },
  },
  alerting: { paging: true, preset: "strict", ...presetAlerting("strict") },
  monitoring: {
    prometheus: { ...sizing(2, "200Gi", ["1", "4"], ["4Gi", "8Gi"]), retention: "30d", retentionSize: "180GB" },
    alertmanager: sizing(3, "5Gi", ["100m", "500m"], ["256Mi", "512Mi"]),
    grafana: { storage: "10Gi" },
  },
  externalServices: "real",
  shutdown: { preStopDelay: "15s", terminationGracePeriod: "300s" },
  volumes: { logsSizeLimit: "1Gi", uploadsSizeLimit: "2Gi", tmpSizeLimit: "256Mi" },
  topology: { zoneSpread: "preferred", nodeSpread: "required" },
  cluster: { metricsServer: { replicas: 2 } },
  aws: { enabled: true, tags: { project: "agent-platform", environment: "prod", "managed-by": "pulumi" } },
  memoryStore: {
    mode: "rds",
    rds: { instanceClass: "db.r6g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 500, multiAz: true, monitoringIntervalSeconds: 30 },
  },
  backups: {
    enabled: true,
    workVolume: "50Gi",
    objectLock: { mode: "COMPLIANCE", days: 30 },
    disasterRecovery: { enabled: true, region: "eu-central-1", rdsBackups: true, rdsBackupRetentionDays: 14 },
  },
  registry: { allowExternalImages: false },
});
