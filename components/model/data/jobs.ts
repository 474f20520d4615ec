// The database Jobs (R-DATA-0, R-DATA-2, R-DATA-3, R-DATA-5): the role bootstrap, the
// daily export CronJob and the restore Job template. Their scripts are files in jobs/,
// mounted from a ConfigMap, so the very script the tests run against a real PostgreSQL
// and S3 server is the one the cluster runs. Every pod is hardened like the workload.
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../../config/schema";
import { containerResources } from "../format";
import { APP_NAME, DATA_NAMES, JOB_NAMES } from "../names";
import { checksum, databaseCa } from "../workload";
import { hardenedContainer, hardenedPod } from "../hardening";
import { ROOT } from "../../shared/root";

/** The scripts, read from the repository's jobs/ folder. */
export const SCRIPT_FILES = ["bootstrap.sh", "export.sh", "restore.sh"] as const;
export const JOBS_DIR = path.join(ROOT, "jobs");

export function jobScripts(): Record<string, string> {
  return Object.fromEntries(SCRIPT_FILES.map((f) => [f, fs.readFileSync(path.join(JOBS_DIR, f), "utf8")]));
}

const SCRIPTS_MOUNT = "/jobs";
const WORK_MOUNT = "/work";
const SECRETS_MOUNT = "/secrets";
/** Where the projected web-identity token for IRSA is mounted. */
export const AWS_TOKEN_DIR = "/var/run/secrets/aws";
/** The audience IAM expects of a web-identity token (the trust policy checks it). */
export const STS_AUDIENCE = "sts.amazonaws.com";

const POSTGRES_UID = 999; // the postgres user of the official Debian-based image
const TOOL_UID = 10001; // the AWS CLI image has no user of its own; HOME is the work dir

export type JobArgs = Pick<StackConfig, "namespace" | "aws" | "memoryStore" | "backups">;

const labels = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": APP_NAME });

const scriptsVolume = { name: "scripts", configMap: { name: DATA_NAMES.scriptsConfigMap, defaultMode: 0o555 } };
const scriptsMount = { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true };
const workVolume = (size: string) => ({ name: "work", emptyDir: { sizeLimit: size } });
const workMount = { name: "work", mountPath: WORK_MOUNT };
const secretVolume = (name: string, secretName: string, keys: string[]) => ({
  name,
  secret: { secretName, defaultMode: 0o400, items: keys.map((key) => ({ key, path: key })) },
});
const caParts = (cfg: JobArgs) => {
  const ca = databaseCa(cfg);
  return { volumes: ca.volumes, mounts: ca.volumeMounts };
};

/** Requests and limits of every tool container (psql, pg_dump, pg_restore, the AWS CLI). */
const toolResources = (cfg: JobArgs) => containerResources(cfg.memoryStore.clientResources);

/**
 * IRSA without the webhook: the token is projected explicitly (audience sts.amazonaws.com,
 * valid for backups.awsTokenLifetime, refreshed by the kubelet), and the AWS CLI reads the
 * role and the token file from the environment. The pod still mounts no Kubernetes API token.
 */
