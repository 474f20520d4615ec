// The restore (R-DATA-5, R-DATA-6) and the restore drill (R-DATA-8) as CronJob specs. Both
// run jobs/restore.sh: a fetch in the AWS CLI image (the newest export, or a named one,
// checked against its checksum file and the checksum S3 stored at upload), then the
// restore in the postgres image. The drill restores into a scratch database, verifies it
// against the export's manifest and drops it; only then does a last container prune
// exports older than exportsDays beyond the newest keepNewest (delete markers on a locked,
// versioned bucket: nothing is erased before its lock ends).
import type * as k8s from "@pulumi/kubernetes";
import { DATA_NAMES, JOB_NAMES } from "../names";
import { hardenedContainer } from "../hardening";
import {
  JobArgs,
  POSTGRES_UID,
  SCRIPTS_MOUNT,
  SECRETS_MOUNT,
  TOOL_UID,
  WORK_MOUNT,
  caParts,
  irsa,
  labels,
  podSpec,
  scriptsMount,
  scriptsVolume,
  secretVolume,
  toolResources,
  workMount,
  workVolume,
} from "./jobs";

/** What the restore and drill pods need from AWS (component outputs). */
export interface RestoreRefs {
  bucket: string;
  roleArn: string;
}

type Container = k8s.types.input.core.v1.Container;

function parts(cfg: JobArgs, refs: RestoreRefs) {
  const b = cfg.backups;
  const aws = irsa(refs.roleArn, cfg);
  const ca = caParts(cfg);
  const awsContainer = (name: string, phase: string, env: Array<{ name: string; value: string }>, envFrom: k8s.types.input.core.v1.EnvFromSource[] = []): Container => ({
    name,
    image: b.uploaderImage,
    command: ["/bin/sh", `${SCRIPTS_MOUNT}/restore.sh`, phase],
    env: [{ name: "WORK_DIR", value: WORK_MOUNT }, { name: "BUCKET", value: refs.bucket }, { name: "PREFIX", value: DATA_NAMES.prefixes.exports }, ...env, ...aws.env],
    ...(envFrom.length ? { envFrom } : {}),
    resources: toolResources(cfg),
    securityContext: hardenedContainer(TOOL_UID),
    volumeMounts: [scriptsMount, workMount, aws.mount],
  });
  const dbContainer = (name: string, phase: string, env: Array<{ name: string; value: string }>, envFrom: k8s.types.input.core.v1.EnvFromSource[] = []): Container => ({
    name,
    image: cfg.memoryStore.clientImage,
    command: ["/bin/sh", `${SCRIPTS_MOUNT}/restore.sh`, phase],
    env: [
      { name: "WORK_DIR", value: WORK_MOUNT },
      { name: "ADMIN_DATABASE_URL_FILE", value: `${SECRETS_MOUNT}/ADMIN_DATABASE_URL` },
      { name: "APP_ROLE", value: cfg.memoryStore.appRole },
      // The restored database gets the grants the bootstrap gives (jobs/grants.sql).
      { name: "BACKUP_ROLE", value: cfg.memoryStore.backupRole },
      { name: "RESTORE_JOBS", value: String(b.restore.jobs) },
      ...env,
    ],
    ...(envFrom.length ? { envFrom } : {}),
    resources: toolResources(cfg),
    securityContext: hardenedContainer(POSTGRES_UID),
    volumeMounts: [scriptsMount, workMount, { name: "admin", mountPath: SECRETS_MOUNT, readOnly: true }, ...ca.mounts],
  });
  const volumes = [scriptsVolume, workVolume(b.workVolume.text), secretVolume("admin", DATA_NAMES.adminSecret, ["ADMIN_DATABASE_URL"]), aws.volume, ...ca.volumes];
  return { awsContainer, dbContainer, volumes };
}

/** Every fetch refuses an export S3 holds no checksum for (uploaded otherwise than by export.sh). */
const REQUIRE_S3_CHECKSUM = { name: "REQUIRE_S3_CHECKSUM", value: "true" };

/**
 * The restore (R-DATA-5) as a suspended CronJob: never scheduled, a template the operator
 * starts with `kubectl create job --from=cronjob/agent-platform-restore …`. It restores
 * the newest export into backups.restore.targetDatabase; the optional ConfigMap
 * agent-platform-restore-request overrides EXPORT_KEY and TARGET_DATABASE
 * (docs/restore.md).
 */
export function restoreCronJob(cfg: JobArgs, refs: RestoreRefs): k8s.types.input.batch.v1.CronJobSpec {
  const b = cfg.backups;
  const { awsContainer, dbContainer, volumes } = parts(cfg, refs);
  const request = [{ configMapRef: { name: DATA_NAMES.restoreRequest, optional: true } }];
  return {
    schedule: "0 0 1 1 *",
    timeZone: "Etc/UTC",
    suspend: true,
    concurrencyPolicy: "Forbid",
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 1,
    jobTemplate: {
      metadata: { labels: labels(JOB_NAMES.restore) },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: b.restore.deadline.seconds,
        template: {
          metadata: { labels: labels(JOB_NAMES.restore) },
          spec: podSpec(DATA_NAMES.restoreServiceAccount, POSTGRES_UID, {
            initContainers: [awsContainer("fetch", "fetch", [REQUIRE_S3_CHECKSUM], request)],
            // env wins over envFrom: the request ConfigMap's TARGET_DATABASE overrides this default in the script.
            containers: [dbContainer("restore", "restore", [{ name: "DEFAULT_TARGET_DATABASE", value: b.restore.targetDatabase }], request)],
            volumes,
          }),
        },
      },
    },
  };
}

/**
 * The restore drill (R-DATA-8), on its schedule: fetch the newest export, restore it into
 * the scratch database, verify it against the manifest and drop it (an init container
 * each, so a failure stops the pod), then prune. Its success is the metric the
 * RestoreDrillStale alert reads (kube-state-metrics' last successful time of this CronJob).
 */
export function drillCronJob(cfg: JobArgs, refs: RestoreRefs): k8s.types.input.batch.v1.CronJobSpec {
  const b = cfg.backups;
  const { awsContainer, dbContainer, volumes } = parts(cfg, refs);
  return {
    schedule: b.drill.schedule.text,
    timeZone: "Etc/UTC",
    concurrencyPolicy: "Forbid",
    startingDeadlineSeconds: b.export.startingDeadline.seconds,
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels: labels(JOB_NAMES.drill) },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: b.drill.deadline.seconds,
        template: {
          metadata: { labels: labels(JOB_NAMES.drill) },
          spec: podSpec(DATA_NAMES.drillServiceAccount, POSTGRES_UID, {
            initContainers: [
              awsContainer("fetch", "fetch", [REQUIRE_S3_CHECKSUM]),
              dbContainer("drill", "drill", [{ name: "TARGET_DATABASE", value: b.drill.scratchDatabase }]),
            ],
            containers: [
              awsContainer("prune", "prune", [
                { name: "KEEP_NEWEST", value: String(b.retention.keepNewest) },
                { name: "KEEP_DAYS", value: String(b.retention.exportsDays) },
              ]),
            ],
            volumes,
          }),
        },
      },
    },
  };
}
