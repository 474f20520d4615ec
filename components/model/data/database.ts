// The memory-store database (R-DATA-0, R-WL-8) as plain data: the RDS instance's
// settings, its TLS-enforcing parameter group, the CA bundle the pods verify the server
// with, connection URLs, and the dev in-cluster PostgreSQL. components/data/memory-store.ts declares
// them; nothing here talks to AWS or a cluster.
import type { StackConfig } from "../../config/schema";
import { containerResources } from "../format";
import { hardenedContainer } from "../hardening";
import { APP_NAME, DATA_NAMES, DB_CA, JOB_NAMES } from "../names";

export type DatabaseArgs = Pick<StackConfig, "environment" | "namespace" | "aws" | "memoryStore" | "cluster">;

/** The RDS identifier; also the prefix of its final snapshot. */
export const rdsIdentifier = (cfg: Pick<StackConfig, "environment">) => `${APP_NAME}-${cfg.environment}-memory`;

/** Settings of the RDS instance that are plain values (the component adds the references). */
export function rdsInstanceSettings(cfg: DatabaseArgs) {
  const r = cfg.memoryStore.rds;
  const id = rdsIdentifier(cfg);
  return {
    identifier: id,
    engine: "postgres",
    // A major version only: AWS applies minor versions in the maintenance window.
    engineVersion: r.engineVersion,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: false,
    instanceClass: r.instanceClass,
    storageType: "gp3",
    allocatedStorage: r.allocatedStorageGb,
    maxAllocatedStorage: r.maxAllocatedStorageGb,
    storageEncrypted: true,
    multiAz: r.multiAz,
    dbName: cfg.memoryStore.databaseName,
    username: r.masterUsername,
    port: cfg.memoryStore.port,
    publiclyAccessible: false,
    iamDatabaseAuthenticationEnabled: false,
    caCertIdentifier: r.caCertIdentifier,
    // R-DATA-2: daily snapshots and transaction logs every five minutes give
    // point-in-time recovery over the whole retention window.
    backupRetentionPeriod: r.backupRetentionDays,
    backupWindow: r.backupWindow,
    maintenanceWindow: r.maintenanceWindow,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    deletionProtection: r.deletionProtection,
    skipFinalSnapshot: false,
    // A final snapshot's name must be new at every deletion: the component appends a
    // random suffix (RandomId) to this prefix, as terraform-aws-modules/rds does.
    finalSnapshotIdentifier: `${id}-final`,
    performanceInsightsEnabled: r.performanceInsights,
    ...(r.performanceInsights ? { performanceInsightsRetentionPeriod: r.performanceInsightsRetentionDays } : {}),
    monitoringInterval: r.monitoringIntervalSeconds,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    applyImmediately: false,
  };
}

/** The parameter group family of the pinned major version. */
export const parameterFamily = (cfg: Pick<StackConfig, "memoryStore">) => `postgres${cfg.memoryStore.rds.engineVersion}`;

/** Parameters: TLS required (rds.force_ssl) at 1.2 or newer, SCRAM passwords, connection logging. */
export function rdsParameters(): Array<{ name: string; value: string; applyMethod: string }> {
  return [
    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "pending-reboot" },
    { name: "password_encryption", value: "scram-sha-256", applyMethod: "immediate" },
    { name: "log_connections", value: "1", applyMethod: "immediate" },
  ];
}

export const CA_MOUNT = DB_CA.mount;
export const CA_FILE = DB_CA.file;

export interface Endpoint {
  host: string;
  port: number;
  database: string;
}

/**
 * A libpq/node-postgres connection URL. Against RDS: TLS verified against the RDS CA
 * with the host name checked (verify-full). In the cluster (dev): no TLS, the
 * NetworkPolicy keeps the traffic between the platform's own pods.
 */
export function connectionUrl(user: string, password: string, e: Endpoint, tls: boolean): string {
  const params = tls ? `sslmode=verify-full&sslrootcert=${encodeURIComponent(`${CA_MOUNT}/${CA_FILE}`)}` : "sslmode=disable";
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${e.host}:${e.port}/${encodeURIComponent(e.database)}?${params}`;
}

/** The in-cluster database's Service host. */
export const inClusterHost = (cfg: Pick<StackConfig, "namespace">) => `${DATA_NAMES.postgres}.${cfg.namespace}.svc`;

const POSTGRES_UID = 999; // the postgres user of the official Debian-based image

export const postgresLabels = { "app.kubernetes.io/name": JOB_NAMES.postgres, "app.kubernetes.io/part-of": APP_NAME } as const;

/** The dev database: one PostgreSQL pod on a PVC, non-root, read-only root filesystem. */
export function inClusterStatefulSet(cfg: DatabaseArgs) {
  const ic = cfg.memoryStore.inCluster;
  return {
    serviceName: DATA_NAMES.postgres,
    replicas: 1,
    selector: { matchLabels: { ...postgresLabels } },
    template: {
      metadata: { labels: { ...postgresLabels } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: POSTGRES_UID,
          runAsGroup: POSTGRES_UID,
          fsGroup: POSTGRES_UID,
          seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
          {
            name: "postgres",
            image: ic.image,
            ports: [{ name: "postgres", containerPort: cfg.memoryStore.port, protocol: "TCP" }],
            args: ["-p", String(cfg.memoryStore.port)],
            env: [
              { name: "POSTGRES_USER", value: cfg.memoryStore.rds.masterUsername },
              { name: "POSTGRES_DB", value: "postgres" },
              { name: "POSTGRES_PASSWORD_FILE", value: "/secrets/ADMIN_PASSWORD" },
              { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
              { name: "PGPORT", value: String(cfg.memoryStore.port) },
            ],
            resources: containerResources(ic.resources),
            readinessProbe: {
              exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(cfg.memoryStore.port)] },
              periodSeconds: ic.probes.readinessPeriod.seconds,
            },
            livenessProbe: {
              exec: { command: ["pg_isready", "-h", "127.0.0.1", "-p", String(cfg.memoryStore.port)] },
              periodSeconds: ic.probes.livenessPeriod.seconds,
              timeoutSeconds: ic.probes.livenessTimeout.seconds,
              failureThreshold: ic.probes.livenessFailureThreshold,
            },
            securityContext: hardenedContainer(POSTGRES_UID),
            volumeMounts: [
              { name: "data", mountPath: "/var/lib/postgresql/data" },
              { name: "run", mountPath: "/var/run/postgresql" },
              { name: "tmp", mountPath: "/tmp" },
              { name: "admin", mountPath: "/secrets", readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "run", emptyDir: { sizeLimit: ic.scratch.runSizeLimit.text } },
          { name: "tmp", emptyDir: { sizeLimit: ic.scratch.tmpSizeLimit.text } },
          {
            name: "admin",
            secret: { secretName: DATA_NAMES.adminSecret, defaultMode: 0o400, items: [{ key: "ADMIN_PASSWORD", path: "ADMIN_PASSWORD" }] },
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: "data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          // Its own class, else the stack's (cluster.storageClass.name), else the cluster's default.
          ...((ic.storageClass ?? cfg.cluster.storageClass.name) ? { storageClassName: ic.storageClass ?? cfg.cluster.storageClass.name } : {}),
          resources: { requests: { storage: ic.storage.text } },
        },
      },
    ],
    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
  };
}

export function inClusterServiceSpec(cfg: Pick<StackConfig, "memoryStore">) {
  return {
    selector: { ...postgresLabels },
    ports: [{ name: "postgres", port: cfg.memoryStore.port, targetPort: "postgres", protocol: "TCP" }],
  };
}