function irsa(roleArn: string, cfg: Pick<JobArgs, "aws" | "backups">) {
  return {
    env: [
      { name: "AWS_ROLE_ARN", value: roleArn },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${AWS_TOKEN_DIR}/token` },
      { name: "AWS_REGION", value: cfg.aws.region },
      { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
      { name: "HOME", value: WORK_MOUNT },
    ],
    volume: {
      name: "aws-token",
      projected: { sources: [{ serviceAccountToken: { audience: STS_AUDIENCE, expirationSeconds: cfg.backups.awsTokenLifetime.seconds, path: "token" } }] },
    },
    mount: { name: "aws-token", mountPath: AWS_TOKEN_DIR, readOnly: true },
  };
}

type PodSpec = k8s.types.input.core.v1.PodSpec;

function podSpec(serviceAccountName: string, uid: number, rest: Omit<PodSpec, "restartPolicy" | "serviceAccountName">): PodSpec {
  return {
    restartPolicy: "Never",
    serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: hardenedPod(uid),
    ...rest,
  };
}

/** The role bootstrap Job: renamed when its script or settings change, so Pulumi runs it again. */
export function bootstrapJob(cfg: JobArgs, serviceAccountName: string): { name: string; spec: k8s.types.input.batch.v1.JobSpec } {
  const ms = cfg.memoryStore;
  const env = [
    { name: "ADMIN_DATABASE_URL_FILE", value: `${SECRETS_MOUNT}/ADMIN_DATABASE_URL` },
    { name: "APP_ROLE_PASSWORD_FILE", value: `${SECRETS_MOUNT}/APP_ROLE_PASSWORD` },
    { name: "BACKUP_ROLE_PASSWORD_FILE", value: `${SECRETS_MOUNT}/BACKUP_ROLE_PASSWORD` },
    { name: "DATABASE_NAME", value: ms.databaseName },
    { name: "APP_ROLE", value: ms.appRole },
    { name: "BACKUP_ROLE", value: ms.backupRole },
  ];
  const ca = caParts(cfg);
  const name = `${JOB_NAMES.bootstrap}-${checksum({ script: jobScripts()["bootstrap.sh"], env: JSON.stringify(env), image: ms.clientImage }).slice(0, 10)}`;
  return {
    name,
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: ms.bootstrapTimeout.seconds,
      template: {
        metadata: { labels: labels(JOB_NAMES.bootstrap) },
        spec: podSpec(serviceAccountName, POSTGRES_UID, {
          containers: [
            {
              name: "bootstrap",
              image: ms.clientImage,
              command: ["/bin/sh", `${SCRIPTS_MOUNT}/bootstrap.sh`],
              env,
              resources: toolResources(cfg),
              securityContext: hardenedContainer(POSTGRES_UID),
              volumeMounts: [scriptsMount, { name: "admin", mountPath: SECRETS_MOUNT, readOnly: true }, ...ca.mounts],
            },
          ],
          volumes: [
            scriptsVolume,
            secretVolume("admin", DATA_NAMES.adminSecret, ["ADMIN_DATABASE_URL", "APP_ROLE_PASSWORD", "BACKUP_ROLE_PASSWORD"]),
            ...ca.volumes,
          ],
        }),
      },
    },
  };
}

/** What the export and restore pods need from AWS (component outputs). */
export interface BucketRefs {
  bucket: string;
  kmsKeyArn: string;
  roleArn: string;
}

/**
 * The daily export (R-DATA-2, R-DATA-3): pg_dump runs first (an init container in the
 * postgres image, as the read-only backup role), the upload second (the AWS CLI image,
 * under the export role). One run at a time, a deadline, bounded history.
 */
export function exportCronJob(cfg: JobArgs, refs: BucketRefs): k8s.types.input.batch.v1.CronJobSpec {
  const b = cfg.backups;
  const aws = irsa(refs.roleArn, cfg);
  const ca = caParts(cfg);
  return {
    schedule: b.export.schedule.text,
    timeZone: "Etc/UTC",
    concurrencyPolicy: "Forbid",
    startingDeadlineSeconds: b.export.startingDeadline.seconds,
    successfulJobsHistoryLimit: b.export.historyLimit,
    failedJobsHistoryLimit: b.export.historyLimit,
    jobTemplate: {
      metadata: { labels: labels(JOB_NAMES.export) },
      spec: {
        backoffLimit: b.export.backoffLimit,
        activeDeadlineSeconds: b.export.deadline.seconds,
        template: {
          metadata: { labels: labels(JOB_NAMES.export) },
          spec: podSpec(DATA_NAMES.exportServiceAccount, POSTGRES_UID, {
            initContainers: [
              {
                name: "dump",
                image: cfg.memoryStore.clientImage,
                command: ["/bin/sh", `${SCRIPTS_MOUNT}/export.sh`, "dump"],
                env: [
                  { name: "WORK_DIR", value: WORK_MOUNT },
                  { name: "DATABASE_URL_FILE", value: `${SECRETS_MOUNT}/DATABASE_URL` },
                ],
                resources: toolResources(cfg),
                securityContext: hardenedContainer(POSTGRES_UID),
                volumeMounts: [scriptsMount, workMount, { name: "backup-db", mountPath: SECRETS_MOUNT, readOnly: true }, ...ca.mounts],
              },
            ],
            containers: [
              {
                name: "upload",
                image: b.uploaderImage,
                command: ["/bin/sh", `${SCRIPTS_MOUNT}/export.sh`, "upload"],
                env: [
                  { name: "WORK_DIR", value: WORK_MOUNT },
                  { name: "BUCKET", value: refs.bucket },
                  { name: "PREFIX", value: DATA_NAMES.prefixes.exports },
                  { name: "KMS_KEY_ARN", value: refs.kmsKeyArn },
                  ...aws.env,
                ],
                resources: toolResources(cfg),
                securityContext: hardenedContainer(TOOL_UID),
                volumeMounts: [scriptsMount, workMount, aws.mount],
              },
            ],
            volumes: [
              scriptsVolume,
              workVolume(b.workVolume.text),
              secretVolume("backup-db", DATA_NAMES.backupSecret, ["DATABASE_URL"]),
              aws.volume,
              ...ca.volumes,
            ],
          }),
        },
      },
    },
  };
}

/**
 * The restore (R-DATA-5) as a suspended CronJob: never scheduled, a template the operator
 * starts with `kubectl create job --from=cronjob/agent-platform-restore …`. It restores
 * the latest export into backups.restore.targetDatabase; the optional ConfigMap
 * agent-platform-restore-request overrides EXPORT_KEY and TARGET_DATABASE
 * (docs/restore.md).
 */
export function restoreCronJob(cfg: JobArgs, refs: Omit<BucketRefs, "kmsKeyArn">): k8s.types.input.batch.v1.CronJobSpec {
  const b = cfg.backups;
  const aws = irsa(refs.roleArn, cfg);
  const ca = caParts(cfg);
  const request = { configMapRef: { name: DATA_NAMES.restoreRequest, optional: true } };
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
            initContainers: [
              {
                name: "fetch",
                image: b.uploaderImage,
                command: ["/bin/sh", `${SCRIPTS_MOUNT}/restore.sh`, "fetch"],
                env: [
                  { name: "WORK_DIR", value: WORK_MOUNT },
                  { name: "BUCKET", value: refs.bucket },
                  { name: "PREFIX", value: DATA_NAMES.prefixes.exports },
                  ...aws.env,
                ],
                envFrom: [request],
                resources: toolResources(cfg),
                securityContext: hardenedContainer(TOOL_UID),
                volumeMounts: [scriptsMount, workMount, aws.mount],
              },
            ],
            containers: [
              {
                name: "restore",
                image: cfg.memoryStore.clientImage,
                command: ["/bin/sh", `${SCRIPTS_MOUNT}/restore.sh`, "restore"],
                env: [
                  { name: "WORK_DIR", value: WORK_MOUNT },
                  { name: "ADMIN_DATABASE_URL_FILE", value: `${SECRETS_MOUNT}/ADMIN_DATABASE_URL` },
                  { name: "APP_ROLE", value: cfg.memoryStore.appRole },
                  // env wins over envFrom: the request ConfigMap's TARGET_DATABASE overrides this default in the script.
                  { name: "DEFAULT_TARGET_DATABASE", value: b.restore.targetDatabase },
                ],
                envFrom: [request],
                resources: toolResources(cfg),
                securityContext: hardenedContainer(POSTGRES_UID),
                volumeMounts: [scriptsMount, workMount, { name: "admin", mountPath: SECRETS_MOUNT, readOnly: true }, ...ca.mounts],
              },
            ],
            volumes: [
              scriptsVolume,
              workVolume(b.workVolume.text),
              secretVolume("admin", DATA_NAMES.adminSecret, ["ADMIN_DATABASE_URL"]),
              aws.volume,
              ...ca.volumes,
            ],
          }),
        },
      },
    },
  };
}
