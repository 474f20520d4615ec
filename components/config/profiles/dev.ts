// dev: where the platform team works on the platform itself (R-ENV-1..8). One replica,
// debug logs and detailed traces, mocked external services, PostgreSQL in the cluster and
// no AWS, alerts that interrupt nobody. Everything not stated here is the base's.
import { presetAlerting } from "./alerting";
import { profile, sizing } from "./base";

export const DEV = profile({
  replicas: 1,
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
  autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 2 },
  logLevel: "debug",
  observability: {
    tracing: "detailed",
    profiling: true,
    slaMonitoring: false,
    // R-OBS-1, R-OBS-3: three days of everything, on volumes in the cluster.
    logs: { retentionDays: 3, storage: "volume" },
    traces: { retentionDays: 3, storage: "volume", sampling: { mode: "all", ratio: 1 } },
  },
  alerting: { paging: false, preset: "informational", ...presetAlerting("informational") },
  monitoring: {
    prometheus: { ...sizing(1, "20Gi", ["250m", "1"], ["1Gi", "2Gi"]), retention: "3d", retentionSize: "16GB" },
    alertmanager: sizing(1, "1Gi", ["50m", "200m"], ["64Mi", "256Mi"]),
    grafana: { storage: "1Gi" },
  },
  externalServices: "mocked",
  shutdown: { preStopDelay: "5s", terminationGracePeriod: "60s" },
  volumes: { logsSizeLimit: "256Mi", uploadsSizeLimit: "512Mi", tmpSizeLimit: "128Mi" },
  topology: { zoneSpread: "preferred", nodeSpread: "preferred" },
  cluster: { metricsServer: { replicas: 1 } },
  aws: { enabled: false, tags: { project: "agent-platform", environment: "dev", "managed-by": "pulumi" } },
  memoryStore: {
    mode: "inCluster",
    rds: { instanceClass: "db.t4g.medium", allocatedStorageGb: 20, maxAllocatedStorageGb: 100, multiAz: false, monitoringIntervalSeconds: 60 },
  },
  backups: {
    enabled: false,
    workVolume: "10Gi",
    objectLock: { mode: "GOVERNANCE", days: 7 },
    disasterRecovery: { enabled: false, region: "eu-central-1", rdsBackups: false, rdsBackupRetentionDays: 7 },
  },
  registry: { allowExternalImages: true },
});
