// The data part of the summary (R-DATA-0..5): where the memory store lives and how it is
// protected, the backup bucket and its lifecycle, the export and restore Jobs with their
// roles, and the registry. Read from the recorded graph, so it shows what was declared.
import type { StackConfig } from "../components/config";
import { DATA_NAMES } from "../components/model/names";
import type { RecordedResource } from "./mockRuntime";

const find = (resources: RecordedResource[], type: string) => resources.filter((r) => r.type === type);

export function dataSummary(cfg: StackConfig, resources: RecordedResource[]): string {
  const ms = cfg.memoryStore;
  const out = ["Data:"];
  const protectedOf = (r?: RecordedResource) => (r?.options.protect ? ", protected" : "");
  if (ms.mode === "rds") {
    const db = find(resources, "aws:rds/instance:Instance")[0];
    const i = (db?.inputs ?? {}) as Record<string, unknown>;
    out.push(
      `  memory store: Amazon RDS for PostgreSQL ${i.engineVersion}, ${i.instanceClass}, ${i.multiAz ? "Multi-AZ" : "single-AZ"}, ` +
        `${i.allocatedStorage}..${i.maxAllocatedStorage} GiB ${i.storageType}, encrypted with the stack's KMS key (rotation on)` +
        `${i.deletionProtection ? ", deletion protection" : ""}, final snapshot ${i.finalSnapshotIdentifier}${protectedOf(db)}`,
      `    point-in-time recovery ${i.backupRetentionPeriod} days (backups ${i.backupWindow} UTC, maintenance ${i.maintenanceWindow}); ` +
        `TLS required (rds.force_ssl), pods verify ${ms.rds.caCertIdentifier} (sslmode=verify-full); port ${ms.port} from ${cfg.aws.clusterSecurityGroupId} only`,
    );
  } else if (ms.mode === "inCluster") {
    out.push(
      `  memory store: PostgreSQL in the cluster (StatefulSet ${DATA_NAMES.postgres}, ${ms.inCluster.storage.text} volume kept on delete); ` +
        `no AWS backups: a dev store`,
    );
  } else {
    out.push("  memory store: external (the databaseUrl secret); its owner backs it up");
  }
  if (ms.mode !== "external") {
    out.push(
      `    roles: ${ms.appRole} (the platform and migrations: owns ${ms.databaseName}), ${ms.backupRole} (the export: reads only), ` +
        `${ms.rds.masterUsername} (the bootstrap and restore Jobs only); passwords generated, Pulumi secrets`,
    );
  }
  const b = cfg.backups;
  if (b.enabled) {
    const r = b.retention;
    const bucket = find(resources, "aws:s3/bucket:Bucket").find((x) => x.name.endsWith("-backups"));
    out.push(
      `  bucket ${bucket?.name}-…: versioned, SSE-KMS with a bucket key, public access blocked, owner enforced, TLS-only policy, ` +
        `server access logs${protectedOf(bucket)}`,
      `    write-once (R-DATA-7): Object Lock ${b.objectLock.mode} ${b.objectLock.days}d on every version; uploads to ${DATA_NAMES.prefixes.exports}/ only as conditional writes (If-None-Match), ` +
        `each with S3's SHA-256; versioning, lifecycle, Object Lock, replication, the policy and object versions: role ${b.breakGlassRole} only`,
      `    lifecycle: ${DATA_NAMES.prefixes.config}/ ${r.configDays}d (daily), ${DATA_NAMES.prefixes.state}/ ${r.stateDays}d (weekly), noncurrent versions ${r.noncurrentDays}d; ` +
        `${DATA_NAMES.prefixes.exports}/ never by lifecycle: the drill prunes those older than ${r.exportsDays}d beyond the newest ${r.keepNewest}`,
      `  export: CronJob ${DATA_NAMES.exportCronJob} "${b.export.schedule.text}" UTC, pg_dump --format=custom + sha256 + manifest → ${DATA_NAMES.prefixes.exports}/; ` +
        `IRSA role agent-platform-${cfg.environment}-export-* (PutObject ${DATA_NAMES.prefixes.exports}/* only); ` +
        `ExportStale after ${(cfg.alerting.rules.exportStale.warning.threshold! * b.export.schedule.maxGapSeconds) / 3600}h`,
      `  restore: suspended CronJob ${DATA_NAMES.restoreCronJob} (kubectl create job --from=cronjob/${DATA_NAMES.restoreCronJob} …; docs/restore.md), ` +
        `extensions by the admin, ${b.restore.jobs} parallel jobs, grants re-applied; IRSA role agent-platform-${cfg.environment}-restore-* (read ${DATA_NAMES.prefixes.exports}/* only)`,
    );
    if (b.drill.enabled) {
      out.push(
        `  drill (R-DATA-8): CronJob ${DATA_NAMES.drillCronJob} "${b.drill.schedule.text}" UTC: the newest export into ${b.drill.scratchDatabase}, compared with its manifest, dropped, then the prune; ` +
          `RestoreDrillStale after ${Math.round((cfg.alerting.rules.drillStale.warning.threshold! * b.drill.schedule.maxGapSeconds) / 86400)}d`,
      );
    }
    const dr = b.disasterRecovery;
    out.push(
      dr.enabled
        ? `  second region (R-DATA-8): ${dr.region}: ${DATA_NAMES.prefixes.exports}/ replicated (delete markers too) into agent-platform-${cfg.environment}-replicas-… under a key of that region, write-once like this one` +
            (dr.rdsBackups && ms.mode === "rds" ? `; RDS automated backups replicated, ${dr.rdsBackupRetentionDays}d` : "; RDS automated backups not replicated")
        : "  second region: off (backups.disasterRecovery.enabled)",
    );
    if (b.ciWriter) out.push(`  backup workflow: role agent-platform-${cfg.environment}-backup-workflow for ${b.ciWriter.repository} (main): PutObject config/*, state/*`);
  } else {
    out.push("  backups: off (no exports; docs/data.md)");
  }
  if (cfg.aws.enabled) {
    out.push(
      `  registry: ECR ${cfg.registry.repository} of the bootstrap stack (bootstrap/); ` +
        (cfg.registry.allowExternalImages ? "images from other registries allowed" : "the image must come from it (R-DATA-4)"),
    );
  }
  return out.join("\n");
}
