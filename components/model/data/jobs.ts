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
export const SCRIPT_FILES = ["bootstrap.sh", "export.sh", "restore.sh", "lib.sh", "grants.sql"] as const;
export const JOBS_DIR = path.join(ROOT, "jobs");

export function jobScripts(): Record<string, string> {
  return Object.fromEntries(SCRIPT_FILES.map((f) => [f, fs.readFileSync(path.join(JOBS_DIR, f), "utf8")]));
}

export const SCRIPTS_MOUNT = "/jobs";
export const WORK_MOUNT = "/work";
export const SECRETS_MOUNT = "/secrets";
/** Where the projected web-identity token for IRSA is mounted. */
export const AWS_TOKEN_DIR = "/var/run/secrets/aws";
/** The audience IAM expects of a web-identity token (the trust policy checks it). */
export const STS_AUDIENCE = "sts.amazonaws.com";

export const POSTGRES_UID = 999; // the postgres user of the official Debian-based image
export const TOOL_UID = 10001; // the AWS CLI image has no user of its own; HOME is the work dir

/** The bootstrap's scratch space holds a pgpass file only. */
const BOOTSTRAP_WORK_SIZE = "1Mi";

export type JobArgs = Pick<StackConfig, "namespace" | "aws" | "memoryStore" | "backups">;

export const labels = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": APP_NAME });

export const scriptsVolume = { name: "scripts", configMap: { name: DATA_NAMES.scriptsConfigMap, defaultMode: 0o555 } };
export const scriptsMount = { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true };
export const workVolume = (size: string) => ({ name: "work", emptyDir: { sizeLimit: size } });
export const workMount = { name: "work", mountPath: WORK_MOUNT };
export const secretVolume = (name: string, secretName: string, keys: string[]) => ({
  name,
  secret: { secretName, defaultMode: 0o400, items: keys.map((key) => ({ key, path: key })) },
});
export const caParts = (cfg: JobArgs) => {
  const ca = databaseCa(cfg);
  return { volumes: ca.volumes, mounts: ca.volumeMounts };
};

/** Requests and limits of every tool container (psql, pg_dump, pg_restore, the AWS CLI). */
export const toolResources = (cfg: JobArgs) => containerResources(cfg.memoryStore.clientResources);

/**
 * IRSA without the webhook: the token is projected explicitly (audience sts.amazonaws.com,
 * valid for backups.awsTokenLifetime, refreshed by the kubelet), and the AWS CLI reads the
 * role and the token file from the environment. The pod still mounts no Kubernetes API token.
 */
export function irsa(roleArn: string, cfg: Pick<JobArgs, "aws" | "backups">) {
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

export function podSpec(serviceAccountName: string, uid: number, rest: Omit<PodSpec, "restartPolicy" | "serviceAccountName">): PodSpec {
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
    { name: "WORK_DIR", value: WORK_MOUNT },
    { name: "ADMIN_DATABASE_URL_FILE", value: `${SECRETS_MOUNT}/ADMIN_DATABASE_URL` },
    { name: "APP_ROLE_PASSWORD_FILE", value: `${SECRETS_MOUNT}/APP_ROLE_PASSWORD` },
    { name: "BACKUP_ROLE_PASSWORD_FILE", value: `${SECRETS_MOUNT}/BACKUP_ROLE_PASSWORD` },
    { name: "DATABASE_NAME", value: ms.databaseName },
    { name: "APP_ROLE", value: ms.appRole },
    { name: "BACKUP_ROLE", value: ms.backupRole },
  ];
  const ca = caParts(cfg);
  // Renamed (so run again) when its script, the library or the grants change.
  const scripts = jobScripts();
  const script = ["bootstrap.sh", "lib.sh", "grants.sql"].map((f) => scripts[f]).join("\n");
  const name = `${JOB_NAMES.bootstrap}-${checksum({ script, env: JSON.stringify(env), image: ms.clientImage }).slice(0, 10)}`;
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
              volumeMounts: [scriptsMount, workMount, { name: "admin", mountPath: SECRETS_MOUNT, readOnly: true }, ...ca.mounts],
            },
          ],
          volumes: [
            scriptsVolume,
            // The pgpass file the admin URL's password goes into (jobs/lib.sh).
            workVolume(BOOTSTRAP_WORK_SIZE),
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
